/**
 * A past period's figures are as they were at its end (issue 24, item 1): needs that spread
 * over days — taken on, resolved, closed, reopened, some after the period's end, two from
 * before needs kept a history — pushed through the real sync endpoint, and the dashboard's
 * "still open" (by route, by age) and "resolved / closed" checked two ways: against figures
 * worked out by hand (in the comments), and for every one-day period against a reference
 * that replays each need's steps — written apart from the server's SQL. In the team's zone,
 * Asia/Shanghai; "now" is 5 December, after everything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHlc } from '../../src/shared/hlc.ts';
import { SCHEMA_VERSION } from '../../src/shared/protocol.ts';
import { RECORD_DEFAULTS, type RecordType } from '../../src/shared/record-defaults.ts';
import { ageBucket, type NeedRoute } from '../../src/shared/need.ts';
import type { NeedsDashboard } from '../../src/shared/dashboard.ts';
import { newId } from '../../src/data/records.ts';
import { BACKENDS, Device, startServer, type TestServer } from './harness.ts';

/** An instant in the team's zone (UTC+8): `local('2026-11-21', 23.5)` is 23:30 there. */
const local = (day: string, hour = 10) => Date.parse(`${day}T00:00:00+08:00`) + hour * 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

type Step = { action: 'accepted' | 'resolved' | 'closed' | 'reopened'; at: number };
interface Case {
  name: string;
  route: NeedRoute;
  created: number;
  steps: Step[];
  /** A need from before needs kept a history: only its fields (status, resolvedAt). */
  legacy?: { status: 'resolved' | 'closed'; resolvedAt: number };
}

const STATUS_AFTER = { accepted: 'inProgress', resolved: 'resolved', closed: 'closed', reopened: 'open' } as const;

const CASES: Case[] = [
  // department
  {
    name: 'D1',
    route: 'department',
    created: local('2026-11-18'),
    steps: [
      { action: 'accepted', at: local('2026-11-19') },
      { action: 'resolved', at: local('2026-11-25') },
    ],
  },
  { name: 'D2', route: 'department', created: local('2026-11-20'), steps: [{ action: 'closed', at: local('2026-11-23') }] },
  { name: 'D3', route: 'department', created: local('2026-11-21', 9), steps: [] },
  {
    name: 'D4',
    route: 'department',
    created: local('2026-11-19'),
    steps: [
      { action: 'accepted', at: local('2026-11-19', 11) },
      { action: 'resolved', at: local('2026-11-20') },
    ],
  },
  { name: 'D5', route: 'department', created: local('2026-11-22'), steps: [] },
  // volunteers
  {
    name: 'V1',
    route: 'volunteers',
    created: local('2026-11-18'),
    steps: [
      { action: 'accepted', at: local('2026-11-18', 12) },
      { action: 'resolved', at: local('2026-11-19') },
      { action: 'reopened', at: local('2026-11-24') },
    ],
  },
  {
    name: 'V2',
    route: 'volunteers',
    created: local('2026-11-20'),
    steps: [
      { action: 'accepted', at: local('2026-11-20', 12) },
      { action: 'resolved', at: local('2026-11-21', 23.5) },
    ],
  },
  { name: 'V3', route: 'volunteers', created: local('2026-11-21', 23.9), steps: [] },
  { name: 'V4', route: 'volunteers', created: local('2026-11-15'), steps: [{ action: 'accepted', at: local('2026-11-16') }] },
  { name: 'V5', route: 'volunteers', created: local('2026-11-20'), steps: [{ action: 'closed', at: local('2026-11-22', 1) }] },
  {
    name: 'V6',
    route: 'volunteers',
    created: local('2026-11-10'),
    steps: [],
    legacy: { status: 'resolved', resolvedAt: local('2026-11-26') },
  },
  {
    name: 'V7',
    route: 'volunteers',
    created: local('2026-11-08'),
    steps: [],
    legacy: { status: 'closed', resolvedAt: local('2026-11-12') },
  },
  {
    name: 'V8',
    route: 'volunteers',
    created: local('2026-11-19'),
    steps: [
      { action: 'accepted', at: local('2026-11-19', 12) },
      { action: 'resolved', at: local('2026-11-20') },
      { action: 'reopened', at: local('2026-11-21') },
      { action: 'accepted', at: local('2026-11-21', 11) },
      { action: 'closed', at: local('2026-11-27') },
    ],
  },
];

