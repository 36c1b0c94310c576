/**
 * The server's start-up settings (src/server/process-settings.ts): added when missing, and an
 * operator's own value — a flag, NODE_OPTIONS, the malloc variable or GLIBC_TUNABLES — is
 * never replaced.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  HEAP_GROWING_FLAG,
  MMAP_THRESHOLD_BYTES,
  MMAP_THRESHOLD_VAR,
  missingSettings,
  missingSettingsWarning,
  SEMI_SPACE_FLAG,
} from '../../src/server/process-settings.ts';

const linux = { platform: 'linux', env: {}, execArgv: [] as string[] };

const ALL_FLAGS = [SEMI_SPACE_FLAG, HEAP_GROWING_FLAG];

describe('missingSettings', () => {
  it('adds the semi-space and heap-growing flags and, on Linux, the malloc threshold to a bare process', () => {
    expect(missingSettings(linux)).toEqual({ flags: ALL_FLAGS, env: { [MMAP_THRESHOLD_VAR]: String(MMAP_THRESHOLD_BYTES) } });
    expect(SEMI_SPACE_FLAG).toBe('--max-semi-space-size=16');
    expect(HEAP_GROWING_FLAG).toBe('--heap-growing-percent=30');
    expect(MMAP_THRESHOLD_BYTES).toBe(65536);
  });

  it('asks for nothing once the process has them all (no restart loop)', () => {
    const restarted = missingSettings({ platform: 'linux', env: { [MMAP_THRESHOLD_VAR]: '65536' }, execArgv: ALL_FLAGS });
    expect(restarted).toBeNull();
  });

  it("keeps the operator's own semi-space size, given as a flag in either spelling or in NODE_OPTIONS", () => {
    for (const p of [
      { ...linux, execArgv: ['--max-semi-space-size=4'] },
      { ...linux, execArgv: ['--max_semi_space_size=32'] },
      { ...linux, env: { NODE_OPTIONS: '--enable-source-maps --max-semi-space-size=8' } },
    ]) {
      expect(missingSettings(p)?.flags).toEqual([HEAP_GROWING_FLAG]);
    }
    // a flag that only starts alike is not the setting
    expect(missingSettings({ ...linux, execArgv: ['--max-semi-space-size-x=1'] })?.flags).toEqual(ALL_FLAGS);
  });

  it("keeps the operator's own heap growing percent, in either spelling, and asks only for what else is missing", () => {
    for (const execArgv of [['--heap-growing-percent=50'], ['--heap_growing_percent=10']]) {
      expect(missingSettings({ ...linux, execArgv })?.flags).toEqual([SEMI_SPACE_FLAG]);
    }
    expect(missingSettings({ ...linux, execArgv: ['--heap-growing-percent-x=1'] })?.flags).toEqual(ALL_FLAGS);
  });

  it("keeps the operator's own malloc threshold, from the variable or GLIBC_TUNABLES", () => {
    for (const env of [
      { [MMAP_THRESHOLD_VAR]: '131072' },
      { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=262144' },
    ]) {
      expect(missingSettings({ ...linux, env })).toEqual({ flags: ALL_FLAGS, env: {} });
    }
    // another tunable alone does not set the threshold
    expect(missingSettings({ ...linux, env: { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' } })?.env).toEqual({
      [MMAP_THRESHOLD_VAR]: '65536',
    });
  });

  it('sets no glibc variable where glibc is not the C library (macOS, Windows)', () => {
    for (const platform of ['darwin', 'win32']) {
      expect(missingSettings({ platform, env: {}, execArgv: [] })).toEqual({ flags: ALL_FLAGS, env: {} });
      expect(missingSettings({ platform, env: {}, execArgv: ALL_FLAGS })).toBeNull();
    }
  });
});

/** A command line's environment assignments and Node flags, from a shell line (`A=1 exec node --x src/…`). */
function commandLine(line: string): { env: Record<string, string>; execArgv: string[] } {
  const words = line
    .trim()
    .split(/\s+/)
    .filter((w) => w !== 'exec');
  const env: Record<string, string> = {};
  while (/^[A-Z_]+=/.test(words[0] ?? '')) {
    const [k, v] = words.shift()!.split('=') as [string, string];
    env[k] = v;
  }
  const node = words.findIndex((w) => /(^|\/)node$/.test(w));
  const script = words.findIndex((w) => w.endsWith('src/server/main.ts'));
  expect(node).toBeGreaterThanOrEqual(0);
  expect(script).toBeGreaterThan(node);
  return { env, execArgv: words.slice(node + 1, script) };
}

describe('where the server is started', () => {
  const scripts = (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;

  it('npm run serve (and npm start, which builds and then runs it) carries every setting', () => {
    expect(missingSettings({ platform: 'linux', ...commandLine(scripts.serve!) })).toBeNull();
    expect(scripts.start).toMatch(/&& exec npm run serve$/);
  });

  it('the example systemd unit carries every setting', () => {
    const unit = fs.readFileSync('deploy/linli.service', 'utf8');
    const env = Object.fromEntries([...unit.matchAll(/^Environment=([A-Z_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
    const exec = /^ExecStart=(.*)$/m.exec(unit)![1]!;
    expect(
      missingSettings({ platform: 'linux', env: { ...env, ...commandLine(exec).env }, execArgv: commandLine(exec).execArgv }),
    ).toBeNull();
  });

  it('the Dockerfile carries every setting', () => {
    const file = fs.readFileSync('Dockerfile', 'utf8');
    const envLine = [...file.matchAll(/^ENV (.*)$/gm)].map((m) => m[1]!).join(' ');
    const env = Object.fromEntries(envLine.split(/\s+/).map((kv) => kv.split('=') as [string, string]));
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(file)![1]!) as string[];
    expect(missingSettings({ platform: 'linux', ...commandLine(cmd.join(' ')), env })).toBeNull();
  });

  it('a process without them says so in one line, naming what is missing and where to start it from', () => {
    const line = missingSettingsWarning(missingSettings(linux))!;
    expect(line.split('\n')).toHaveLength(1);
    for (const part of [SEMI_SPACE_FLAG, HEAP_GROWING_FLAG, `${MMAP_THRESHOLD_VAR}=65536`, 'npm run serve', 'deploy/linli.service'])
      expect(line).toContain(part);
    expect(missingSettingsWarning(null)).toBeNull();
  });
});
