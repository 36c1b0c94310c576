/**
 * Load benchmark (issue 7): 200 simulated devices, each pushing 500 records in batches and
 * then pulling its team's changes, against one server process on SQLite and against two
 * processes on PostgreSQL (when TEST_DATABASE_URL or DATABASE_URL is set), loopback only.
 * The whole load runs three times over on the same servers (rounds: the first is the
 * issue's load on a fresh server, the others show whether memory stays level). Prints
 * mutations per second, push latency p50/p95/p99, server memory (RSS sampled every 100 ms:
 * each round's median and peak) and a final check that nothing was lost or duplicated.
 *
 *   npm run bench:server                       # SQLite, and PostgreSQL if configured
 *   BENCH_DEVICES=50 npm run bench:server      # smaller
 *   BENCH_ARRIVAL_S=20 npm run bench:server    # devices arriving over 20 s instead of at once
 *   BENCH_ONLY=postgres npm run bench:server   # one half only (sqlite | postgres)
 *   BENCH_ROUNDS=6 npm run bench:server        # the whole load six times over on the same servers (default 3): does memory stay flat?
 *   BENCH_SERVER_FLAGS=--max-semi-space-size=4 BENCH_SERVER_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 \
 *     npm run bench:server                     # server processes with other Node flags, or another allocator
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { missingSettings } from '../src/server/process-settings.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { encodeHlc } from '../src/shared/hlc.ts';
import { nextPushBatch, PULL_PACKED_CLOCKS, PUSH_BATCH_FIRST, pushServerMs } from '../src/shared/protocol.ts';
import { newId } from '../src/data/records.ts';
import { openDatabase, type Db } from '../src/server/db.ts';
import { registerDevice } from '../src/server/device.ts';
import { prepareDatabase } from '../src/server/migrations.ts';
import { createSession } from '../src/server/session.ts';
import { createTeam, createUser } from '../src/server/users.ts';
import { freePort } from '../test/free-port.ts';
import { request } from './load-http.ts';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 200);
const RECORDS = Number(process.env.BENCH_RECORDS ?? 500);
/**
 * Rounds of the whole load against the same server processes: each round every device pushes
 * RECORDS new records and pulls on from its cursor. A server that keeps something per change
 * or per request grows round after round; one whose memory is flat peaks the same in each.
 */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
/**
 * "adaptive" (default): each device sizes its batches as the app's flush does — starting at
 * PUSH_BATCH_FIRST, then by how long the server held the last push (nextPushBatch). A number:
 * every batch that size.
 */
const BATCH_MODE = process.env.BENCH_BATCH ?? 'adaptive';
const FIXED_BATCH = BATCH_MODE === 'adaptive' ? null : Number(BATCH_MODE);
const TEAMS = Math.max(1, Math.round(DEVICES / 20));
/**
 * 0: every device starts at once (a saturation test: throughput; push latency is then the
 * time to drain a queue of 200 — by Little's law about devices ÷ pushes per second). N > 0:
 * device d starts at d/DEVICES × N seconds, an offered load of DEVICES × RECORDS / N
 * mutations per second — the latency a push meets when phones come back online over time.
 */
const ARRIVAL_S = Number(process.env.BENCH_ARRIVAL_S ?? 0);
const PG_URL = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || '';
/**
 * The server processes run as `npm run serve` runs them: with the memory settings of
 * process-settings.ts, and Node flags besides them from BENCH_SERVER_FLAGS (e.g.
 * --max-semi-space-size=4: one given here is kept, as an operator's would be).
 * BENCH_NO_SETTINGS=1 runs them bare, to compare.
 */
const OWN_FLAGS = (process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean);
const MISSING =
  process.env.BENCH_NO_SETTINGS === '1' ? null : missingSettings({ platform: process.platform, env: process.env, execArgv: OWN_FLAGS });
