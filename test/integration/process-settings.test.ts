/**
 * The server process starts itself with its memory settings (src/server/process-settings.ts):
 * `node src/server/main.ts`, however it is launched, ends up as the same process (same PID,
 * so supervisors and signals still reach it) running with `--max-semi-space-size=16`,
 * `--heap-growing-percent=30` and glibc's fixed mmap threshold — and an operator's own values are left as they are.
 * Read from /proc, so Linux only (as deployed).
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../free-port.ts';
import { BACKENDS, spawnServer, startServer, type TestServer } from './harness.ts';

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

/** The test runner's environment without any of the settings, as a plain shell would start it. */
function bareEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of ['MALLOC_MMAP_THRESHOLD_', 'GLIBC_TUNABLES', 'NODE_OPTIONS', 'LINLI_SETTINGS_RESTARTED']) delete env[k];
  return env;
}

function exited(proc: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (proc.exitCode !== null ? resolve(proc.exitCode) : proc.once('exit', (code) => resolve(code))));
}

describe.runIf(process.platform === 'linux')('the server process starts itself with its settings', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startServer(BACKENDS[0]!);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('a bare `node src/server/main.ts` becomes, in the same process, one with both settings, and SIGTERM still stops it cleanly', async () => {
    const port = await freePort();
    const proc = await spawnServer(t, port, { env: bareEnv() });
    try {
      // spawnServer waited for this very PID's port to answer /api/health
      const { argv, env } = running(proc.pid!);
      expect(argv).toContain('--max-semi-space-size=16');
      expect(argv).toContain('--heap-growing-percent=30');
      expect(argv.at(-1)).toMatch(/src\/server\/main\.ts$/);
      expect(env.get('MALLOC_MMAP_THRESHOLD_')).toBe('65536');
      expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(200);
    } finally {
      proc.kill('SIGTERM');
    }
    expect(await exited(proc)).toBe(0);
  });

  it("an operator's own flags and malloc threshold are kept, and the process is not restarted for them", async () => {
    const port = await freePort();
    const flags = ['--max-semi-space-size=8', '--heap-growing-percent=50'];
    const proc = await spawnServer(t, port, { env: { ...bareEnv(), MALLOC_MMAP_THRESHOLD_: '131072' }, flags });
    try {
      const { argv, env } = running(proc.pid!);
      expect(argv.filter((a) => a.startsWith('--max-semi-space-size') || a.startsWith('--heap-growing-percent'))).toEqual(flags);
      expect(env.get('MALLOC_MMAP_THRESHOLD_')).toBe('131072');
      expect(env.has('LINLI_SETTINGS_RESTARTED')).toBe(false);
    } finally {
      proc.kill('SIGTERM');
    }
    expect(await exited(proc)).toBe(0);
  });
});
