/**
 * Integration harness: the real server (Hono on @hono/node-server, real HTTP on a loopback
 * port) over a real database — a fresh SQLite file, or a fresh schema of the PostgreSQL at
 * TEST_DATABASE_URL — plus devices running the real sync client over fake-indexeddb, with a
 * network that can be made to fail.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { sql } from 'kysely';
import pg from 'pg';
import { createApp } from '../../src/server/app.ts';
import { openDatabase, type Db, type Schema } from '../../src/server/db.ts';
import { listen, type Listening } from '../../src/server/listen.ts';
import { prepareDatabase } from '../../src/server/migrations.ts';
import { createTeam, createUser, type Role } from '../../src/server/users.ts';
import { LinliDb, type SignedInUser } from '../../src/data/db.ts';
import { alignClock, deviceId } from '../../src/data/clock.ts';
import { flush, type Fetch, type FlushResult } from '../../src/data/sync/flush.ts';
import { unpackClocks, type RowState } from '../../src/shared/merge.ts';
import { encodeHlc } from '../../src/shared/hlc.ts';
import { SCHEMA_VERSION, type PushResponse } from '../../src/shared/protocol.ts';
import { newId } from '../../src/data/records.ts';

/** A server row's fields and every field's clock (the server stores clocks packed). */
export function storedState(r: { fields: string; clocks: string }): RowState {
  const fields = JSON.parse(r.fields) as RowState['fields'];
  return { fields, clocks: unpackClocks(fields, JSON.parse(r.clocks) as RowState['clocks']) };
}

export const PG_URL = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || '';

export interface Backend {
  name: 'sqlite' | 'postgres';
  url?: string;
}
export const BACKENDS: Backend[] = [{ name: 'sqlite' }, ...(PG_URL ? [{ name: 'postgres' as const, url: PG_URL }] : [])];
if (!PG_URL) console.log('PostgreSQL: no TEST_DATABASE_URL — skipped the PostgreSQL run of the integration tests');

export interface TestServer {
  url: string;
  dataDir: string;
  pgSchema: string | undefined;
  db: Db;
  backend: Backend;
  now: { offset: number };
  stop(): Promise<void>;
  restart(): Promise<void>;
  addTeam(name: string): Promise<string>;
  addUser(teamId: string, username: string, role?: Role): Promise<{ id: string; username: string; password: string }>;
}

let counter = 0;

