/**
 * Server push throughput on SQLite: new mutations applied per second, 1,000-mutation batches,
 * over HTTP on loopback against one server process. Goal (issue 2): ≥ 10,000/s.
 */
import { encodeHlc } from '../src/shared/hlc.ts';
import { newId } from '../src/data/records.ts';
import { HttpClient, startServer } from '../test/integration/harness.ts';

const BATCHES = Number(process.env.BENCH_BATCHES ?? 30);
const BATCH = 1000;

const server = await startServer({ name: 'sqlite' });
const team = await server.addTeam('bench');
const user = await server.addUser(team, 'bench');
const http = new HttpClient(server.url);
await http.json('/api/auth/login', { body: { username: user.username, password: user.password, deviceId: '0000000000000b0b' } });

function batch(n: number) {
  const now = Date.now();
  return JSON.stringify({
    deviceId: '0000000000000b0b',
    schemaVersion: 1,
    mutations: Array.from({ length: BATCH }, (_, i) => ({
      id: newId(),
      type: 'repairTicket',
      rowId: newId(),
      hlc: encodeHlc({ ms: now, counter: i, node: '0000000000000b0b' }),
      fields: {
        eventId: null,
        number: `B-${String(i + 1).padStart(3, '0')}`,
        category: 'fan',
        problem: `第 ${n}-${i} 台不转`,
        status: 'waiting',
        // 特困: no charge, which is what the fee tier proposes (the server checks a fee against it)
        feeTier: 'waived',
        feeFen: 0,
      },
    })),
  });
}

const bodies = Array.from({ length: BATCHES + 2 }, (_, n) => batch(n));
// warm-up
for (const b of bodies.slice(0, 2))
  await http.fetch('/api/sync/push', { method: 'POST', headers: { 'content-type': 'application/json' }, body: b });
const latencies: number[] = [];
const started = performance.now();
for (const b of bodies.slice(2)) {
  const t0 = performance.now();
  const res = await http.fetch('/api/sync/push', { method: 'POST', headers: { 'content-type': 'application/json' }, body: b });
  const body = (await res.json()) as { acked: string[] };
  if (body.acked.length !== BATCH) throw new Error('not all acked');
  latencies.push(performance.now() - t0);
}
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const rows = await server.db
  .selectFrom('record')
  .select((eb) => eb.fn.countAll<number>().as('n'))
  .executeTakeFirstOrThrow();
console.log('server push throughput (SQLite, synchronous=FULL, HTTP loopback, one process)');
console.log(
  `  ${BATCHES} batches × ${BATCH} mutations in ${seconds.toFixed(2)} s → ${Math.round((BATCHES * BATCH) / seconds)} mutations/s (goal ≥ 10,000)`,
);
console.log(
  `  per batch p50 ${latencies[Math.floor(latencies.length / 2)]!.toFixed(0)} ms, p95 ${latencies[Math.floor(latencies.length * 0.95)]!.toFixed(0)} ms; rows in database: ${Number(rows.n)}`,
);
await server.stop();
