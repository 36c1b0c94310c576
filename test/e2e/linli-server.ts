/**
 * The real Linli server for browser tests: `node src/server/main.ts` serving the built app,
 * on its own port and data directory, stoppable and restartable (to take the network away
 * from the service worker as well as the page), plus the admin command line for users.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';

export class LinliServer {
  readonly port: number;
  readonly dataDir: string;
  private proc: ChildProcess | null = null;
  log = '';

  /** The built app to serve; tests that change it give a copy. */
  readonly staticDir: string;

  constructor(opts: { port?: number; staticDir?: string } = {}) {
    this.port = opts.port ?? 18000 + Math.floor(Math.random() * 2000);
    this.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-e2e-'));
    this.staticDir = opts.staticDir ?? path.resolve('dist');
  }

  get url(): string {
    return `http://localhost:${this.port}`;
  }

  private env() {
    return {
      ...process.env,
      PORT: String(this.port),
      LINLI_DATA_DIR: this.dataDir,
      LINLI_STATIC_DIR: this.staticDir,
      HOST: '127.0.0.1',
      DATABASE_URL: '',
    };
  }

  async start(): Promise<void> {
    const proc = spawn(process.execPath, ['src/server/main.ts'], { env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    proc.stdout?.on('data', (d: Buffer) => (this.log += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (this.log += d.toString()));
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      try {
        const res = await fetch(`http://127.0.0.1:${this.port}/api/health`);
        if (res.ok) return;
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`server did not start:\n${this.log}`);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill(signal);
    });
    this.proc = null;
  }

  cli(args: string[], input?: string): string {
    const r = spawnSync(process.execPath, ['src/server/cli.ts', ...args], { env: this.env(), input: input ?? '', encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`linli ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  }

  addTeam(name: string): void {
    this.cli(['team', 'add', name]);
  }

  addUser(team: string, username: string, role = 'volunteer'): { username: string; password: string } {
    const password = `pw-${username}-e2e`;
    this.cli(['user', 'add', '--team', team, '--username', username, '--role', role, '--password-stdin'], password);
    return { username, password };
  }

  /** Reads the server's database directly (WAL lets a reader in beside the running server). */
  rows(type?: string): { row_id: string; type: string; fields: Record<string, unknown> }[] {
    const db = new Database(path.join(this.dataDir, 'linli.sqlite'), { readonly: true });
    try {
      const rows = (type ? db.prepare('select * from record where type = ?').all(type) : db.prepare('select * from record').all()) as {
        row_id: string;
        type: string;
        fields: string;
      }[];
      return rows.map((r) => ({ row_id: r.row_id, type: r.type, fields: JSON.parse(r.fields) as Record<string, unknown> }));
    } finally {
      db.close();
    }
  }

  cleanup(): void {
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}
