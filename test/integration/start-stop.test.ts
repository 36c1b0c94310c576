/**
 * Starting and stopping Linli as a newcomer does (issue 26, item 9): `npm start` builds
 * without warnings that are not the project's own, says where to go and — on an empty
 * database — that the first visit creates the first team; SIGTERM (systemd, Docker) or
 * Ctrl-C (SIGINT) stops the whole thing: no process of it is left, the port is free.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../free-port.ts';

interface Started {
  child: ChildProcess;
  output: () => string;
}

/** `npm run <script>` in a process group of its own, so the test can see every process it starts. */
function npm(script: string, port: number, dataDir: string): Started {
  let out = '';
  const child = spawn('npm', ['run', '--silent', script], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LINLI_DATA_DIR: dataDir, DATABASE_URL: '' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  return { child, output: () => out };
}

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Is any process of this group still alive? (signal 0 only asks) */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

async function stopsWholly(s: Started, port: number, signal: NodeJS.Signals): Promise<void> {
  const pgid = s.child.pid!;
  // the signal goes to npm, the process an operator or a service manager holds
  s.child.kill(signal);
  try {
    await until('every process of npm start to end', () => !groupAlive(pgid), 8000);
  } finally {
    if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
  }
  expect(await portFree(port)).toBe(true);
}

describe('npm start and stop', () => {
  it(
    '`npm start` builds with no warning that is not ours, says what to open first, and SIGTERM leaves nothing running',
    { timeout: 180_000 },
    async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-start-'));
      const port = await freePort();
      const s = npm('start', port, dataDir);
      await until('the server to listen', () => s.output().includes('first visit creates the first team'), 150_000);
      expect(s.output()).toContain(`http://localhost:${port}`);
      // Rollup's comment warnings about zod are filtered by code and file; nothing else is
      expect(s.output()).not.toMatch(/contains an annotation that Rollup cannot interpret/);
      expect(s.output()).not.toMatch(/\(!\)|warning/i);
      expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(200);
      await stopsWholly(s, port, 'SIGTERM');
    },
  );

  it('Ctrl-C (SIGINT) stops `npm run serve` wholly too, and a database with users says to sign in', { timeout: 60_000 }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-serve-'));
    const port = await freePort();
    const first = npm('serve', port, dataDir);
    await until('the server to listen', () => first.output().includes('first visit creates'), 30_000);
    const setup = await fetch(`http://127.0.0.1:${port}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ teamName: '东湖社区', username: 'coord', name: '李主任', password: 'correct horse battery' }),
    });
    expect(setup.status).toBeLessThan(300);
    await stopsWholly(first, port, 'SIGINT');
    const again = npm('serve', port, dataDir);
    await until('the server to listen', () => again.output().includes('sign in'), 30_000);
    expect(again.output()).not.toContain('first visit creates');
    await stopsWholly(again, port, 'SIGTERM');
  });
});
