/**
 * Syncing 1,000 pending records through a weak link, side by side in one run against one
 * server: Linli's flush (batched, gzip both ways, then the pull, which sends the phone's own
 * rows back as stubs) against a stock Workbox background-sync queue (`workbox-background-sync`'s
 * `Queue`, run here over fake IndexedDB) replaying the same records one request each, as a
 * plain offline queue does.
 *
 * The link is real: a TCP proxy between the client and the server that delays every byte by
 * half the round trip each way and paces it at the link's rate each way, and makes each new
 * connection wait a round trip before its first byte (set-up counted). Compression is what
 * the server and the clients really do. Timed until each has finished (Linli's pull included).
 * Goal (issue 23): ≥ 100× faster.
 */
import * as fakeIDB from 'fake-indexeddb';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'vite';
import type * as WorkboxBackgroundSync from 'workbox-background-sync';
import { encodeHlc, initialHlc, tick } from '../src/shared/hlc.ts';
import { mutationRow } from '../src/shared/merge.ts';
import { SCHEMA_VERSION } from '../src/shared/protocol.ts';
import { newId, toLocalRow } from '../src/data/records.ts';
import type { OutboxEntry } from '../src/data/db.ts';
import { flush } from '../src/data/sync/flush.ts';
import { Device, startServer, type TestServer } from '../test/integration/harness.ts';

const N = Number(process.env.BENCH_TICKETS ?? 1000);
const RTT_MS = Number(process.env.BENCH_RTT_MS ?? 300);
const BYTES_PER_S = Number(process.env.BENCH_BITS_PER_S ?? 1_600_000) / 8;

interface LinkStats {
  connections: number;
  up: number;
  down: number;
}

/** Each direction's bytes: delayed by half the round trip, paced at the link's rate, in order (one queue, one timer). */
function pace(from: net.Socket, to: net.Socket, count: (n: number) => void, notBefore: number) {
  let free = notBefore;
  const queue: { at: number; chunk: Buffer | null }[] = [];
  let timer: NodeJS.Timeout | null = null;
  const drain = () => {
    timer = null;
    while (queue.length > 0 && queue[0]!.at <= Date.now()) {
      const { chunk } = queue.shift()!;
      if (chunk) to.write(chunk);
      else to.end();
    }
    if (queue.length > 0) timer = setTimeout(drain, Math.max(0, queue[0]!.at - Date.now()));
  };
  const send = (chunk: Buffer | null) => {
    const now = Date.now();
    if (chunk) free = Math.max(now, free) + (chunk.byteLength / BYTES_PER_S) * 1000;
    queue.push({ at: Math.max(now, free) + RTT_MS / 2, chunk });
    if (!timer) timer = setTimeout(drain, Math.max(0, queue[0]!.at - now));
  };
  from.on('data', (chunk: Buffer) => {
    count(chunk.byteLength);
    send(chunk);
  });
  from.on('end', () => send(null));
  from.on('error', () => to.destroy());
}

function throttlingProxy(target: URL, stats: LinkStats): Promise<{ url: string; close: () => void }> {
  const server = net.createServer((client) => {
    stats.connections++;
    const upstream = net.connect(Number(target.port), target.hostname);
    // a new connection's set-up: a round trip before anything is sent
    const ready = Date.now() + RTT_MS;
    pace(client, upstream, (n) => (stats.up += n), ready);
    pace(upstream, client, (n) => (stats.down += n), ready);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, close: () => server.close() });
    }),
  );
}

/** A phone with N records saved and not yet synced: an event and N − 1 tickets, as the intake form writes them. */
async function prepare(server: TestServer, user: { username: string; password: string }) {
  const d = new Device(server);
  await d.signIn(user.username, user.password);
  const me = (await d.db.getMeta('user'))!;
  const letter = (await d.db.getMeta('deviceLetter'))!;
  let clock = initialHlc((await d.db.getMeta('deviceId'))!);
  const now = new Date().toISOString();
  const base = { teamId: me.teamId, createdAt: now, createdBy: me.id, updatedAt: now, deleted: false };
  const eventId = newId();
  const records: { type: 'repairEvent' | 'repairTicket'; id: string; fields: Record<string, unknown> }[] = [
    {
      type: 'repairEvent',
      id: eventId,
      fields: { ...base, id: eventId, title: '基准测试', date: '2026-11-22', site: '院子', status: 'open' },
    },
  ];
  for (let i = 1; i < N; i++) {
    const id = newId();
    records.push({
      type: 'repairTicket',
      id,
      fields: {
        ...base,
        id,
        eventId,
        householdId: null,
        mode: 'event',
        number: `${letter}-${String(i).padStart(3, '0')}`,
        category: 'fan',
        item: '台扇',
        brand: '',
        model: '',
        problem: `第 ${i} 台：开关坏了，不转`,
        residentName: '',
        residentPhone: '',
        status: 'waiting',
        notes: '',
        // 特困: no charge, which is what the fee tier proposes (the server checks a fee against it)
        feeTier: 'waived',
        feeFen: 0,
      },
    });
  }
  const outbox: OutboxEntry[] = [];
  const rows = { repairEvent: [] as ReturnType<typeof toLocalRow>[], repairTicket: [] as ReturnType<typeof toLocalRow>[] };
  for (const r of records) {
    clock = tick(clock, Date.now());
    const hlc = encodeHlc(clock);
    rows[r.type].push(toLocalRow(r.type, r.id, mutationRow(r.fields, hlc)));
    outbox.push({ id: newId(), type: r.type, rowId: r.id, hlc, fields: r.fields, createdAt: Date.now() });
  }
  await d.db.transaction('rw', [d.db.repairEvent, d.db.repairTicket, d.db.outbox, d.db.meta], async () => {
    await d.db.repairEvent.bulkPut(rows.repairEvent as never[]);
    await d.db.repairTicket.bulkPut(rows.repairTicket as never[]);
    await d.db.outbox.bulkAdd(outbox);
    await d.db.setMeta('hlc', clock);
  });
  return d;
}

