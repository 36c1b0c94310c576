/**
 * The coordinator's dashboard on a team with a year of data (issue 6): 20,000 repair tickets
 * at 100 events (plus 2,000 home repairs), 5,000 households with 10,000 residents, 30,000
 * visits, 50,000 health checks and 4,000 needs, linked as the phones link them — every panel
 * (repairs, visits, needs, health) computed from them. Times `GET /api/dashboard` over HTTP for a day, a month
 * and the whole year. Goal: < 300 ms. SQLite always; PostgreSQL too with TEST_DATABASE_URL.
 */
import { sql } from 'kysely';
import { newId } from '../src/data/records.ts';
import { rebuildFacts } from '../src/server/facts.ts';
import { BACKENDS, HttpClient, startServer } from '../test/integration/harness.ts';

const TICKETS = 20_000;
const EVENTS = 100;
const HOME = 2_000;
const HOUSEHOLDS = 5_000;
const RESIDENTS_PER_HOUSEHOLD = 2;
const VISITS = 30_000;
const CHECKS = 50_000;
const NEEDS = 4_000;
const RUNS = 15;

const categories = ['fan', 'smallKitchen', 'kettle', 'knife', 'umbrella', 'clothing', 'lamp', 'radio', 'miscPowered', 'miscUnpowered'];
const statuses = ['waiting', 'repairing', 'done', 'collected', 'collected', 'collected', 'cancelled', 'noShow'];
const outcomes = [null, 'fixed', 'fixed', 'fixed', 'repairable', 'endOfLife', 'unknown'];

function day(i: number): string {
  const d = new Date(Date.UTC(2026, 0, 1) + i * 86_400_000);
  return d.toISOString().slice(0, 10);
}