/** The reference: replay a need's steps up to instant `t`. */
function statusAt(c: Case, t: number): string | null {
  if (c.created >= t) return null;
  if (c.legacy) return c.legacy.resolvedAt < t ? c.legacy.status : 'open';
  let status = 'open';
  for (const s of c.steps) if (s.at < t) status = STATUS_AFTER[s.action];
  return status;
}
const isOpen = (s: string | null) => s === 'open' || s === 'inProgress' || s === 'assigned';

function referenceStillOpen(endMs: number) {
  const out: Record<NeedRoute, Record<string, number>> = { department: {}, volunteers: {} };
  for (const c of CASES) {
    if (!isOpen(statusAt(c, endMs))) continue;
    const bucket = ageBucket(Math.floor((endMs - c.created) / 86_400_000));
    out[c.route][bucket] = (out[c.route][bucket] ?? 0) + 1;
  }
  return out;
}

function referenceFinished(fromMs: number, endMs: number) {
  let resolved = 0;
  let closed = 0;
  for (const c of CASES) {
    const finishes = c.legacy
      ? [{ action: c.legacy.status, at: c.legacy.resolvedAt }]
      : c.steps.filter((s) => s.action === 'resolved' || s.action === 'closed');
    const inRange = finishes.filter((s) => s.at >= fromMs && s.at < endMs);
    const last = inRange.at(-1);
    if (last?.action === 'resolved') resolved++;
    if (last?.action === 'closed') closed++;
  }
  return { resolved, closed };
}

const nonZero = (byAge: Record<string, number>) => Object.fromEntries(Object.entries(byAge).filter(([, n]) => n > 0));

