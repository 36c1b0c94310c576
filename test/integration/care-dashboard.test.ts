/**
 * The coordinator's dashboard for visits, needs and health checks (issue 6) on a fixed data
 * set whose figures were worked out by hand (in the comments), pushed through the real sync
 * endpoint with fixed dates, in the team's zone (Asia/Shanghai, 10:00 local = 02:00Z).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHlc } from '../../src/shared/hlc.ts';
import { SCHEMA_VERSION } from '../../src/shared/protocol.ts';
import { RECORD_DEFAULTS, type RecordType } from '../../src/shared/record-defaults.ts';
import { newId } from '../../src/data/records.ts';
import { BACKENDS, Device, startServer, type TestServer } from './harness.ts';

const at = (day: string) => `${day}T02:00:00.000Z`;

describe.each(BACKENDS)('care dashboard on $name', (backend) => {
  let server: TestServer;
  let coordV: Device;
  let coordH: Device;
  const ids: Record<string, string> = {};
  const id = (name: string) => (ids[name] ??= newId());

  async function push(d: Device, records: { type: RecordType; name: string; fields: Record<string, unknown> }[]) {
    const node = (await d.db.getMeta('deviceId'))!;
    const user = (await d.db.getMeta('user'))!;
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
        updatedAt: String(r.fields.createdAt ?? at('2026-11-01')),
        ...r.fields,
      },
    }));
    const res = await d.http.json<{ acked: string[]; rejected: unknown[] }>('/api/sync/push', {
      body: { deviceId: node, schemaVersion: SCHEMA_VERSION, mutations },
    });
    expect(res.body.rejected).toEqual([]);
    expect(res.body.acked).toHaveLength(records.length);
  }

  beforeAll(async () => {
    server = await startServer(backend);
    const teamV = await server.addTeam('走访队');
    const teamH = await server.addTeam('健康队');
    const v = await server.addUser(teamV, 'coordV', 'coordinator');
    const h = await server.addUser(teamH, 'coordH', 'coordinator');
    coordV = new Device(server);
    await coordV.signIn(v.username, v.password);
    coordH = new Device(server);
    await coordH.signIn(h.username, h.password);
    // "now" for the server: 5 December, after the range
    server.now.offset = Date.parse('2026-12-05T02:00:00Z') - Date.now();

    const household = (name: string, registered: string, interval: number, deleted = false) => ({
      type: 'household' as const,
      name,
      fields: {
        gridCode: 'A1',
        building: '1',
        room: name,
        headName: name,
        createdAt: at(registered),
        visitIntervalDays: interval,
        deleted,
      },
    });
    const visit = (name: string, hh: string, day: string, outcome: string, gas = 'notChecked') => ({
      type: 'visit' as const,
      name,
      fields: { householdId: id(hh), at: at(day), createdAt: at(day), kind: 'routine', outcome, gas },
    });
    const need = (name: string, hh: string, created: string, f: Record<string, unknown>) => ({
      type: 'need' as const,
      name,
      fields: { householdId: id(hh), createdAt: at(created), description: name, ...f },
    });
    await push(coordV, [
      household('H1', '2026-09-01', 30), // met 10-20 → due 11-19, met again 11-21
      household('H2', '2026-10-01', 7), // met 10-28 → due 11-04, never again: overdue
      household('H3', '2026-11-10', 90), // never met (nobody home 11-12): due from 11-10, overdue
      household('H4', '2026-08-01', 365), // met 08-02 → due next August
      household('H5', '2026-09-01', 7, true), // deleted: counts nowhere
      visit('V1', 'H1', '2026-10-20', 'met'),
      visit('V2', 'H1', '2026-11-21', 'met', 'problem'),
      visit('V3', 'H2', '2026-10-28', 'met'),
      visit('V4', 'H3', '2026-11-12', 'notHome'),
      visit('V5', 'H4', '2026-08-02', 'met'),
      visit('V6', 'H1', '2026-12-02', 'met'),
      need('N1', 'H1', '2026-11-05', {
        category: 'policy',
        route: 'department',
        department: '民政科',
        status: 'resolved',
        resolvedAt: at('2026-11-15'),
        evaluation: 'satisfied',
      }),
      need('N2', 'H2', '2026-11-20', { category: 'medical', urgency: 'urgent', status: 'assigned', assignee: '刘医生' }),
      need('N3', 'H3', '2026-10-15', { category: 'care', status: 'inProgress' }),
      need('N4', 'H4', '2026-11-25', { category: 'supplies', status: 'closed', resolution: '家属已送', resolvedAt: at('2026-11-26') }),
      need('N5', 'H1', '2026-12-02', { category: 'other' }),
    ]);

    const resident = (name: string, hh: string) => ({
      type: 'resident' as const,
      name,
      fields: {
        householdId: id(hh),
        name,
        consent: 'given',
        consentBy: 'self',
        consentByName: name,
        consentAt: at('2026-10-01'),
        createdAt: at('2026-10-01'),
      },
    });
    const check = (
      name: string,
      who: string,
      hh: string,
      day: string,
      level: string,
      flags: string[],
      readings: Record<string, unknown>,
    ) => ({
      type: 'healthCheck' as const,
      name,
      fields: { residentId: id(who), householdId: id(hh), at: at(day), createdAt: at(day), level, flags, ...readings },
    });
    await push(coordH, [
      household('G1', '2026-10-01', 30),
      household('G2', '2026-10-01', 30),
      resident('R1', 'G1'),
      resident('R2', 'G1'),
      resident('R3', 'G2'),
      check('C1', 'R1', 'G1', '2026-11-03', 'normal', [], { systolic: 118, diastolic: 76 }),
      check('C2', 'R1', 'G1', '2026-11-18', 'urgent', ['bp.grade3'], { systolic: 186, diastolic: 112 }),
      check('C3', 'R2', 'G1', '2026-11-19', 'abnormal', ['pulse.high'], { pulse: 108 }),
      check('C4', 'R2', 'G1', '2026-11-22', 'urgent', ['spo2.urgent'], { spo2: 87 }),
      check('C5', 'R3', 'G2', '2026-11-23', 'abnormal', ['temperature.fever'], { temperature: 37.8 }),
      check('C6', 'R1', 'G1', '2026-12-03', 'urgent', ['bp.grade3'], { systolic: 190, diastolic: 115 }),
      // C2 followed up by a need raised from it; C5 by a visit where someone was met after it
      need('M1', 'G1', '2026-11-18', { category: 'medical', urgency: 'urgent', healthCheckId: id('C2') }),
      visit('W1', 'G2', '2026-11-24', 'met'),
    ]);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('visits: done against due, overdue at the end, hazards, per day', async () => {
    const res = await coordV.http.json<{ visits: Record<string, unknown> }>('/api/dashboard?from=2026-11-01&to=2026-11-30');
    expect(res.status).toBe(200);
    expect(res.body.visits).toEqual({
      visits: 2, // V2, V4
      byOutcome: { met: 1, notHome: 1, declined: 0 },
      byKind: { routine: 2, followUp: 0, specialNeed: 0, safetyCheck: 0, health: 0 },
      householdsVisited: 1, // H1
      households: 4, // H5 deleted
      dueInRange: 3, // H1 (11-19), H2 (11-04), H3 (11-10)
      dueVisited: 1, // H1
      dueAtEnd: 2, // H2, H3 (H1 next on 12-21)
      overdueAtEnd: 2,
      hazards: 1, // V2's gas
      days: [
        { day: '2026-11-12', visits: 1, met: 0 },
        { day: '2026-11-21', visits: 1, met: 1 },
      ],
    });
  });

  it('needs: opened, resolved, closed in range; still open by route and age; evaluations', async () => {
    const res = await coordV.http.json<{ needs: Record<string, unknown> }>('/api/dashboard?from=2026-11-01&to=2026-11-30');
    expect(res.body.needs).toEqual({
      opened: 3, // N1, N2, N4
      openedByRoute: { department: 1, volunteers: 2 },
      openedByCategory: [
        { category: 'medical', n: 1 },
        { category: 'supplies', n: 1 },
        { category: 'policy', n: 1 },
      ].sort((a, b) => b.n - a.n),
      urgentOpened: 1,
      resolved: 1,
      closed: 1,
      evaluations: { satisfied: 1, neutral: 0, unsatisfied: 0 },
      // at the end of the range: N2 open 10 days (from 11-20 10:00), N3 open 46 days
      stillOpen: { department: { d0to2: 0, d3to7: 0, d8to30: 0, d31plus: 0 }, volunteers: { d0to2: 0, d3to7: 0, d8to30: 1, d31plus: 1 } },
      stillOpenUrgent: 1,
    });
  });

  it('health: readings by level; residents needing attention, urgent and not followed up first', async () => {
    const res = await coordH.http.json<{
      health: {
        attention: { residentName: string; level: string; followedUp: boolean; flags: string[]; household: { room: string } }[];
      } & Record<string, unknown>;
    }>('/api/dashboard?from=2026-11-01&to=2026-11-30');
    const { attention, ...figures } = res.body.health;
    expect(figures).toEqual({
      checks: 5, // C1–C5
      residentsChecked: 3,
      byLevel: { normal: 1, watch: 0, abnormal: 2, urgent: 2 },
      residentsFlagged: 3,
      notFollowedUp: 1, // R2
    });
    expect(attention.map((a) => [a.residentName, a.level, a.followedUp, a.flags, a.household.room])).toEqual([
      ['R2', 'urgent', false, ['spo2.urgent'], 'G1'],
      ['R1', 'urgent', true, ['bp.grade3'], 'G1'],
      ['R3', 'abnormal', true, ['temperature.fever'], 'G2'],
    ]);
    // one team never sees another's
    const other = await coordV.http.json<{ health: { checks: number } }>('/api/dashboard?from=2026-11-01&to=2026-11-30');
    expect(other.body.health.checks).toBe(0);
  });

  it('a day outside everything is empty, not an error', async () => {
    const res = await coordH.http.json<{
      visits: { visits: number };
      needs: { opened: number };
      health: { checks: number; attention: unknown[] };
    }>('/api/dashboard?from=2025-01-01&to=2025-01-01');
    expect(res.status).toBe(200);
    expect([res.body.visits.visits, res.body.needs.opened, res.body.health.checks, res.body.health.attention.length]).toEqual([0, 0, 0, 0]);
  });

  it('a day that does not exist is a 400 with the reason, in the caller’s language, on every range endpoint', async () => {
    for (const path of [
      '/api/dashboard',
      '/api/export/visits.csv',
      '/api/export/needs.csv',
      '/api/export/health.csv',
      '/api/export/households.csv',
      '/api/export/repairs.csv',
    ]) {
      for (const range of ['from=2026-13-01&to=2026-13-02', 'from=2026-02-30&to=2026-03-01', 'from=2026-11-00&to=2026-11-02']) {
        const zh = await coordH.http.json<{ error: { code: string; message: string } }>(`${path}?${range}`);
        expect(zh.status, `${path}?${range}`).toBe(400);
        expect(zh.body.error).toEqual({ code: 'validation', message: expect.stringContaining('不是有效的日期') });
        const en = await coordH.http.json<{ error: { message: string } }>(`${path}?${range}`, { headers: { 'accept-language': 'en' } });
        expect(en.body.error.message).toMatch(/date/i);
      }
    }
  });
});
