/**
 * Syncing 1,000 pending tickets over an emulated slow link (300 ms round trip, 1.6 Mbit/s):
 * the real flush (batched, gzip) against a one-request-per-record replay — what a plain
 * Workbox background-sync queue does — measured in the same run, against the same server.
 *
 * The link is emulated, not slept: each request costs its round trip plus its bytes (request
 * and response) at the link's rate, added to the measured local time (client + server).
 * Goal (issue 2): ≥ 50× fewer requests and ≥ 20× faster.
 */
import { gzipSync } from 'node:zlib';
import { encodeHlc, initialHlc, tick } from '../src/shared/hlc.ts';
import { mutationRow } from '../src/shared/merge.ts';
import { newId, toLocalRow } from '../src/data/records.ts';
import type { OutboxEntry } from '../src/data/db.ts';
import type { Fetch } from '../src/data/sync/flush.ts';
import { Device, startServer } from '../test/integration/harness.ts';

const N = Number(process.env.BENCH_TICKETS ?? 1000);
const RTT_S = 0.3;
const BYTES_PER_S = 1_600_000 / 8;

const server = await startServer({ name: 'sqlite' });
const team = await server.addTeam('bench');
const user = await server.addUser(team, 'bench');

interface Link {
  requests: number;
  emulatedS: number;
}

function slowLink(inner: Fetch, link: Link): Fetch {
  return async (input, init) => {
    const body = init?.body;
    const sent =
      body === undefined || body === null ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : (body as Uint8Array).byteLength;
    const res = await inner(input, init);
    const buf = new Uint8Array(await res.arrayBuffer());
    // responses travel gzip-compressed behind any ordinary proxy
    const received = gzipSync(buf).length;
    link.requests++;
    link.emulatedS += RTT_S + (sent + received + 400) / BYTES_PER_S;
    return new Response(buf, { status: res.status, headers: res.headers });
  };
}

/**
 * A phone with N records saved and not yet synced: an event and N − 1 tickets, each with the
 * fields the intake form writes. Loaded in bulk (the save path is measured by save-latency;
 * fake-indexeddb is slow per transaction, and that is not what this measures).
 */
async function prepare(): Promise<Device> {
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

// Linli's flush
const batched = await prepare();
const linkA: Link = { requests: 0, emulatedS: 0 };
const t0 = performance.now();
const result = await (
  await import('../src/data/sync/flush.ts')
).flush({ db: batched.db, fetch: slowLink(batched.fetch, linkA), appVersion: 'bench' });
const localA = (performance.now() - t0) / 1000;
if (result.outcome !== 'ok' || (await batched.db.outbox.count()) !== 0) throw new Error('batched flush did not finish');

// One request per record, as a Workbox BackgroundSyncPlugin queue replays them
const single = await prepare();
const linkB: Link = { requests: 0, emulatedS: 0 };
const entries = await single.db.outbox.orderBy('seq').toArray();
const deviceId = await single.db.getMeta('deviceId');
const fetchB = slowLink(single.fetch, linkB);
const t1 = performance.now();
for (const e of entries) {
  const res = await fetchB('/api/sync/push', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      deviceId,
      schemaVersion: 1,
      mutations: [{ id: e.id, type: e.type, rowId: e.rowId, hlc: e.hlc, fields: e.fields }],
    }),
  });
  if (!res.ok) throw new Error(`replay ${res.status}`);
}
const localB = (performance.now() - t1) / 1000;

const totalA = localA + linkA.emulatedS;
const totalB = localB + linkB.emulatedS;
console.log(`syncing ${N} pending records over 300 ms RTT, 1.6 Mbit/s (emulated)`);
console.log(
  `  Linli flush (batched, gzip, then pull): ${linkA.requests} requests, ${totalA.toFixed(1)} s (${localA.toFixed(1)} s local + ${linkA.emulatedS.toFixed(1)} s link)`,
);
console.log(
  `  one request per record:                 ${linkB.requests} requests, ${totalB.toFixed(1)} s (${localB.toFixed(1)} s local + ${linkB.emulatedS.toFixed(1)} s link)`,
);
console.log(
  `  → ${(linkB.requests / linkA.requests).toFixed(0)}× fewer requests (goal ≥ 50), ${(totalB / totalA).toFixed(0)}× faster (goal ≥ 20)`,
);
await batched.close();
await single.close();
await server.stop();
