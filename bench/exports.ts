/**
 * Exports never stall the server (issue 20, item 10): a district team's register — 13,000
 * households with 26,000 residents, 40,000 visits and 3,000 needs — exported as
 * `households.csv` through a real server process (`node src/server/main.ts`), downloaded to
 * the last byte. Then `/api/health` is probed every 25 ms, first with nothing else running
 * (the baseline, in the same run) and then while ten coordinators export the register at
 * once, again and again. Prints the export's time, the probe's p50/p99/max in both phases and
 * the server's peak memory. Goals: one export ≤ 1 s; `/api/health` p99 ≤ 100 ms during ten.
 * SQLite always; PostgreSQL too with TEST_DATABASE_URL.
 *
 *   node bench/exports.ts
 *   BENCH_HOUSEHOLDS=30000 node bench/exports.ts
 *   BENCH_ONLY=sqlite BENCH_PROFILE=/tmp/prof node bench/exports.ts   # one database; the server's CPU profile
 */
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import { newId } from '../src/data/records.ts';
import { rebuildFacts } from '../src/server/facts.ts';
import { missingSettings } from '../src/server/process-settings.ts';
import { freePort } from '../test/free-port.ts';
import { BACKENDS, HttpClient, spawnServer, startServer } from '../test/integration/harness.ts';

const HOUSEHOLDS = Number(process.env.BENCH_HOUSEHOLDS ?? 13_000);
const VISITS = HOUSEHOLDS * 3;
const NEEDS = Math.round(HOUSEHOLDS / 4);
const EXPORTS_AT_ONCE = 10;
const PROBE_EVERY_MS = 25;
const PHASE_MS = 8_000;
const SINGLE_RUNS = 7;

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;

/** Downloads one export to its last byte; its rows counted from the lines. */
async function download(http: HttpClient): Promise<{ ms: number; lines: number; bytes: number }> {
  const start = performance.now();
  const res = await http.fetch('/api/export/households.csv?from=2026-01-01&to=2026-12-31');
  if (res.status !== 200) throw new Error(`export ${res.status}: ${await res.text()}`);
  const text = await res.text();
  return { ms: performance.now() - start, lines: text.split('\n').length - 2, bytes: Buffer.byteLength(text) };
}

/**
 * `/api/health` every PROBE_EVERY_MS for `forMs`, each answer's time — from a thread of its
 * own, so the ten downloads' work in this process never delays the probe's own clock.
 */