const SERVER_FLAGS = [...(MISSING?.flags ?? []), ...OWN_FLAGS];
/** Environment for the server processes only, e.g. BENCH_SERVER_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2. */
const SERVER_ENV: Record<string, string> = {
  ...(MISSING?.env ?? {}),
  ...(process.env.BENCH_SERVER_PRELOAD ? { LD_PRELOAD: process.env.BENCH_SERVER_PRELOAD } : {}),
};

interface Target {
  name: string;
  processes: number;
  env: Record<string, string>;
  db: Db;
  cleanup: () => Promise<void>;
}

interface Round {
  seconds: number;
  latencies: number[];
  /** Per server process: the highest RSS sampled in the round, and the median of its samples. */
  peak: number[];
  median: number[];
}

async function sqliteTarget(): Promise<Target> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-load-'));
  const db = openDatabase({ dataDir });
  await prepareDatabase(db, undefined);
  return {
    name: 'SQLite, 1 process',
    processes: 1,
    env: { LINLI_DATA_DIR: dataDir, DATABASE_URL: '' },
    db,
    cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
  };
}

async function pgTarget(): Promise<Target> {
  const schema = `load_${Date.now()}`;
  const db = openDatabase({ databaseUrl: PG_URL, dataDir: os.tmpdir(), pgSchema: schema });
  await prepareDatabase(db, schema);
  return {
    name: 'PostgreSQL, 2 processes',
    processes: 2,
    env: { DATABASE_URL: PG_URL, LINLI_PG_SCHEMA: schema },
    db,
    cleanup: async () => {
      await db.destroy();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    },
  };
}

function rss(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The server's command line and malloc setting as it runs (it may have restarted itself with its settings). */
function runningAs(pid: number): string {
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const malloc = fs
      .readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .filter((v) => v.startsWith('MALLOC_') || v.startsWith('GLIBC_TUNABLES='));
    return [...malloc, 'node', ...argv.slice(1)].join(' ');
  } catch {
    return `node ${[...SERVER_FLAGS, 'src/server/main.ts'].join(' ')}`;
  }
}

