/**
 * Access (issue 8): every endpoint × role (none, volunteer, coordinator, admin) × own team /
 * other team, table-driven — exactly the intended access, nothing else. A push that reaches
 * into another team's rows is refused per mutation and changes nothing there; a pull never
 * returns another team's rows unless an admin asks for that team.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, thresholdsVersion } from '../../src/shared/health.ts';
import { encodeHlc } from '../../src/shared/hlc.ts';
import { SCHEMA_VERSION, type PullResponse, type PushResponse } from '../../src/shared/protocol.ts';
import { newId } from '../../src/data/records.ts';
import { BACKENDS, HttpClient, startServer, type TestServer } from './harness.ts';

type Role = 'none' | 'volunteer' | 'coordinator' | 'admin';
type Scope = 'own' | 'other';
const ROLES: Role[] = ['none', 'volunteer', 'coordinator', 'admin'];

interface Endpoint {
  name: string;
  method: 'GET' | 'POST';
  /** The path for a caller of team A asking about `scope`. */
  path: (ctx: Ctx, scope: Scope) => string;
  body?: (ctx: Ctx, scope: Scope) => unknown;
  /** Expected status per role and scope. */
  expect: Record<Role, Record<Scope, number>>;
}

interface Ctx {
  teamA: string;
  teamB: string;
  eventA: string;
  eventB: string;
  /** Team B's resident (with consent) and a health reading of theirs. */
  residentB: string;
  checkB: string;
}

const all = (n: number) => ({ own: n, other: n });
const RANGE = 'from=2026-01-01&to=2026-12-31';
const NODE = 'a1b2c3d4e5f60718';

/** A push from team A's caller: to a new row of its own team, or into team B's event. */
function pushBody(ctx: Ctx, scope: Scope) {
  const hlc = encodeHlc({ ms: Date.now(), counter: 0, node: NODE });
  return {
    deviceId: NODE,
    schemaVersion: SCHEMA_VERSION,
    mutations: [
      scope === 'own'
        ? { id: newId(), type: 'repairEvent', rowId: newId(), hlc, fields: { title: '本队活动', date: '2026-11-22', site: '院子' } }
        : { id: newId(), type: 'repairEvent', rowId: ctx.eventB, hlc, fields: { title: '被改了' } },
    ],
  };
}