describe.each(BACKENDS)('a past period as it was at its end, on $name', (backend) => {
  let server: TestServer;
  let coord: Device;

  async function dashboard(from: string, to: string): Promise<NeedsDashboard> {
    const res = await coord.http.json<{ needs: NeedsDashboard }>(`/api/dashboard?from=${from}&to=${to}`);
    expect(res.status).toBe(200);
    return res.body.needs;
  }

  beforeAll(async () => {
    server = await startServer(backend);
    const team = await server.addTeam('走访队');
    const u = await server.addUser(team, 'coord', 'coordinator');
    coord = new Device(server);
    await coord.signIn(u.username, u.password);
    server.now.offset = Date.parse('2026-12-05T02:00:00Z') - Date.now();

    const node = (await coord.db.getMeta('deviceId'))!;
    const user = (await coord.db.getMeta('user'))!;
    let counter = 0;
    const mutation = (type: RecordType, fields: Record<string, unknown>) => ({
      id: newId(),
      type,
      rowId: String(fields.id),
      hlc: encodeHlc({ ms: Date.now(), counter: counter++, node }),
      fields: { ...RECORD_DEFAULTS[type], teamId: user.teamId, createdBy: user.id, ...fields },
    });
    const householdId = newId();
    const mutations = [
      mutation('household', {
        id: householdId,
        gridCode: 'A1',
        building: '1',
        room: '101',
        headName: '王',
        createdAt: iso(local('2026-09-01')),
        updatedAt: iso(local('2026-09-01')),
      }),
    ];
    for (const c of CASES) {
      const needId = newId();
      const last = c.steps.at(-1);
      const status = c.legacy?.status ?? (last ? STATUS_AFTER[last.action] : 'open');
      const finishedAt = c.legacy?.resolvedAt ?? (last && (last.action === 'resolved' || last.action === 'closed') ? last.at : null);
      mutations.push(
        mutation('need', {
          id: needId,
          householdId,
          description: c.name,
          category: c.route === 'department' ? 'policy' : 'care',
          route: c.route,
          department: c.route === 'department' ? '民政科' : '',
          status,
          assignee: status === 'inProgress' ? '老李' : '',
          resolution: finishedAt ? '已办' : '',
          resolvedAt: finishedAt === null ? null : iso(finishedAt),
          createdAt: iso(c.created),
          updatedAt: iso(last?.at ?? c.created),
        }),
      );
      if (c.legacy) continue;
      for (const s of [{ action: 'created' as const, at: c.created }, ...c.steps])
        mutations.push(
          mutation('needLog', {
            id: newId(),
            needId,
            at: iso(s.at),
            byName: '老李',
            action: s.action,
            status: s.action === 'created' ? 'open' : STATUS_AFTER[s.action],
            assignee: s.action === 'accepted' ? '老李' : '',
            createdAt: iso(s.at),
            updatedAt: iso(s.at),
          }),
        );
    }
    const res = await coord.http.json<{ acked: string[]; rejected: unknown[] }>('/api/sync/push', {
      body: { deviceId: node, schemaVersion: SCHEMA_VERSION, mutations },
    });
    expect(res.body.rejected).toEqual([]);
    expect(res.body.acked).toHaveLength(mutations.length);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('counts what was still open at the end of 21 November, not what is open today', async () => {
    const n = await dashboard('2026-11-21', '2026-11-21');
    // department: D1 (resolved 11-25), D2 (closed 11-23), D3 (new that day) — not D4 (resolved 11-20), not D5 (came 11-22)
    // volunteers: V3 (23:54 that day), V4 (taken on 11-16), V5 (closed 01:00 the next day), V6 (no history; resolved 11-26),
    //   V8 (reopened that morning) — not V1 (resolved 11-19, reopened only 11-24), not V2 (resolved 23:30), not V7
    // ages at the end (midnight into 11-22): D1 3 days, D2 1, D3 0; V3 0, V4 6, V5 1, V6 11, V8 2
    expect(nonZero(n.stillOpen.department)).toEqual({ d0to2: 2, d3to7: 1 });
    expect(nonZero(n.stillOpen.volunteers)).toEqual({ d0to2: 3, d3to7: 1, d8to30: 1 });
    // finished that day: V2 resolved at 23:30
    expect([n.resolved, n.closed]).toEqual([1, 0]);
  });

  it('counts each need finished in a month once, as its last step in the month left it', async () => {
    const n = await dashboard('2026-11-18', '2026-11-30');
    // resolved: D1, D4, V1 (11-19; reopened 11-24 is not a finish), V2, V6 (no history) — closed: D2, V5, V8 (resolved 11-20, closed 11-27)
    expect([n.resolved, n.closed]).toEqual([5, 3]);
    // open at the end of 11-30: D3 (9 days), D5 (8); V1 (reopened; 12), V3 (9), V4 (15)
    expect(nonZero(n.stillOpen.department)).toEqual({ d8to30: 2 });
    expect(nonZero(n.stillOpen.volunteers)).toEqual({ d8to30: 3 });
  });

  it('agrees with a replay of every need’s steps for each day from 14 to 30 November', async () => {
    for (let d = 14; d <= 30; d++) {
      const day = `2026-11-${String(d).padStart(2, '0')}`;
      const n = await dashboard(day, day);
      const end = local(day, 24);
      const want = referenceStillOpen(end);
      expect({ day, department: nonZero(n.stillOpen.department), volunteers: nonZero(n.stillOpen.volunteers) }).toEqual({
        day,
        department: want.department,
        volunteers: want.volunteers,
      });
      expect({ day, ...referenceFinished(local(day, 0), end) }).toEqual({ day, resolved: n.resolved, closed: n.closed });
    }
  });
});