function probe(base: string, forMs: number): Promise<number[]> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    (async () => {
      const times = [];
      const end = performance.now() + workerData.forMs;
      while (performance.now() < end) {
        const s = performance.now();
        const res = await fetch(workerData.base + '/api/health');
        await res.arrayBuffer();
        times.push(performance.now() - s);
        await new Promise((r) => setTimeout(r, workerData.every));
      }
      parentPort.postMessage(times);
    })();`;
  const worker = new Worker(code, { eval: true, workerData: { base, forMs, every: PROBE_EVERY_MS } });
  return new Promise((resolve, reject) => {
    worker.once('message', (times: number[]) => {
      resolve(times);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

/** The server process's peak resident memory so far (VmHWM), in MB. */
function peakMb(pid: number | undefined): number {
  const status = pid ? fs.readFileSync(`/proc/${pid}/status`, 'utf8') : '';
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

for (const backend of BACKENDS.filter((b) => !process.env.BENCH_ONLY || b.name === process.env.BENCH_ONLY)) {
  const seedServer = await startServer(backend);
  const team = await seedServer.addTeam('一个街道的社区');
  const coord = await seedServer.addUser(team, 'export-coord', 'coordinator');
  const now = Date.now();
  let seq = 0;
  const rows: { row_id: string; type: string; team_id: string; fields: string; clocks: string; seq: number; updated_at: number }[] = [];
  const add = (type: string, fields: Record<string, unknown>) => {
    const id = newId();
    rows.push({
      row_id: id,
      type,
      team_id: team,
      fields: JSON.stringify({ id, teamId: team, ...fields }),
      clocks: '{}',
      seq: ++seq,
      updated_at: now,
    });
    return id;
  };
  const at = (i: number, n: number) => new Date(Date.UTC(2026, 0, 1) + Math.floor((i * 330 * 86_400_000) / n)).toISOString();
  const tags = [['alone'], ['alone', 'disabled'], [], ['lowIncome'], ['migrant'], ['emptyNest', 'alone'], []];
  const households = Array.from({ length: HOUSEHOLDS }, (_, i) =>
    add('household', {
      gridCode: `网格${(i % 24) + 1}`,
      compound: ['东湖小区', '西苑', '和平里'][i % 3],
      building: String(1 + (i % 60)),
      unit: String(1 + (i % 4)),
      room: String(101 + (i % 1800)),
      headName: ['王秀英', '李建国', '张桂兰', '刘德华', '陈淑珍'][i % 5],
      phone: `138${String(10_000_000 + i).padStart(8, '0')}`,
      tags: tags[i % tags.length],
      dialect: i % 9 === 0 ? '温州话' : '',
      emergencyName: '女儿',
      emergencyPhone: '13900001111',
      visitIntervalDays: [14, 30, 60][i % 3],
      notes: i % 4 === 0 ? '耳朵不好，敲门要用力；=1+1 这样的字也照原样' : '',
      createdAt: at(i % 40, 330),
      deleted: false,
    }),
  );
  for (let i = 0; i < HOUSEHOLDS * 2; i++) {
    add('resident', {
      householdId: households[i % HOUSEHOLDS],
      name: '张建国',
      birthYear: 1940 + (i % 30),
      consent: 'none',
      deleted: false,
    });
  }
  for (let i = 0; i < VISITS; i++) {
    add('visit', {
      householdId: households[(i * 7) % HOUSEHOLDS],
      at: at(i, VISITS),
      kind: 'routine',
      outcome: ['met', 'met', 'notHome'][i % 3],
      createdAt: at(i, VISITS),
      deleted: false,
    });
  }
  for (let i = 0; i < NEEDS; i++) {
    add('need', {
      householdId: households[(i * 11) % HOUSEHOLDS],
      category: 'care',
      urgency: 'normal',
      route: 'volunteers',
      status: ['open', 'assigned', 'resolved'][i % 3],
      description: '需要陪同就医',
      createdAt: at(i, NEEDS),
      deleted: false,
    });
  }
  const t0 = performance.now();
  for (let i = 0; i < rows.length; i += 500)
    await seedServer.db
      .insertInto('record')
      .values(rows.slice(i, i + 500))
      .execute();
  await sql`update team_seq set seq = ${seq} where team_id = ${team}`.execute(seedServer.db);
  await rebuildFacts(seedServer.db);
  await sql`analyze`.execute(seedServer.db);
  console.log(
    `${backend.name}: ${HOUSEHOLDS.toLocaleString('en')} households, ${rows.length.toLocaleString('en')} records loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const port = await freePort();
  // as `npm run serve` runs it: with its memory settings (BENCH_PROFILE=dir adds a CPU profile)
  const settings = missingSettings({ platform: process.platform, env: {}, execArgv: [] });
  const proc = await spawnServer(seedServer, port, {
    env: { ...process.env, ...settings?.env },
    flags: [
      ...(settings?.flags ?? []),
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
    ],
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    const signIn = async () => {
      const h = new HttpClient(base);
      const r = await h.json('/api/auth/login', { body: { username: coord.username, password: coord.password } });
      if (r.status !== 200) throw new Error(`login ${r.status}`);
      return h;
    };
    const http = await signIn();
    const single: number[] = [];
    let shape = '';
    for (let r = 0; r < SINGLE_RUNS + 1; r++) {
      const d = await download(http);
      if (d.lines !== HOUSEHOLDS) throw new Error(`export held ${d.lines} rows, not ${HOUSEHOLDS}`);
      if (r > 0) single.push(d.ms);
      shape = `${d.lines.toLocaleString('en')} rows, ${(d.bytes / 1e6).toFixed(1)} MB`;
    }
    const one = quantile(single, 0.5);
    console.log(
      `  one export (${shape}):  p50 ${ms(one)}  max ${ms(Math.max(...single))}  (goal ≤ 1,000 ms) ${Math.max(...single) <= 1000 ? 'OK' : 'MISSED'}`,
    );

    const idle = await probe(base, PHASE_MS);
    console.log(
      `  /api/health, nothing else running: p50 ${ms(quantile(idle, 0.5))}  p99 ${ms(quantile(idle, 0.99))}  max ${ms(Math.max(...idle))}  (${idle.length} probes)`,
    );

    const coordinators = await Promise.all(Array.from({ length: EXPORTS_AT_ONCE }, signIn));
    const start = performance.now();
    const exportTimes: number[] = [];
    const exporting = Promise.all(
      coordinators.map(async (h) => {
        while (performance.now() - start < PHASE_MS) exportTimes.push((await download(h)).ms);
      }),
    );
    const busy = await probe(base, PHASE_MS);
    await exporting;
    const p99 = quantile(busy, 0.99);
    console.log(
      `  /api/health, ${EXPORTS_AT_ONCE} exports at once: p50 ${ms(quantile(busy, 0.5))}  p99 ${ms(p99)}  max ${ms(Math.max(...busy))}  (${busy.length} probes; goal p99 ≤ 100 ms) ${p99 <= 100 ? 'OK' : 'MISSED'}`,
    );
    console.log(
      `  the ${exportTimes.length} exports meanwhile: p50 ${ms(quantile(exportTimes, 0.5))}  max ${ms(Math.max(...exportTimes))}; server peak RSS ${peakMb(proc.pid).toFixed(0)} MB`,
    );
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
    await seedServer.stop();
  }
}