const ENDPOINTS: Endpoint[] = [
  {
    name: 'GET /api/health',
    method: 'GET',
    path: () => '/api/health',
    expect: { none: all(200), volunteer: all(200), coordinator: all(200), admin: all(200) },
  },
  {
    name: 'GET /api/setup',
    method: 'GET',
    path: () => '/api/setup',
    expect: { none: all(200), volunteer: all(200), coordinator: all(200), admin: all(200) },
  },
  {
    name: 'POST /api/setup (already set up)',
    method: 'POST',
    path: () => '/api/setup',
    body: () => ({ teamName: '再来一个', username: 'again', name: '再', password: 'a-long-secret' }),
    expect: { none: all(409), volunteer: all(409), coordinator: all(409), admin: all(409) },
  },
  {
    name: 'GET /api/me',
    method: 'GET',
    path: () => '/api/me',
    expect: { none: all(401), volunteer: all(200), coordinator: all(200), admin: all(200) },
  },
  {
    name: 'GET /api/sync/pull',
    method: 'GET',
    path: (c, s) => (s === 'own' ? '/api/sync/pull?cursor=0' : `/api/sync/pull?cursor=0&team=${c.teamB}`),
    expect: { none: all(401), volunteer: { own: 200, other: 403 }, coordinator: { own: 200, other: 403 }, admin: all(200) },
  },
  {
    name: 'POST /api/sync/push',
    method: 'POST',
    path: () => '/api/sync/push',
    body: pushBody,
    // the request is accepted; whether the mutation is applied is checked below
    expect: { none: all(401), volunteer: all(200), coordinator: all(200), admin: all(200) },
  },
  {
    name: 'GET /api/repair/events/:id/summary',
    method: 'GET',
    path: (c, s) => (s === 'own' ? `/api/repair/events/${c.eventA}/summary` : `/api/repair/events/${c.eventB}/summary?team=${c.teamB}`),
    expect: { none: all(401), volunteer: { own: 200, other: 403 }, coordinator: { own: 200, other: 403 }, admin: all(200) },
  },
  {
    name: 'GET /api/repair/events/:id/summary (another team’s event, own scope)',
    method: 'GET',
    path: (c) => `/api/repair/events/${c.eventB}/summary`,
    expect: { none: all(401), volunteer: all(404), coordinator: all(404), admin: all(404) },
  },
  ...(['repairs.ords.csv', 'repairs.csv', 'households.csv', 'visits.csv', 'needs.csv', 'health.csv', 'hours.csv'] as const).map(
    (file): Endpoint => ({
      name: `GET /api/export/${file}`,
      method: 'GET',
      path: (c, s) => (s === 'own' ? `/api/export/${file}?${RANGE}` : `/api/export/${file}?${RANGE}&team=${c.teamB}`),
      expect: { none: all(401), volunteer: all(403), coordinator: { own: 200, other: 403 }, admin: all(200) },
    }),
  ),
  ...(['/ask/ZZZZZZZZZZ', '/ask/status/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'] as const).map((path): Endpoint => ({
    // public: the same for everyone — a page code or status link that is not one finds nothing of any team
    name: `GET ${path} (a public residents' page)`,
    method: 'GET',
    path: () => path,
    expect: { none: all(404), volunteer: all(404), coordinator: all(404), admin: all(404) },
  })),
  {
    name: 'POST /ask/:code (a code that is no team’s page takes nothing)',
    method: 'POST',
    path: () => '/ask/ZZZZZZZZZZ',
    body: () => ({ kind: 'wish' }),
    expect: { none: all(404), volunteer: all(404), coordinator: all(404), admin: all(404) },
  },
  {
    // public: the same answer for everyone, and nothing of a team for a serial that is not a certificate
    name: 'GET /verify/:serial (the public verification page)',
    method: 'GET',
    path: () => '/verify/ZM2026AAAAAAAAAA',
    expect: { none: all(404), volunteer: all(404), coordinator: all(404), admin: all(404) },
  },
  ...(['devices', 'users'] as const).map((what): Endpoint => ({
    name: `GET /api/team/${what}`,
    method: 'GET',
    path: (c, s) => (s === 'own' ? `/api/team/${what}` : `/api/team/${what}?team=${c.teamB}`),
    expect: { none: all(401), volunteer: all(403), coordinator: { own: 200, other: 403 }, admin: all(200) },
  })),
  {
    name: 'POST /api/team/devices/:id/revoke (no such device)',
    method: 'POST',
    path: (c, s) =>
      s === 'own' ? `/api/team/devices/ffffffffffffffff/revoke` : `/api/team/devices/ffffffffffffffff/revoke?team=${c.teamB}`,
    body: () => ({}),
    expect: { none: all(401), volunteer: all(403), coordinator: { own: 404, other: 403 }, admin: all(404) },
  },
  {
    name: 'GET /api/dashboard',
    method: 'GET',
    path: (c, s) => (s === 'own' ? `/api/dashboard?${RANGE}` : `/api/dashboard?${RANGE}&team=${c.teamB}`),
    expect: { none: all(401), volunteer: all(403), coordinator: { own: 200, other: 403 }, admin: all(200) },
  },
  {
    name: 'GET /api/teams',
    method: 'GET',
    path: () => '/api/teams',
    expect: { none: all(401), volunteer: all(403), coordinator: all(403), admin: all(200) },
  },
  {
    name: 'GET /api/unknown',
    method: 'GET',
    path: () => '/api/unknown',
    expect: { none: all(404), volunteer: all(404), coordinator: all(404), admin: all(404) },
  },
  // last: signing out ends the session the other rows used
  {
    name: 'POST /api/auth/logout',
    method: 'POST',
    path: () => '/api/auth/logout',
    body: () => ({}),
    expect: { none: all(401), volunteer: all(200), coordinator: all(200), admin: all(200) },
  },
];