const server = await startServer({ name: 'sqlite' });
const team = await server.addTeam('bench');
const user = await server.addUser(team, 'bench');

// Linli's flush, through the link
const linkA: LinkStats = { connections: 0, up: 0, down: 0 };
const proxyA = await throttlingProxy(new URL(server.url), linkA);
const phone = await prepare(server, user);
// signed in beside the link; the sync goes through it, on a connection of its own
(phone as unknown as { server: { url: string } }).server = { ...server, url: proxyA.url };
const t0 = performance.now();
const result = await flush({ db: phone.db, fetch: phone.fetch, appVersion: 'bench' });
const linliS = (performance.now() - t0) / 1000;
if (result.outcome !== 'ok' || (await phone.db.outbox.count()) !== 0)
  throw new Error(`the flush did not finish: ${JSON.stringify(result)}, ${await phone.db.outbox.count()} left`);
proxyA.close();

// A stock Workbox background-sync queue, replaying the same records through the same kind of link
const linkB: LinkStats = { connections: 0, up: 0, down: 0 };
const proxyB = await throttlingProxy(new URL(server.url), linkB);
const other = await prepare(server, user);
const entries = await other.db.outbox.orderBy('seq').toArray();
const deviceId = await other.db.getMeta('deviceId');
// IndexedDB's globals for the queue's store (idb checks IDBRequest and the rest)
Object.assign(globalThis, fakeIDB);
const g = globalThis as unknown as { self: unknown; registration: unknown };
g.self = globalThis;
g.registration = {};
// Workbox's package is written for a bundler (imports without extensions): bundled as a service
// worker's build would, by vite, then loaded
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-wbs-'));
await build({
  configFile: false,
  logLevel: 'silent',
  define: { 'process.env.NODE_ENV': '"production"' },
  build: {
    outDir: out,
    minify: false,
    lib: { entry: createRequire(import.meta.url).resolve('workbox-background-sync'), formats: ['es'], fileName: 'workbox-background-sync' },
  },
});
const { Queue } = (await import(pathToFileURL(path.join(out, 'workbox-background-sync.js')).href)) as typeof WorkboxBackgroundSync;
// forceSyncFallback: replay when asked (no service worker's sync event here); onSync: not at once
const queue = new Queue('bench-replay', { forceSyncFallback: true, onSync: async () => {} });
for (const e of entries)
  await queue.pushRequest({
    request: new Request(`${proxyB.url}/api/sync/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: other.http.cookie },
      body: JSON.stringify({
        deviceId,
        schemaVersion: SCHEMA_VERSION,
        mutations: [{ id: e.id, type: e.type, rowId: e.rowId, hlc: e.hlc, fields: e.fields }],
      }),
    }),
  });
// the queue says only "replay failed": say why
const realFetch = globalThis.fetch;
globalThis.fetch = (async (...a: Parameters<typeof fetch>) =>
  realFetch(...a).catch((e: unknown) => {
    console.error('a replayed request failed:', (e as Error).cause ?? e);
    throw e;
  })) as typeof fetch;
const t1 = performance.now();
await queue.replayRequests();
const workboxS = (performance.now() - t1) / 1000;
proxyB.close();
const stored = Number(
  (
    await server.db
      .selectFrom('record')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('team_id', '=', team)
      .executeTakeFirst()
  )?.n,
);
if (stored !== 2 * N) throw new Error(`the server holds ${stored} records, not ${2 * N}`);

const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
console.log(`syncing ${N} pending records through a throttling proxy: ${RTT_MS} ms round trip, ${(BYTES_PER_S * 8) / 1e6} Mbit/s each way`);
console.log(
  `  Linli flush (batched, gzip, then the pull): ${result.requests} requests on ${linkA.connections} connection(s), ${kb(linkA.up)} up, ${kb(linkA.down)} down, ${linliS.toFixed(1)} s until finished`,
);
console.log(
  `  Workbox background-sync queue, one request per record: ${entries.length} requests on ${linkB.connections} connection(s), ${kb(linkB.up)} up, ${kb(linkB.down)} down, ${workboxS.toFixed(1)} s until finished`,
);
console.log(`  → ${(workboxS / linliS).toFixed(0)}× faster (goal ≥ 100×)`);
await phone.close();
await other.close();
await server.stop();
fs.rmSync(out, { recursive: true, force: true });