/** `proxies`: the addresses the server trusts as its proxies (LINLI_TRUSTED_PROXIES). */
export async function startServer(backend: Backend, { proxies = [] as string[] } = {}): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-it-'));
  // an empty static root: the API tests need no built app, and serveStatic warns when it is missing
  fs.mkdirSync(path.join(dataDir, 'no-dist'));
  let pgSchema: string | undefined;
  if (backend.url) {
    pgSchema = `it_${process.pid}_${Date.now()}_${counter++}`;
    const admin = new pg.Client({ connectionString: backend.url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${pgSchema}`);
    await admin.end();
  }
  const now = { offset: 0 };
  let db = openDatabase({ databaseUrl: backend.url, dataDir, ...(pgSchema ? { pgSchema } : {}) });
  await prepareDatabase(db, pgSchema);
  let listening: Listening | undefined;
  let port = 0;
  // the server's own listening sockets (listen.ts), on a port the first start picks
  const start = async () => {
    const app = createApp({
      db,
      config: {
        sessionDays: 60,
        staticDir: path.join(dataDir, 'no-dist'),
        trustedOrigins: [],
        hsts: false,
        logRequests: false,
        trustedProxies: proxies,
      },
      now: () => Date.now() + now.offset,
    });
    listening = await listen(app.fetch, port, '127.0.0.1');
    port = listening.port;
  };
  // every kept-alive connection too, so clients reconnect to a restarted server
  const close = () => listening?.close({ force: true });
  await start();
  const t: TestServer = {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get db() {
      return db;
    },
    backend,
    dataDir,
    pgSchema,
    now,
    async stop() {
      await close();
      await db.destroy();
      if (pgSchema && backend.url) {
        const admin = new pg.Client({ connectionString: backend.url });
        await admin.connect();
        await admin.query(`DROP SCHEMA ${pgSchema} CASCADE`);
        await admin.end();
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
    /** A server restart on the same database and port (sessions live in the database). */
    async restart() {
      await close();
      // let clients see their kept-alive sockets close before anyone sends on them again
      await new Promise((r) => setTimeout(r, 100));
      await db.destroy();
      db = openDatabase({ databaseUrl: backend.url, dataDir, ...(pgSchema ? { pgSchema } : {}) });
      await prepareDatabase(db, pgSchema);
      await start();
    },
    async addTeam(name) {
      return (await createTeam(db, name)).id;
    },
    async addUser(teamId, username, role = 'volunteer') {
      const password = `pw-${username}-secret`;
      const { id } = await createUser(db, { teamId, username, name: username, role, password });
      return { id, username, password };
    },
  };
  return t;
}

/** A fetch that keeps one cookie jar, like a browser profile. */
export class HttpClient {
  cookie = '';
  readonly base: string;
  constructor(base: string) {
    this.base = base;
  }
  fetch: Fetch = async (input, init) => {
    const url = input.startsWith('http') ? input : `${this.base}${input}`;
    const headers = new Headers(init?.headers);
    if (this.cookie) headers.set('cookie', this.cookie);
    const res = await fetch(url, { ...init, headers });
    const set = res.headers.get('set-cookie');
    if (set) {
      const [pair] = set.split(';');
      this.cookie = pair!.endsWith('=') ? '' : pair!;
    }
    return res;
  };
  async json<T = unknown>(
    pathname: string,
    init?: { method?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: T }> {
    const res = await this.fetch(pathname, {
      method: init?.method ?? (init?.body !== undefined ? 'POST' : 'GET'),
      headers: { 'content-type': 'application/json', ...init?.headers },
      ...(init?.body !== undefined ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) } : {}),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // keep text
    }
    return { status: res.status, body: body as T };
  }
}

/**
 * How the network between a device and the server misbehaves on the next requests:
 * `cut-response` delivers the answer's status and headers and half its body, then the
 * connection dies (a server killed, a phone walking out of range).
 */
export type Fault = 'drop' | 'lose-response' | 'cut-response' | 'duplicate' | 'ok';

export class Device {
  readonly db: LinliDb;
  readonly http: HttpClient;
  faults: Fault[] = [];
  requests = 0;
  private readonly server: TestServer;

  constructor(server: TestServer, name = `dev-${counter++}-${Math.random().toString(36).slice(2)}`) {
    this.server = server;
    this.db = new LinliDb(name, { indexedDB, IDBKeyRange });
    this.http = new HttpClient(server.url);
  }

  /** The network: applies the queued faults, then the real HTTP call. */
  fetch: Fetch = async (input, init) => {
    this.requests++;
    this.http.cookie ||= '';
    const fault = this.faults.shift() ?? 'ok';
    const url = `${this.server.url}${input}`;
    if (fault === 'drop') throw new TypeError('network: dropped');
    if (fault === 'duplicate') await this.http.fetch(url, init);
    const res = await this.http.fetch(url, init);
    if (fault === 'lose-response') {
      await res.arrayBuffer();
      throw new TypeError('network: response lost');
    }
    if (fault === 'cut-response') {
      const bytes = new Uint8Array(await res.arrayBuffer());
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes.subarray(0, Math.floor(bytes.length / 2)));
          controller.error(new TypeError('terminated'));
        },
      });
      return new Response(body, { status: res.status, headers: res.headers });
    }
    return res;
  };

  async signIn(username: string, password: string): Promise<void> {
    this.http.cookie = '';
    const sentAt = Date.now();
    const res = await this.http.json<{ user: SignedInUser; device: { letter: string }; serverTime: number }>('/api/auth/login', {
      body: { username, password, deviceId: await deviceId(this.db) },
    });
    if (res.status !== 200) throw new Error(`login ${res.status} ${JSON.stringify(res.body)}`);
    // as the app does (session.ts): the clock set by the server's at sign-in
    await alignClock(this.db, res.body.serverTime, sentAt, Date.now());
    await this.db.setMeta('user', res.body.user);
    await this.db.setMeta('deviceLetter', res.body.device.letter);
  }

  flush(extra?: { batchSize?: number; compress?: boolean }): Promise<FlushResult> {
    return flush({ db: this.db, fetch: this.fetch, appVersion: 'test', ...extra });
  }

  /** Flushes until the outbox is empty and nothing is left to pull, or gives up. */
  async syncUntilClean(maxRounds = 20): Promise<void> {
    for (let i = 0; i < maxRounds; i++) {
      const r = await this.flush();
      if (r.outcome === 'ok' && (await this.db.outbox.count()) === 0) return;
    }
    throw new Error('device did not sync clean');
  }

  async close(): Promise<void> {
    this.db.close();
    await this.db.delete();
  }
}

/** The real server as its own process (`node src/server/main.ts`) on a test server's database. */
export async function spawnServer(
  t: TestServer,
  port: number,
  opts: { env?: NodeJS.ProcessEnv; flags?: string[] } = {},
): Promise<ChildProcess> {
  const env = {
    ...(opts.env ?? process.env),
    PORT: String(port),
    HOST: '127.0.0.1',
    LINLI_DATA_DIR: t.dataDir,
    DATABASE_URL: t.backend.url ?? '',
    LINLI_PG_SCHEMA: t.pgSchema ?? '',
    LINLI_LOG_REQUESTS: '0',
  };
  const proc = spawn(process.execPath, [...(opts.flags ?? []), 'src/server/main.ts'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return proc;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server process did not start');
}

/** A new phone (its own local store) signed in as `user`. */
export async function signedInDevice(server: TestServer, user: { username: string; password: string }): Promise<Device> {
  const d = new Device(server);
  await d.signIn(user.username, user.password);
  return d;
}

/** How many rows each of `tables` holds: what a refused request must leave as it was. */
export async function rowCounts<T extends keyof Schema>(db: Db, tables: readonly T[]): Promise<Record<T, number>> {
  const n = await Promise.all(
    tables.map(async (t) => Number((await sql<{ n: number | string }>`select count(*) as n from ${sql.table(t)}`.execute(db)).rows[0]?.n)),
  );
  return Object.fromEntries(tables.map((t, i) => [t, n[i]!])) as Record<T, number>;
}

/**
 * One mutation pushed as a phone (old, careless or hostile) might send it, past the app's
 * own checks: `acked`, `deferred`, or each refusal as `code:message`.
 */
export async function pushRaw(d: Device, type: string, rowId: string, fields: Record<string, unknown>): Promise<string> {
  const node = (await d.db.getMeta('deviceId'))!;
  const res = await d.http.json<PushResponse>('/api/sync/push', {
    body: {
      deviceId: node,
      schemaVersion: SCHEMA_VERSION,
      mutations: [{ id: newId(), type, rowId, hlc: encodeHlc({ ms: Date.now() + 5000, counter: 0, node }), fields }],
    },
  });
  const refused = res.body.rejected.map((r) => `${r.code}:${r.message}`).join();
  return refused || (res.body.deferred?.length ? 'deferred' : 'acked');
}