describe.each(BACKENDS)('access on $name', (backend) => {
  let server: TestServer;
  const ctx = {} as Ctx;
  const accounts = {} as Record<Exclude<Role, 'none'>, { username: string; password: string }>;

  beforeAll(async () => {
    server = await startServer(backend);
    ctx.teamA = await server.addTeam('甲社区');
    ctx.teamB = await server.addTeam('乙社区');
    accounts.volunteer = await server.addUser(ctx.teamA, 'acc-vol');
    accounts.coordinator = await server.addUser(ctx.teamA, 'acc-coord', 'coordinator');
    accounts.admin = await server.addUser(ctx.teamA, 'acc-admin', 'admin');
    // each team has an event, made by one of its own volunteers
    for (const [team, key] of [
      [ctx.teamA, 'eventA'],
      [ctx.teamB, 'eventB'],
    ] as const) {
      const u = await server.addUser(team, `acc-maker-${key}`);
      const c = new HttpClient(server.url);
      await c.json('/api/auth/login', { body: { username: u.username, password: u.password } });
      ctx[key] = newId();
      const hlc = encodeHlc({ ms: Date.now(), counter: 0, node: '00000000000000ff' });
      const res = await c.json<PushResponse>('/api/sync/push', {
        body: {
          deviceId: '00000000000000ff',
          schemaVersion: SCHEMA_VERSION,
          mutations: [
            {
              id: newId(),
              type: 'repairEvent',
              rowId: ctx[key],
              hlc,
              fields: { title: key, date: '2026-11-22', site: '院子', status: 'open' },
            },
          ],
        },
      });
      expect(res.body.acked).toHaveLength(1);
      if (key === 'eventB') {
        // team B's health data: a household, a resident who consented, a reading
        const household = newId();
        ctx.residentB = newId();
        ctx.checkB = newId();
        const at = new Date().toISOString();
        const health = await c.json<PushResponse>('/api/sync/push', {
          body: {
            deviceId: '00000000000000ff',
            schemaVersion: SCHEMA_VERSION,
            mutations: [
              {
                id: newId(),
                type: 'household',
                rowId: household,
                hlc,
                fields: { gridCode: 'B1', building: '1', room: '1', headName: '乙户' },
              },
              {
                id: newId(),
                type: 'resident',
                rowId: ctx.residentB,
                hlc,
                fields: { householdId: household, name: '乙居民', consent: 'given', consentAt: at },
              },
              {
                id: newId(),
                type: 'healthCheck',
                rowId: ctx.checkB,
                hlc,
                fields: {
                  residentId: ctx.residentB,
                  householdId: household,
                  at,
                  systolic: 182,
                  diastolic: 111,
                  level: 'urgent',
                  flags: ['bp.grade3'],
                },
              },
            ],
          },
        });
        expect(health.body.acked).toHaveLength(3);
      }
    }
  });
  afterAll(async () => {
    await server.stop();
  });

  for (const role of ROLES) {
    for (const scope of ['own', 'other'] as const) {
      it(`${role} × ${scope} team: every endpoint answers exactly as intended`, async () => {
        const c = new HttpClient(server.url);
        if (role !== 'none') {
          const login = await c.json('/api/auth/login', { body: { username: accounts[role].username, password: accounts[role].password } });
          expect(login.status).toBe(200);
        }
        const got: Record<string, number> = {};
        const want: Record<string, number> = {};
        for (const e of ENDPOINTS) {
          const res = await c.json<unknown>(e.path(ctx, scope), { method: e.method, ...(e.body ? { body: e.body(ctx, scope) } : {}) });
          got[e.name] = res.status;
          want[e.name] = e.expect[role][scope];
          // the API answers errors in JSON; a public page (verification) answers people, in a page
          const isApi = e.path(ctx, scope).startsWith('/api/');
          if (res.status >= 400 && isApi) expect((res.body as { error: { code: string } }).error.code, e.name).toBeTruthy();
          if (e.name === 'POST /api/sync/push' && res.status === 200) {
            const body = res.body as PushResponse;
            const mayWrite = scope === 'own' || role === 'admin';
            expect(body.acked.length, `${role} push into ${scope}`).toBe(mayWrite ? 1 : 0);
            expect(body.rejected.map((r) => r.code)).toEqual(mayWrite ? [] : ['forbidden']);
          }
          if (e.name === 'GET /api/sync/pull' && res.status === 200) {
            const rows = (res.body as PullResponse).changes.map((ch) => ch.rowId);
            // own scope: never team B's event, resident or reading; other scope (admin): team B's, never team A's
            if (scope === 'own') {
              expect(rows).not.toContain(ctx.eventB);
              expect(rows).not.toContain(ctx.residentB);
              expect(rows).not.toContain(ctx.checkB);
            } else {
              expect(rows).toContain(ctx.checkB);
              expect(rows).toContain(ctx.eventB);
              expect(rows).not.toContain(ctx.eventA);
            }
          }
        }
        expect(got).toEqual(want);
      });
    }
  }

  it("team B's event stays team B's, and every export is audited with its team", async () => {
    const row = await server.db
      .selectFrom('record')
      .select(['fields', 'team_id'])
      .where('row_id', '=', ctx.eventB)
      .executeTakeFirstOrThrow();
    expect(row.team_id).toBe(ctx.teamB);
    // the admin's push (twice: own-team login, other scope) is the only one that landed
    expect(JSON.parse(row.fields).title).toBe('被改了');
    const audit = await server.db
      .selectFrom('audit')
      .select(['action', 'team_id', 'user_id'])
      .where('action', 'like', 'export.%')
      .execute();
    // seven exports — coordinator: 7 own; admin: 7 own + 7 other → 21 audited, each with its team
    expect(audit).toHaveLength(21);
    expect(audit.filter((a) => a.team_id === ctx.teamB)).toHaveLength(7);
  });

  it('only coordinators and admins set a team’s health thresholds, and only their own team’s (an admin any team’s)', async () => {
    const strict = { ...DEFAULT_THRESHOLDS, spo2Low: 94 };
    const fields = (teamId: string) => ({ id: teamId, teamId, values: strict, version: thresholdsVersion(strict) });
    const push = async (role: Exclude<Role, 'none'>, team: string) => {
      const c = new HttpClient(server.url);
      await c.json('/api/auth/login', { body: { username: accounts[role].username, password: accounts[role].password } });
      const hlc = encodeHlc({ ms: Date.now(), counter: 0, node: '00000000000000fe' });
      const res = await c.json<PushResponse>('/api/sync/push', {
        body: {
          deviceId: '00000000000000fe',
          schemaVersion: SCHEMA_VERSION,
          mutations: [{ id: newId(), type: 'healthThresholds', rowId: team, hlc, fields: fields(team) }],
        },
      });
      return res.body.acked.length === 1 ? 'acked' : res.body.rejected.map((r) => r.code).join();
    };
    expect(await push('volunteer', ctx.teamA)).toBe('forbidden');
    expect(await push('coordinator', ctx.teamA)).toBe('acked');
    expect(await push('coordinator', ctx.teamB)).toBe('forbidden');
    expect(await push('admin', ctx.teamB)).toBe('acked');
  });
});