async function start(target: Target, port: number): Promise<ChildProcess> {
  const proc = spawn(process.execPath, [...SERVER_FLAGS, 'src/server/main.ts'], {
    env: { ...process.env, ...target.env, ...SERVER_ENV, PORT: String(port), HOST: '127.0.0.1', LINLI_LOG_REQUESTS: '0' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return proc;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

const CHANGE_START = Buffer.from('{"type":');
const TAIL_START = Buffer.from('],"cursor":');

/**
 * A pull, retried like a phone would on a dropped connection (a pull is safe to repeat). The
 * changes are counted in the bytes, not parsed: parsing 200 phones' pulls is the phones' work,
 * and here it would take the two cores from the server being measured (it was more CPU than
 * the server's). Each change starts `{"type":`, which no field of these tickets can contain
 * (text inside JSON strings has its quotes escaped), so the count is exact; the pages'
 * contents are checked by the integration tests.
 */
async function pullPage(url: string, headers: Record<string, string>): Promise<{ changes: number; cursor: string; more: boolean }> {
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await request(url, { headers });
      if (res.status === 200) {
        const bytes = res.body;
        const tailAt = bytes.lastIndexOf(TAIL_START);
        const tail = JSON.parse(`{${bytes.subarray(tailAt + 2).toString('utf8')}`) as { cursor: string; more: boolean };
        let changes = 0;
        for (let at = bytes.indexOf(CHANGE_START); at !== -1 && at < tailAt; at = bytes.indexOf(CHANGE_START, at + CHANGE_START.length))
          changes++;
        return { changes, cursor: tail.cursor, more: tail.more };
      }
      if (attempt > 5) throw new Error(`pull ${res.status}`);
    } catch (e) {
      if (attempt > 5) throw e;
    }
  }
}

const q = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

async function run(target: Target): Promise<void> {
  // Set-up, outside the measurement: teams, users, and a signed-in session per device.
  const teams: string[] = [];
  for (let t = 0; t < TEAMS; t++) teams.push((await createTeam(target.db, `负载-${t}`)).id);
  const devices: { id: string; team: string; cookie: string }[] = [];
  const users = await Promise.all(
    teams.map((team, t) =>
      createUser(target.db, { teamId: team, username: `load${t}`, name: `load${t}`, role: 'volunteer', password: 'load-password' }).then(
        (u) => ({ ...u, team }),
      ),
    ),
  );
  for (let d = 0; d < DEVICES; d++) {
    const user = users[d % TEAMS]!;
    const id = (d + 1).toString(16).padStart(16, '0');
    await registerDevice(target.db, { id, teamId: user.team, userId: user.id, userAgent: 'bench' });
    devices.push({ id, team: user.team, cookie: `linli_session=${await createSession(target.db, user.id, id, 30)}` });
  }
  const ports: number[] = [];
  for (let i = 0; i < target.processes; i++) ports.push(await freePort(ports));
  const procs = await Promise.all(ports.map((p) => start(target, p)));
  const command = runningAs(procs[0]!.pid!);
  const peak = procs.map((p) => rss(p.pid!));
  const startRss = [...peak];
  // every sample, to show the shape over the run: rising to a plateau, or growing throughout
  const series: { at: number; rss: number[] }[] = [];
  const sampler = setInterval(() => {
    const now = procs.map((p) => rss(p.pid!));
    now.forEach((b, i) => (peak[i] = Math.max(peak[i]!, b)));
    series.push({ at: performance.now(), rss: now });
  }, 100);

  // Each phone's records, made before the clock starts: a phone takes its records in long
  // before it syncs, and making them here took CPU from the server being measured.
  const outboxesFor = (round: number) =>
    devices.map((dev) =>
      Array.from({ length: RECORDS }, (_, k) => {
        const i = round * RECORDS + k;
        const rowId = newId();
        return JSON.stringify({
          id: newId(),
          type: 'repairTicket',
          rowId,
          hlc: encodeHlc({ ms: Date.now(), counter: i % 0xffff, node: dev.id }),
          fields: {
            id: rowId,
            teamId: dev.team,
            eventId: null,
            number: `A-${String(i + 1).padStart(3, '0')}`,
            category: 'fan',
            problem: '不转',
            // as a phone writes it: the take-in time, which the reports count by
            createdAt: new Date().toISOString(),
            status: 'waiting',
            // 特困: no charge, which is what the fee tier proposes (the server checks a fee against it)
            feeTier: 'waived',
            feeFen: 0,
          },
        });
      }),
    );
  const batchSizes: number[] = [];
  let errors = 0;
  // where each device's pulls have got to: the next round pulls on from there
  const pulledByDevice = new Map<string, { pulled: number; cursor: string; base: string; headers: Record<string, string> }>();
  const rounds: Round[] = [];
  let t0 = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const outboxes = outboxesFor(round);
    const roundLatencies: number[] = [];
    const started = performance.now();
    if (round === 0) t0 = started;
    await Promise.all(
      devices.map(async (dev, d) => {
        if (ARRIVAL_S > 0) await new Promise((r) => setTimeout(r, (d / DEVICES) * ARRIVAL_S * 1000));
        const base = `http://127.0.0.1:${ports[d % ports.length]}`;
        const headers = { 'content-type': 'application/json', cookie: dev.cookie };
        let batch = FIXED_BATCH ?? PUSH_BATCH_FIRST;
        for (let sent = 0; sent < RECORDS;) {
          const mutations = outboxes[d]!.slice(sent, sent + batch);
          const body = `{"deviceId":${JSON.stringify(dev.id)},"schemaVersion":1,"pending":${RECORDS - sent - mutations.length},"mutations":[${mutations.join(',')}]}`;
          let next = batch;
          for (let attempt = 0; ; attempt++) {
            const s = performance.now();
            const res = await request(`${base}/api/sync/push`, { method: 'POST', headers, body }).catch(() => null);
            const ok =
              res?.status === 200
                ? (JSON.parse(res.body.toString('utf8')) as { acked: string[] }).acked.length === mutations.length
                : false;
            roundLatencies.push(performance.now() - s);
            batchSizes.push(mutations.length);
            if (ok) {
              next = FIXED_BATCH ?? nextPushBatch(batch, pushServerMs(String(res!.headers['server-timing'] ?? '')));
              break;
            }
            errors++;
            if (attempt > 5) throw new Error(`push failed: ${res?.status} ${res?.body.toString('utf8').slice(0, 400)}`);
          }
          sent += mutations.length;
          batch = next;
        }
        let { cursor, pulled } = pulledByDevice.get(dev.id) ?? { cursor: '0', pulled: 0 };
        for (;;) {
          const page = await pullPage(`${base}/api/sync/pull?cursor=${cursor}&limit=1000&${PULL_PACKED_CLOCKS}`, headers);
          pulled += page.changes;
          cursor = page.cursor;
          if (!page.more) break;
        }
        pulledByDevice.set(dev.id, { pulled, cursor, base, headers });
      }),
    );
    const ended = performance.now();
    const inRound = series.filter((x) => x.at >= started && x.at <= ended);
    rounds.push({
      seconds: (ended - started) / 1000,
      latencies: roundLatencies.sort((a, b) => a - b),
      peak: procs.map((_, i) => Math.max(0, ...inRound.map((x) => x.rss[i]!))),
      median: procs.map((_, i) =>
        q(
          inRound.map((x) => x.rss[i]!).sort((a, b) => a - b),
          0.5,
        ),
      ),
    });
  }
  const seconds = rounds.reduce((sum, r) => sum + r.seconds, 0);
  const span = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  // CPU seconds each server process spent on the run (user + system): steadier than wall time on a shared machine
  const cpu = procs.map((p) => {
    const f = fs.readFileSync(`/proc/${p.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  });
  for (const p of procs) p.kill('SIGTERM');

  const total = DEVICES * RECORDS * ROUNDS;
  const rows = Number(
    (
      await target.db
        .selectFrom('record')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  const applied = Number(
    (
      await target.db
        .selectFrom('applied_mutation')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  const latencies = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const sizes = [...batchSizes].sort((a, b) => a - b);
  const batchText = FIXED_BATCH
    ? `batches of ${FIXED_BATCH}`
    : `batches sized by the server's time (${batchSizes.length} pushes, size p50 ${q(sizes, 0.5)}, range ${sizes[0]}–${sizes.at(-1)})`;
  console.log(
    `${target.name}: ${DEVICES} devices × ${RECORDS} records${ROUNDS > 1 ? ` × ${ROUNDS} rounds` : ''}, ${batchText}, ${TEAMS} teams, ${ARRIVAL_S > 0 ? `arriving over ${ARRIVAL_S} s (offered ${Math.round((DEVICES * RECORDS) / ARRIVAL_S)} mutations/s)` : 'all at once'}`,
  );
  console.log(
    `  server processes: ${command}${process.env.BENCH_SERVER_PRELOAD ? ` (LD_PRELOAD ${process.env.BENCH_SERVER_PRELOAD})` : ''}`,
  );
  console.log(`  ${total} mutations in ${seconds.toFixed(1)} s (pushes and pulls) → ${Math.round(total / seconds)} mutations/s`);
  console.log(
    `  push latency p50 ${q(latencies, 0.5).toFixed(0)} ms, p95 ${q(latencies, 0.95).toFixed(0)} ms, p99 ${q(latencies, 0.99).toFixed(0)} ms; retried pushes ${errors}`,
  );
  console.log(
    `  server memory (RSS) per process: start ${startRss.map((b) => (b / 1e6).toFixed(0)).join(' / ')} MB, peak ${peak.map((b) => (b / 1e6).toFixed(0)).join(' / ')} MB; CPU ${cpu.map((c) => c.toFixed(1)).join(' / ')} s`,
  );
  const quarters = [0, 1, 2, 3].map((k) => {
    const inQuarter = series.filter((x) => x.at - t0 >= (k * span * 1000) / 4 && x.at - t0 < ((k + 1) * span * 1000) / 4);
    return procs.map((_, i) => Math.max(0, ...inQuarter.map((x) => x.rss[i]!)));
  });
  console.log(`  peak RSS in each quarter of the run: ${quarters.map((q) => q.map((b) => (b / 1e6).toFixed(0)).join('+')).join(' → ')} MB`);
  const mb = (bs: number[]) => bs.map((b) => (b / 1e6).toFixed(0)).join(' / ');
  for (const [r, round] of rounds.entries()) {
    console.log(
      `  round ${r + 1}: ${Math.round((DEVICES * RECORDS) / round.seconds)} mutations/s, push p95 ${q(round.latencies, 0.95).toFixed(0)} ms, RSS median ${mb(round.median)} MB, peak ${mb(round.peak)} MB`,
    );
  }
  if (ROUNDS > 2) {
    // Round 1 is the warm-up (V8 and the allocators growing to the load's working set); a
    // server that keeps something per change or per request goes on growing after it.
    const after = rounds.slice(1);
    const drift = (pick: (r: Round) => number[]) =>
      Math.max(...procs.map((_, i) => (pick(after.at(-1)!)[i]! - pick(after[0]!)[i]!) / pick(after[0]!)[i]!)) * 100;
    console.log(
      `  memory from round 2 to round ${ROUNDS}: median RSS ${drift((r) => r.median) >= 0 ? '+' : ''}${drift((r) => r.median).toFixed(0)}%, peak ${drift((r) => r.peak) >= 0 ? '+' : ''}${drift((r) => r.peak).toFixed(0)}% (the larger of the processes)`,
    );
  }
  // Catch-up (not measured): each device pulls on from its own cursor — never from zero — and
  // must then hold exactly its team's rows: a change skipped under load would be missing.
  const perTeam = total / TEAMS;
  for (const p of procs) if (p.exitCode === null && p.signalCode === null) await new Promise((r) => p.once('exit', r));
  // a fresh port: clients' kept-alive sockets to the stopped processes must not be reused
  const catchUpPort = await freePort(ports);
  const again = await start(target, catchUpPort);
  let pullsOk = true;
  for (const dev of pulledByDevice.values()) {
    let { cursor, pulled } = dev;
    for (;;) {
      const page = await pullPage(
        `http://127.0.0.1:${catchUpPort}/api/sync/pull?cursor=${cursor}&limit=1000&${PULL_PACKED_CLOCKS}`,
        dev.headers,
      );
      pulled += page.changes;
      cursor = page.cursor;
      if (!page.more) break;
    }
    if (pulled !== perTeam) pullsOk = false;
  }
  again.kill('SIGTERM');
  console.log(
    `  check: ${rows} rows and ${applied} applied mutations for ${total} sent — ${rows === total && applied === total ? 'nothing lost, nothing duplicated' : 'MISMATCH'}; every device, pulling on from its cursor, holds exactly its team's ${perTeam}: ${pullsOk ? 'yes' : 'NO'}`,
  );
  await target.cleanup();
}

/** `sqlite` or `postgres`: run only that half. */
const ONLY = process.env.BENCH_ONLY ?? '';
if (ONLY !== 'postgres') await run(await sqliteTarget());
if (ONLY !== 'sqlite') {
  if (PG_URL) await run(await pgTarget());
  else console.log('PostgreSQL: set TEST_DATABASE_URL to run the two-process PostgreSQL half');
}