for (const backend of BACKENDS) {
  const server = await startServer(backend);
  const team = await server.addTeam('一年');
  const coord = await server.addUser(team, 'dash-coord', 'coordinator');
  const now = Date.now();
  let seq = 0;
  const rows: { row_id: string; type: string; team_id: string; fields: string; clocks: string; seq: number; updated_at: number }[] = [];
  const push = (type: string, fields: Record<string, unknown>) => {
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
  const events = Array.from({ length: EVENTS }, (_, i) =>
    push('repairEvent', {
      title: `第${i}次`,
      date: day(Math.floor((i * 365) / EVENTS)),
      site: '院子',
      status: 'closed',
      volunteerCount: 6,
      volunteerHours: 24,
    }),
  );
  for (let i = 0; i < TICKETS + HOME; i++) {
    const home = i >= TICKETS;
    push('repairTicket', {
      eventId: home ? null : events[i % EVENTS],
      householdId: null,
      mode: home ? 'home' : 'event',
      number: `A-${String(i).padStart(5, '0')}`,
      category: categories[i % categories.length],
      problem: '不转了，有异响，开关松动',
      residentName: '王阿姨',
      residentPhone: '13800138000',
      status: statuses[i % statuses.length],
      outcome: outcomes[i % outcomes.length],
      feeTier: 'standard',
      materialsFen: 300,
      feeFen: 800,
      subsidyFen: 0,
      weightKg: i % 10 >= 8 ? 1.5 : null,
      factorSet: 'restart-2026-1',
      createdAt: new Date(Date.UTC(2026, 0, 1) + (i % 365) * 86_400_000 + 3_600_000).toISOString(),
      deleted: i % 97 === 0,
    });
  }
  // door to door and health, spread over the year, linked as the phones link them
  const at = (i: number, n: number) =>
    new Date(Date.UTC(2026, 0, 1) + Math.floor((i * 365 * 86_400_000) / n) + 2 * 3_600_000).toISOString();
  const households = Array.from({ length: HOUSEHOLDS }, (_, i) =>
    push('household', {
      gridCode: `A${i % 12}`,
      building: String(1 + (i % 40)),
      unit: String(1 + (i % 3)),
      room: String(101 + (i % 600)),
      headName: '王秀英',
      visitIntervalDays: [14, 30, 60][i % 3],
      createdAt: at(i % 60, 365),
      deleted: false,
    }),
  );
  const residents: [string, string][] = [];
  for (let i = 0; i < HOUSEHOLDS * RESIDENTS_PER_HOUSEHOLD; i++) {
    const h = households[i % HOUSEHOLDS]!;
    residents.push([
      push('resident', { householdId: h, name: '张建国', consent: 'given', consentAt: at(0, 365), createdAt: at(0, 365), deleted: false }),
      h,
    ]);
  }
  for (let i = 0; i < VISITS; i++) {
    push('visit', {
      householdId: households[(i * 7) % HOUSEHOLDS],
      at: at(i, VISITS),
      kind: 'routine',
      outcome: ['met', 'met', 'met', 'notHome', 'declined'][i % 5],
      gas: i % 41 === 0 ? 'problem' : 'ok',
      wiring: 'ok',
      smokeAlarm: 'notChecked',
      walkways: 'ok',
      notes: '老人身体还好，家里燃气检查正常。',
      createdAt: at(i, VISITS),
      deleted: false,
    });
  }
  const checkIds: string[] = [];
  for (let i = 0; i < CHECKS; i++) {
    const [resident, household] = residents[(i * 13) % residents.length]!;
    const level = [
      'normal',
      'normal',
      'normal',
      'watch',
      'abnormal',
      'normal',
      'normal',
      'normal',
      'watch',
      'normal',
      'normal',
      'normal',
      'abnormal',
      'normal',
      'normal',
      'normal',
      'normal',
      'normal',
      'normal',
      'urgent',
    ][i % 20];
    checkIds.push(
      push('healthCheck', {
        residentId: resident,
        householdId: household,
        at: at(i, CHECKS),
        systolic: 128,
        diastolic: 82,
        pulse: 74,
        level,
        flags: level === 'urgent' ? ['bp.grade3'] : [],
        createdAt: at(i, CHECKS),
        deleted: false,
      }),
    );
  }
  for (let i = 0; i < NEEDS; i++) {
    const status = ['open', 'assigned', 'inProgress', 'resolved', 'resolved', 'resolved', 'closed'][i % 7];
    push('need', {
      householdId: households[(i * 11) % HOUSEHOLDS],
      healthCheckId: i % 9 === 0 ? checkIds[i * 12] : null,
      category: ['medical', 'repair', 'supplies', 'policy', 'care'][i % 5],
      urgency: i % 6 === 0 ? 'urgent' : 'normal',
      route: i % 5 === 3 ? 'department' : 'volunteers',
      status,
      description: '需要陪同就医',
      createdAt: at(i, NEEDS),
      resolvedAt: status === 'resolved' || status === 'closed' ? at(i + 10, NEEDS) : null,
      evaluation: status === 'resolved' ? 'satisfied' : null,
      deleted: false,
    });
  }
  const t0 = performance.now();
  for (let i = 0; i < rows.length; i += 500)
    await server.db
      .insertInto('record')
      .values(rows.slice(i, i + 500))
      .execute();
  await sql`update team_seq set seq = ${seq} where team_id = ${team}`.execute(server.db);
  // the report tables the door-to-door and health panels read, as pushes would have written them
  await rebuildFacts(server.db);
  await sql`analyze`.execute(server.db);
  console.log(`${backend.name}: ${rows.length.toLocaleString('en')} records loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const http = new HttpClient(server.url);
  await http.json('/api/auth/login', { body: { username: coord.username, password: coord.password } });
  for (const [label, from, to] of [
    ['one day', day(91), day(91)],
    ['one month', '2026-03-01', '2026-03-31'],
    ['the whole year', '2026-01-01', '2026-12-31'],
  ] as const) {
    const times: number[] = [];
    let counted = '';
    for (let r = 0; r < RUNS + 2; r++) {
      const s = performance.now();
      const res = await http.json<{
        repairs: { tickets: number };
        visits: { visits: number };
        needs: { opened: number };
        health: { checks: number; residentsFlagged: number };
      }>(`/api/dashboard?from=${from}&to=${to}`);
      if (res.status !== 200) throw new Error(`dashboard ${res.status}`);
      if (r >= 2) times.push(performance.now() - s);
      const b = res.body;
      counted = `${b.repairs.tickets} tickets, ${b.visits.visits} visits, ${b.needs.opened} needs, ${b.health.checks} checks (${b.health.residentsFlagged} residents flagged)`;
    }
    times.sort((a, b) => a - b);
    const p50 = times[Math.floor(times.length / 2)]!;
    const max = times[times.length - 1]!;
    console.log(
      `  ${label.padEnd(15)} p50 ${p50.toFixed(1)} ms  max ${max.toFixed(1)} ms  (goal < 300 ms) ${max < 300 ? 'OK' : 'MISSED'} — ${counted}`,
    );
  }
  await server.stop();
}
