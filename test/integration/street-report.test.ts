/**
 * The street office's report (issue 24, item 4): November 2026 beside October, on a data set
 * whose figures are worked out by hand in the comments — repairs and hours entered through
 * the phone's own data layer, visits, needs (with their steps) and health checks pushed
 * through the real sync endpoint with fixed dates in the team's zone (Asia/Shanghai). Then
 * what it leaves out: personal data unless asked for (and then audited), and who may ask.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHlc } from '../../src/shared/hlc.ts';
import { SCHEMA_VERSION } from '../../src/shared/protocol.ts';
import { RECORD_DEFAULTS, type RecordType } from '../../src/shared/record-defaults.ts';
import type { StreetReport } from '../../src/shared/street-report.ts';
import { newId } from '../../src/data/records.ts';
import { saveRepairEvent, saveRepairTicket } from '../../src/data/repair-save.ts';
import { checkIn, checkOut, confirmHours, saveVolunteer } from '../../src/data/hours-save.ts';
import { BACKENDS, Device, pushRaw, startServer, type TestServer } from './harness.ts';

const at = (day: string, hour = 10) => new Date(Date.parse(`${day}T00:00:00+08:00`) + hour * 3_600_000).toISOString();

describe.each(BACKENDS)('the street office report on $name', (backend) => {
  let server: TestServer;
  let coord: Device;
  let volunteer: Device;
  let teamId: string;
  const ids: Record<string, string> = {};
  const id = (name: string) => (ids[name] ??= newId());

  async function push(records: { type: RecordType; name: string; fields: Record<string, unknown> }[]) {
    const node = (await coord.db.getMeta('deviceId'))!;
    const user = (await coord.db.getMeta('user'))!;
    let counter = 0;
    const mutations = records.map((r) => ({
      id: newId(),
      type: r.type,
      rowId: id(r.name),
      hlc: encodeHlc({ ms: Date.now(), counter: counter++, node }),
      fields: {
        ...RECORD_DEFAULTS[r.type],
        id: id(r.name),
        teamId: user.teamId,
        createdBy: user.id,
        updatedAt: String(r.fields.createdAt ?? at('2026-09-01')),
        ...r.fields,
      },
    }));
    const res = await coord.http.json<{ acked: string[]; rejected: unknown[] }>('/api/sync/push', {
      body: { deviceId: node, schemaVersion: SCHEMA_VERSION, mutations },
    });
    expect(res.body.rejected).toEqual([]);
    expect(res.body.acked).toHaveLength(records.length);
  }

  beforeAll(async () => {
    server = await startServer(backend);
    teamId = await server.addTeam('东湖社区');
    const c = await server.addUser(teamId, 'coord', 'coordinator');
    await server.db.updateTable('app_user').set({ name: '李主任' }).where('id', '=', c.id).execute();
    const v = await server.addUser(teamId, 'vol');
    coord = new Device(server);
    await coord.signIn(c.username, c.password);
    volunteer = new Device(server);
    await volunteer.signIn(v.username, v.password);
    server.now.offset = Date.parse('2026-12-05T02:00:00Z') - Date.now();

    const household = (name: string, registered: string, interval: number) => ({
      type: 'household' as const,
      name,
      fields: { gridCode: 'A1', building: '1', room: name, headName: name, createdAt: at(registered), visitIntervalDays: interval },
    });
    const visit = (name: string, hh: string, day: string, safety: Record<string, string>) => ({
      type: 'visit' as const,
      name,
      fields: { householdId: id(hh), at: at(day), createdAt: at(day), kind: 'routine', outcome: 'met', ...safety },
    });
    const need = (name: string, created: string, f: Record<string, unknown>) => ({
      type: 'need' as const,
      name,
      fields: { householdId: id('H1'), createdAt: at(created), description: name, category: 'care', route: 'volunteers', ...f },
    });
    const step = (name: string, need: string, day: string, action: string, status: string) => ({
      type: 'needLog' as const,
      name,
      fields: { needId: id(need), at: at(day), createdAt: at(day), byName: '老李', action, status },
    });
    await push([
      household('H1', '2026-09-01', 30),
      household('H2', '2026-10-01', 7),
      // October: H1's gas a problem on 10-10, fine on 10-20 — found 1, removed 1
      visit('V1', 'H1', '2026-10-10', { gas: 'problem' }),
      visit('V2', 'H1', '2026-10-20', { gas: 'ok' }),
      // November: H1's wiring a problem on 11-15 and still on 11-25; H2's smoke alarm a problem
      // on 11-05, fine on 11-20; H2's wiring a problem on 12-02, after the month — found 2, removed 1
      visit('V3', 'H1', '2026-11-15', { wiring: 'problem' }),
      visit('V4', 'H1', '2026-11-25', { wiring: 'problem', gas: 'ok' }),
      visit('V5', 'H2', '2026-11-05', { smokeAlarm: 'problem' }),
      visit('V6', 'H2', '2026-11-20', { smokeAlarm: 'ok' }),
      visit('V7', 'H2', '2026-12-02', { wiring: 'problem' }),
      // needs: N4 came in October and was resolved 11-02; November received N1 (resolved 11-10),
      // N2 (closed 11-06), N3 (open) — resolved of received 1 / 3; evaluations of the needs
      // finished in November: N1 satisfied, N2 unsatisfied, N4 neutral — satisfaction 1 / 3
      need('N4', '2026-10-15', { status: 'resolved', resolution: '已办', resolvedAt: at('2026-11-02'), evaluation: 'neutral' }),
      step('L4a', 'N4', '2026-10-15', 'created', 'open'),
      step('L4b', 'N4', '2026-11-02', 'resolved', 'resolved'),
      need('N1', '2026-11-03', { status: 'resolved', resolution: '已办', resolvedAt: at('2026-11-10'), evaluation: 'satisfied' }),
      step('L1a', 'N1', '2026-11-03', 'created', 'open'),
      step('L1b', 'N1', '2026-11-10', 'resolved', 'resolved'),
      need('N2', '2026-11-05', { status: 'closed', resolution: '家属已办', resolvedAt: at('2026-11-06'), evaluation: 'unsatisfied' }),
      step('L2a', 'N2', '2026-11-05', 'created', 'open'),
      step('L2b', 'N2', '2026-11-06', 'closed', 'closed'),
      need('N3', '2026-11-20', {}),
      step('L3a', 'N3', '2026-11-20', 'created', 'open'),
      {
        type: 'resident',
        name: 'R1',
        fields: {
          householdId: id('H1'),
          name: '王秀英',
          consent: 'given',
          consentBy: 'self',
          consentByName: '王秀英',
          consentAt: at('2026-10-01'),
          createdAt: at('2026-10-01'),
        },
      },
      // health: October one normal check; November one high reading on 11-10, followed up by the visit of 11-15
      {
        type: 'healthCheck',
        name: 'C1',
        fields: {
          residentId: id('R1'),
          householdId: id('H1'),
          at: at('2026-10-05'),
          createdAt: at('2026-10-05'),
          level: 'normal',
          systolic: 118,
          diastolic: 76,
        },
      },
      {
        type: 'healthCheck',
        name: 'C2',
        fields: {
          residentId: id('R1'),
          householdId: id('H1'),
          at: at('2026-11-10'),
          createdAt: at('2026-11-10'),
          level: 'abnormal',
          flags: ['pulse.high'],
          pulse: 108,
        },
      },
    ]);

    // repairs on 21 November, through the volunteer's phone: a fan fixed (7.8 kg CO2e, 3.9 kg),
    // 1 kg of something powered fixed (16.033396165, 1 kg), an umbrella fixed (0.415, 0.4 kg),
    // a kettle past repair — 4 items, 3 fixed (75 %), 24.248396165 → 24.25 kg CO2e, 5.3 kg waste
    const eventId = newId();
    expect(
      (await saveRepairEvent({ id: eventId, title: '修理日', date: '2026-11-21', site: '院子', status: 'open' }, volunteer.db)).ok,
    ).toBe(true);
    for (const t of [
      { category: 'fan' as const, outcome: 'fixed' as const },
      { category: 'miscPowered' as const, outcome: 'fixed' as const, weightKg: 1 },
      { category: 'umbrella' as const, outcome: 'fixed' as const },
      { category: 'kettle' as const, outcome: 'endOfLife' as const },
    ]) {
      const r = await saveRepairTicket({ id: newId(), eventId, problem: '坏了', status: 'done', feeTier: 'waived', ...t }, volunteer.db);
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
    }
    // two volunteers signed in that day; the coordinator confirms 3 h and 2.5 h — 2 volunteers, 5.5 h
    const people = [newId(), newId()];
    await saveVolunteer({ id: people[0]!, name: '小林' }, volunteer.db);
    await saveVolunteer({ id: people[1]!, name: '小王' }, volunteer.db);
    for (const p of people) {
      expect((await checkIn(eventId, p, volunteer.db)).ok).toBe(true);
      expect((await checkOut(eventId, p, volunteer.db)).ok).toBe(true);
    }
    await volunteer.syncUntilClean();
    await coord.syncUntilClean();
    const attendances = await coord.db.attendance.toArray();
    expect(attendances).toHaveLength(2);
    for (const [i, a] of attendances.entries())
      expect((await confirmHours(a.id, { hours: i === 0 ? 3 : 2.5, reason: '签到后忘了签退' }, coord.db)).ok).toBe(true);
    await coord.syncUntilClean();
    expect(await coord.db.failed.count()).toBe(0);
  });
  afterAll(async () => {
    await server.stop();
  });

  const report = (q: string, d: Device = coord) => d.http.json<StreetReport>(`/api/report?${q}`);

  it('gives November’s headline figures beside October’s, each as worked out by hand', async () => {
    const res = await report('from=2026-11-01&to=2026-11-30');
    expect(res.status).toBe(200);
    const r = res.body;
    expect(r.teamName).toBe('东湖社区');
    expect(r.preparedBy).toBe('李主任');
    expect(r.period).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(r.previousPeriod).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    expect(r.current).toEqual({
      // 4 items + 4 visits where someone was met + 1 check
      servedTimes: 9,
      volunteers: 2,
      volunteerHours: 5.5,
      repairItems: 4,
      repairsFixed: 3,
      fixedRate: 0.75,
      co2eKg: 24.25,
      wasteKg: 5.3,
      // H1 was due 11-19 (met 10-20 + 30 days) and met 11-25; H2 due every 7 days, met 11-05 and 11-20
      householdsDue: 2,
      householdsDueVisited: 2,
      householdsVisited: 2,
      hazardsFound: 2,
      hazardsRemoved: 1,
      needsReceived: 3,
      requestsReceived: 0,
      needsResolvedOfReceived: 1,
      resolutionRate: 1 / 3,
      needsEvaluated: 3,
      satisfactionRate: 1 / 3,
      healthChecks: 1,
      residentsChecked: 1,
      residentsFlagged: 1,
      residentsFollowedUp: 1,
    });
    expect(r.previous).toEqual({
      // 2 visits met + 1 check
      servedTimes: 3,
      volunteers: 0,
      volunteerHours: 0,
      repairItems: 0,
      repairsFixed: 0,
      fixedRate: null,
      co2eKg: 0,
      wasteKg: 0,
      // H1 due 10-01 (registered 09-01, never met), met 10-10; H2 due from registration 10-01, never met in October
      householdsDue: 2,
      householdsDueVisited: 1,
      householdsVisited: 1,
      hazardsFound: 1,
      hazardsRemoved: 1,
      // N4 came in October and was still open at its end
      needsReceived: 1,
      requestsReceived: 0,
      needsResolvedOfReceived: 0,
      resolutionRate: 0,
      needsEvaluated: 0,
      satisfactionRate: null,
      healthChecks: 1,
      residentsChecked: 1,
      residentsFlagged: 0,
      residentsFollowedUp: 0,
    });
    // the detail pages carry the same figures as the dashboard, with no one's name
    const dash = await coord.http.json<{ repairs: { co2eKg: number } }>('/api/dashboard?from=2026-11-01&to=2026-11-30');
    expect(r.detail.repairs).toEqual(dash.body.repairs);
    expect(r.personal).toBe(false);
    expect(r.detail.health.attention).toEqual([]);
    expect(JSON.stringify(r)).not.toContain('王秀英');
  });

  it('compares any other period with as many days just before it', async () => {
    const r = (await report('from=2026-11-15&to=2026-11-21')).body;
    expect(r.previousPeriod).toEqual({ from: '2026-11-08', to: '2026-11-14' });
    // 11-15..21: visits V3, V6 met, the repair day's 4 items — 6; 11-08..14: the check of 11-10 — 1
    expect([r.current.servedTimes, r.previous.servedTimes]).toEqual([6, 1]);
  });

  it('puts the attention list in only when asked, and the audit log says who asked', async () => {
    const r = (await report('from=2026-11-01&to=2026-11-30&personal=1')).body;
    expect(r.personal).toBe(true);
    expect(r.detail.health.attention.map((a) => a.residentName)).toEqual(['王秀英']);
    const audit = await server.db
      .selectFrom('audit')
      .select(['action', 'detail', 'team_id'])
      .where('action', '=', 'report.personal')
      .execute();
    expect(audit).toEqual([
      { action: 'report.personal', team_id: teamId, detail: JSON.stringify({ from: '2026-11-01', to: '2026-11-30', rows: 1 }) },
    ]);
  });

  it('takes an item not fixed charged materials only or with the ¥5 service fee, without a reason; any other charge needs one', async () => {
    const eventId = (await coord.db.repairEvent.toArray())[0]!.id;
    const letter = (await volunteer.db.getMeta('deviceLetter'))!;
    const me = (await volunteer.db.getMeta('user'))!;
    const ticket = (n: number, feeFen: number, feeReason = '') => ({
      ...RECORD_DEFAULTS.repairTicket,
      id: newId(),
      teamId,
      createdBy: me.id,
      eventId,
      number: `${letter}-9${String(n).padStart(2, '0')}`,
      category: 'kettle',
      problem: '不热',
      status: 'done',
      outcome: 'endOfLife',
      feeTier: 'standard',
      materialsFen: 300,
      feeFen,
      subsidyFen: 0,
      feeReason,
      factorSet: 'restart-2026-2',
      createdAt: at('2026-11-21'),
      updatedAt: at('2026-11-21'),
    });
    for (const [n, fee, reason, want] of [
      [1, 300, '', 'acked'], // materials only: the default rule
      [2, 800, '', 'acked'], // with the service fee: a team that charges it, or a phone that has not heard
      [3, 500, '', /^validation:.*原因/],
      [4, 500, '老顾客，少收一点', 'acked'],
    ] as const) {
      const t = ticket(n, fee, reason);
      const got = await pushRaw(volunteer, 'repairTicket', t.id, t);
      if (typeof want === 'string') expect(got).toBe(want);
      else expect(got).toMatch(want);
    }
  });

  it('refuses a volunteer, a bad period and a bad choice, in the caller’s language, and writes nothing', async () => {
    const before = await server.db
      .selectFrom('audit')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    const forbidden = await report('from=2026-11-01&to=2026-11-30&personal=1', volunteer);
    expect(forbidden.status).toBe(403);
    const backwards = await report('from=2026-11-30&to=2026-11-01');
    expect(backwards.status).toBe(400);
    expect(JSON.stringify(backwards.body)).toMatch(/"code":"validation"/);
    const bad = await coord.http.json<{ error: { code: string; message: string } }>(
      '/api/report?from=2026-11-01&to=2026-11-30&personal=yes',
      {
        headers: { 'accept-language': 'en' },
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/Choose from the list/);
    const after = await server.db
      .selectFrom('audit')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    expect(Number(after?.n)).toBe(Number(before?.n));
  });
});
