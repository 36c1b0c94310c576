/**
 * How the server process is started (src/server/process-settings.ts): `npm run serve` runs
 * Node with the memory settings, as one process that SIGTERM stops whole — no server left
 * behind on the port; a bare `node src/server/main.ts` runs without them and says so in one
 * line; an operator's own settings are theirs, with no warning. Read from /proc, so Linux
 * only (as deployed).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../free-port.ts';
import { BACKENDS, startServer, type TestServer } from './harness.ts';

function running(pid: number): { argv: string[]; env: Map<string, string> } {
  const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  const env = new Map(
    fs
      .readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as [string, string]),
  );
  return { argv, env };
}

/** The processes below `pid`, itself included. */
function tree(pid: number): number[] {
  const children = fs
    .readdirSync(`/proc/${pid}/task`)
    .flatMap((task) => fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
  return [pid, ...children.flatMap(tree)];
}

const alive = (pid: number) => fs.existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));

/** The test runner's environment without any of the settings, as a plain shell would start it. */
function bareEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of ['MALLOC_MMAP_THRESHOLD_', 'GLIBC_TUNABLES', 'NODE_OPTIONS']) delete env[k];
  return env;
}

interface Started {
  proc: ChildProcess;
  stderr: () => string;
}

async function start(t: TestServer, port: number, command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Started> {
  const proc = spawn(command, args, {
    env: { ...env, PORT: String(port), HOST: '127.0.0.1', LINLI_DATA_DIR: t.dataDir, DATABASE_URL: '', LINLI_LOG_REQUESTS: '0' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return { proc, stderr: () => err };
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not start: ${err}`);
}

function exited(proc: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (proc.exitCode !== null ? resolve(proc.exitCode) : proc.once('exit', (code) => resolve(code))));
}

/** Can something else listen on the port now? */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

describe.runIf(process.platform === 'linux')('starting the server process', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startServer(BACKENDS[0]!);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('`npm run serve` runs Node with every setting, says nothing about them, and SIGTERM stops it all — no server left on the port', async () => {
    const port = await freePort();
    const { proc, stderr } = await start(t, port, 'npm', ['run', '--silent', 'serve'], bareEnv());
    const processes = tree(proc.pid!);
    const server = processes.find((pid) => running(pid).argv.some((a) => a.endsWith('src/server/main.ts')))!;
    const { argv, env } = running(server);
    expect(argv).toContain('--max-semi-space-size=16');
    expect(argv).toContain('--heap-growing-percent=30');
    expect(env.get('MALLOC_MMAP_THRESHOLD_')).toBe('65536');
    expect(stderr()).not.toContain('running without its memory settings');
    proc.kill('SIGTERM');
    expect(await exited(proc)).toBe(0);
    for (let i = 0; i < 50 && processes.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
    expect(processes.filter(alive)).toEqual([]);
    expect(await portFree(port)).toBe(true);
  });

  it('a bare `node src/server/main.ts` serves without the settings and says so in one line', async () => {
    const port = await freePort();
    const { proc, stderr } = await start(t, port, process.execPath, ['src/server/main.ts'], bareEnv());
    try {
      const { argv } = running(proc.pid!);
      expect(argv).not.toContain('--max-semi-space-size=16');
      const lines = stderr()
        .split('\n')
        .filter((l) => l.includes('running without its memory settings'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('npm run serve');
    } finally {
      proc.kill('SIGTERM');
    }
    expect(await exited(proc)).toBe(0);
  });

  it("an operator's own flags and malloc threshold are theirs, with no warning", async () => {
    const port = await freePort();
    const flags = ['--max-semi-space-size=8', '--heap-growing-percent=50'];
    const { proc, stderr } = await start(t, port, process.execPath, [...flags, 'src/server/main.ts'], {
      ...bareEnv(),
      MALLOC_MMAP_THRESHOLD_: '131072',
    });
    try {
      const { argv, env } = running(proc.pid!);
      expect(argv.filter((a) => a.startsWith('--max-semi-space-size') || a.startsWith('--heap-growing-percent'))).toEqual(flags);
      expect(env.get('MALLOC_MMAP_THRESHOLD_')).toBe('131072');
      expect(stderr()).not.toContain('running without its memory settings');
    } finally {
      proc.kill('SIGTERM');
    }
    expect(await exited(proc)).toBe(0);
  });
});
