/**
 * Bad input (issue 8): fast-check throws thousands of malformed, oversized, deeply nested,
 * wrongly typed and hostile requests at every endpoint. Always a 4xx JSON
 * `{error:{code,message}}` (or, for a push whose envelope is sound, a 200 that refuses each
 * bad mutation), never a 5xx, never a stack trace, and a refused request writes nothing.
 * Seeded: FUZZ_SEED reproduces a failure, FUZZ_RUNS scales the case count.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHlc } from '../../src/shared/hlc.ts';
import { SCHEMA_VERSION, type PushResponse } from '../../src/shared/protocol.ts';
import { newId } from '../../src/data/records.ts';
import { BACKENDS, HttpClient, rowCounts, startServer, type TestServer } from './harness.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const SCALE = Number(process.env.FUZZ_RUNS ?? 1);
const NODE = '0f0f0f0f0f0f0f0f';

/** Strings an attacker tries: injections, control characters, huge, unicode oddities. */
const hostileString = fc.oneof(
  fc.string(),
  fc.constantFrom(
    "'; DROP TABLE record; --",
    '<script>alert(1)</script>',
    '../../etc/passwd',
    '\u0000\u0001\u001f',
    '__proto__',
    'constructor',
    '=HYPERLINK("x")',
    '\ud800',
    '𠀀'.repeat(50),
    '9'.repeat(400),
  ),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
);
const anything: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 2, arbitrary: hostileString },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      null,
      true,
      -1,
      1e308,
      -0,
      2 ** 53 + 1,
      2 ** 31,
      3_000_000_000,
      -(2 ** 31) - 1,
      [],
      {},
      { __proto__: { admin: true } },
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3000 }).map((d) => JSON.parse('['.repeat(d) + ']'.repeat(d)) as unknown) },
);

/** A body as it travels: mostly JSON of something, sometimes not JSON at all. */
function rawBody(value: fc.Arbitrary<unknown>): fc.Arbitrary<{ body: string; type: string }> {
  return fc.oneof(
    { weight: 6, arbitrary: value.map((v) => ({ body: JSON.stringify(v) ?? 'null', type: 'application/json' })) },
    { weight: 1, arbitrary: fc.string().map((s) => ({ body: s, type: 'application/json' })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(value, fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', ''))
        .map(([v, type]) => ({ body: JSON.stringify(v) ?? '', type })),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 20_000, max: 120_000 }).map((d) => ({ body: '['.repeat(d) + ']'.repeat(d), type: 'application/json' })),
    },
  );
}

const hlcNow = () => encodeHlc({ ms: Date.now(), counter: 0, node: NODE });
/** Pushes that are almost right: a sound envelope around mutations with hostile parts. */
const mutationArb = fc.record(
  {
    id: fc.oneof(
      fc.constant(null).map(() => newId()),
      anything,
    ),
    type: fc.oneof(
      fc.constantFrom(
        'repairEvent',
        'repairTicket',
        'household',
        'resident',
        'visit',
        'need',
        'needLog',
        'healthCheck',
        'healthThresholds',
        'teamSettings',
        'volunteer',
        'attendance',
        '__proto__',
        '',
      ),
      anything,
    ),
    rowId: fc.oneof(
      fc.constant(null).map(() => newId()),
      anything,
    ),
    hlc: fc.oneof(fc.constant(null).map(hlcNow), anything, fc.constantFrom('9999999999999-0000-0f0f0f0f0f0f0f0f', '0-0-0')),
    fields: fc.oneof(
      fc.dictionary(
        fc.constantFrom(
          'title',
          'date',
          'site',
          'status',
          'teamId',
          'number',
          'feeFen',
          'category',
          'deleted',
          '__proto__',
          'x'.repeat(61),
          'householdId',
          'residentId',
          'tags',
          'at',
          'outcome',
          'systolic',
          'diastolic',
          'glucose',
          'level',
          'flags',
          'consent',
          'values',
          'version',
          'needId',
          'route',
        ),
        anything,
        { maxKeys: 5 },
      ),
      anything,
    ),
  },
  { requiredKeys: [] },
);
const pushArb: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      deviceId: fc.constant(NODE),
      schemaVersion: fc.constant(SCHEMA_VERSION),
      mutations: fc.array(mutationArb, { maxLength: 6 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        deviceId: fc.oneof(fc.constant(NODE), anything),
        schemaVersion: fc.oneof(fc.constant(SCHEMA_VERSION), anything),
        mutations: fc.oneof(fc.array(mutationArb, { maxLength: 3 }), anything),
        pending: anything,
        appVersion: anything,
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: anything },
);

/** encodeURIComponent, except that a lone surrogate (which it refuses) is sent as U+FFFD. */
function encodeLoose(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '\ufffd'));
  }
}

interface Err {
  error?: { code?: unknown; message?: unknown };
}

describe.each(BACKENDS)('fuzzing every endpoint on $name', (backend) => {
  let server: TestServer;
  let c: HttpClient;
  let admin: HttpClient;
  let otherTeam: string;
  let cases = 0;

  beforeAll(async () => {
    server = await startServer(backend);
    const teamId = await server.addTeam('模糊');
    otherTeam = await server.addTeam('别队');
    const u = await server.addUser(teamId, 'fuzz-coord', 'coordinator');
    c = new HttpClient(server.url);
    expect((await c.json('/api/auth/login', { body: { username: u.username, password: u.password } })).status).toBe(200);
    const a = await server.addUser(teamId, 'fuzz-admin', 'admin');
    admin = new HttpClient(server.url);
    expect((await admin.json('/api/auth/login', { body: { username: a.username, password: a.password } })).status).toBe(200);
  });
  afterAll(async () => {
    console.log(`fuzz on ${backend.name}: ${cases} requests`);
    await server.stop();
  });

  async function counts() {
    const n = await rowCounts(server.db, ['record', 'applied_mutation', 'app_user', 'team', 'session']);
    return { records: n.record, applied: n.applied_mutation, users: n.app_user, teams: n.team, sessions: n.session };
  }

  /** The contract every answer keeps. */
  async function check(res: Response, label: string): Promise<{ status: number; json: unknown }> {
    cases++;
    const text = await res.text();
    expect(res.status, label).toBeLessThan(500);
    expect(text, label).not.toMatch(/at .*\.(ts|js):\d+|node_modules|Error: /);
    let json: unknown;
    if (res.status >= 400) {
      expect(res.headers.get('content-type') ?? '', label).toMatch(/application\/json/);
      json = JSON.parse(text);
      const e = (json as Err).error;
      expect(typeof e?.code, label).toBe('string');
      expect(typeof e?.message === 'string' && e.message.length > 0, label).toBe(true);
    } else if (/json/.test(res.headers.get('content-type') ?? '')) json = JSON.parse(text);
    return { status: res.status, json };
  }

  it('push: malformed envelopes are refused whole; sound envelopes refuse each bad mutation; nothing half-written', async () => {
    await fc.assert(
      fc.asyncProperty(rawBody(pushArb), async ({ body, type }) => {
        const before = await counts();
        const res = await c.fetch('/api/sync/push', { method: 'POST', headers: type ? { 'content-type': type } : {}, body });
        const { status, json } = await check(res, body.slice(0, 120));
        const after = await counts();
        if (status >= 400) expect(after, body.slice(0, 120)).toEqual(before);
        else {
          const r = json as PushResponse;
          // whatever was acknowledged is applied exactly once; the refused left no trace
          expect(after.applied - before.applied).toBe(r.acked.length);
          expect(after.records - before.records).toBeLessThanOrEqual(r.acked.length);
          for (const rej of r.rejected) expect(typeof rej.message === 'string' && rej.message.length > 0).toBe(true);
        }
      }),
      { numRuns: 1500 * SCALE, seed: SEED },
    );
  }, 600_000);

  it('login and setup: hostile bodies never sign anyone in or create anything', async () => {
    const anon = new HttpClient(server.url);
    const loginArb = fc.oneof(fc.record({ username: anything, password: anything, deviceId: anything }, { requiredKeys: [] }), anything);
    const setupArb = fc.oneof(
      fc.record(
        { teamName: anything, region: anything, username: anything, name: anything, password: anything, deviceId: anything },
        { requiredKeys: [] },
      ),
      anything,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/api/auth/login', '/api/setup', '/api/auth/logout'),
        rawBody(fc.oneof(loginArb, setupArb)),
        async (path, { body, type }) => {
          const before = await counts();
          const res = await anon.fetch(path, { method: 'POST', headers: type ? { 'content-type': type } : {}, body });
          const { status } = await check(res, `${path} ${body.slice(0, 80)}`);
          expect(status, `${path} ${body.slice(0, 80)}`).toBeGreaterThanOrEqual(400);
          const after = await counts();
          expect({ ...after, sessions: 0 }).toEqual({ ...before, sessions: 0 });
          expect(after.sessions).toBe(before.sessions);
        },
      ),
      { numRuns: 800 * SCALE, seed: SEED + 1 },
    );
  }, 600_000);

  it('pull, summaries and exports: hostile query strings and paths answer 4xx or a proper answer, never 5xx', async () => {
    const q = fc.oneof(
      hostileString,
      fc.integer().map(String),
      fc.constantFrom(
        '0',
        '-1',
        '1e9',
        'NaN',
        '2026-02-30',
        '2026-13-01',
        '2026-00-10',
        '0000-01-01',
        '9999-12-31',
        '2026-11-22',
        otherTeam,
        '%00',
        '%E0%A4%A',
        '2147483648',
        '3000000000',
        '99999999999',
        '\u0000',
        '\ud800',
      ),
      // a team id that exists nowhere
      fc.uuid({ version: 7 }),
    );
    const pathArb = fc.oneof(
      fc
        .record({ cursor: q, limit: q }, { requiredKeys: [] })
        .map((p) => `/api/sync/pull?${new URLSearchParams(p as Record<string, string>)}`),
      fc
        .record({ from: q, to: q, team: q }, { requiredKeys: [] })
        .map((p) => `/api/export/repairs.ords.csv?${new URLSearchParams(p as Record<string, string>)}`),
      fc
        .record({ from: q, to: q, team: q }, { requiredKeys: [] })
        .map((p) => `/api/export/repairs.csv?${new URLSearchParams(p as Record<string, string>)}`),
      fc
        .record(
          { file: fc.constantFrom('households.csv', 'visits.csv', 'needs.csv', 'health.csv', 'hours.csv'), from: q, to: q, team: q },
          { requiredKeys: ['file'] },
        )
        .map(({ file, ...p }) => `/api/export/${file}?${new URLSearchParams(p as Record<string, string>)}`),
      fc
        .record({ from: q, to: q, team: q }, { requiredKeys: [] })
        .map((p) => `/api/dashboard?${new URLSearchParams(p as Record<string, string>)}`),
      q.map((id) => `/api/repair/events/${encodeLoose(id)}/summary`),
      q.map((raw) => `/api/sync/pull?cursor=${raw}`),
    );
    await fc.assert(
      fc.asyncProperty(pathArb, fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'), async (path, method) => {
        const before = await counts();
        const res = await c.fetch(path, {
          method,
          headers: { 'content-type': 'application/json' },
          ...(method === 'GET' ? {} : { body: '{}' }),
        });
        await check(res, `${method} ${path}`);
        expect((await counts()).records).toBe(before.records);
      }),
      { numRuns: 1000 * SCALE, seed: SEED + 2 },
    );
  }, 600_000);

  it('the public verification page: hostile serials answer a page (404 unless a certificate), never 5xx, and write nothing', async () => {
    const anon = new HttpClient(server.url);
    const serial = fc.oneof(
      hostileString,
      fc.stringMatching(/^ZM\d{4}[0-9A-Z]{10}$/),
      fc.constantFrom('%00', '%E0%A4%A', '..%2F..%2Fetc', ''),
    );
    await fc.assert(
      fc.asyncProperty(serial, fc.constantFrom('GET', 'POST', 'HEAD'), async (raw, method) => {
        const before = await counts();
        const res = await anon.fetch(`/verify/${encodeLoose(raw)}`, { method });
        cases++;
        expect(res.status, raw).toBeLessThan(500);
        const text = await res.text();
        expect(text, raw).not.toMatch(/at .*\.(ts|js):\d+|node_modules|Error: /);
        if (method === 'GET' && res.status === 404) expect(text).toContain('查无此证明');
        expect((await counts()).records).toBe(before.records);
      }),
      { numRuns: 200 * SCALE, seed: SEED + 5 },
    );
  }, 600_000);

  it('the residents’ public pages: hostile codes, tokens and form bodies answer a page, never 5xx, and write nothing but a request', async () => {
    const anon = new HttpClient(server.url);
    const part = fc.oneof(hostileString, fc.constantFrom('%00', '%E0%A4%A', '..%2F..%2Fapi', '', 'ZZZZZZZZZZ', 'status'));
    const body = fc.oneof(
      hostileString,
      fc
        .record(
          {
            kind: fc.oneof(hostileString, fc.constantFrom('wish', 'homeRepair', 'other')),
            building: hostileString,
            room: hostileString,
            phone: fc.oneof(hostileString, fc.constantFrom('13912345678', '02165432100')),
            callName: hostileString,
            description: hostileString,
            website: fc.oneof(fc.constant(''), hostileString),
            evaluation: fc.oneof(hostileString, fc.constantFrom('satisfied')),
          },
          { requiredKeys: [] },
        )
        .map((f) => new URLSearchParams(f as Record<string, string>).toString()),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/ask/', '/ask/status/'),
        part,
        body,
        fc.constantFrom('GET', 'POST'),
        async (prefix, p, b, method) => {
          const before = await counts();
          const res = await anon.fetch(`${prefix}${encodeLoose(p)}`, {
            method,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            ...(method === 'POST' ? { body: b } : {}),
          });
          cases++;
          expect(res.status, `${method} ${prefix}${p}`).toBeLessThan(500);
          const text = await res.text();
          expect(text).not.toMatch(/at .*\.(ts|js):\d+|node_modules|Error: /);
          // no page of this test's teams is open: nothing is written
          expect((await counts()).records).toBe(before.records);
        },
      ),
      { numRuns: 300 * SCALE, seed: SEED + 6 },
    );
  }, 600_000);

  it('people and devices: hostile ids, teams and bodies from a coordinator and an admin answer 4xx or a proper answer, and write nothing they refuse', async () => {
    const id = fc.oneof(fc.uuid({ version: 7 }), hostileString, fc.constantFrom('%00', '0f0f0f0f0f0f0f0f', '\u0000'));
    const team = fc.option(fc.oneof(fc.uuid({ version: 7 }), hostileString, fc.constant(otherTeam)), { nil: undefined, freq: 1 });
    const userBody = fc.oneof(
      fc.record({ username: anything, name: anything, role: anything, password: anything }, { requiredKeys: [] }),
      // almost right: only the name (or the role) hostile
      {
        weight: 4,
        arbitrary: fc.record({
          username: fc.stringMatching(/^[a-z]{4,12}$/),
          name: fc.oneof(hostileString, fc.constantFrom('王\u0000五', '\u0000', '李\ud800', '\udfff张')),
          role: fc.constantFrom('volunteer', 'coordinator', 'admin'),
          password: fc.constant('long-enough-123'),
        }),
      },
      fc.record({ password: anything }),
      fc.record({ active: anything }),
      anything,
    );
    const call = fc.oneof(
      { weight: 4, arbitrary: fc.tuple(fc.constant('POST'), fc.constant('/api/team/users'), team, userBody) },
      fc.tuple(fc.constant('GET'), fc.constantFrom('/api/team/users', '/api/team/devices', '/api/teams'), team, fc.constant(undefined)),
      fc.tuple(
        fc.constant('POST'),
        id.map((x) => `/api/team/users/${encodeLoose(x)}/password`),
        team,
        userBody,
      ),
      fc.tuple(
        fc.constant('POST'),
        id.map((x) => `/api/team/users/${encodeLoose(x)}/active`),
        team,
        userBody,
      ),
      fc.tuple(
        fc.constant('POST'),
        id.map((x) => `/api/team/devices/${encodeLoose(x)}/revoke`),
        team,
        fc.constant({}),
      ),
    );
    await fc.assert(
      fc.asyncProperty(call, fc.boolean(), async ([method, pathname, t, body], asAdmin) => {
        const before = await counts();
        const url = t === undefined ? pathname : `${pathname}?team=${encodeLoose(t)}`;
        const res = await (asAdmin ? admin : c).fetch(url, {
          method,
          headers: { 'content-type': 'application/json' },
          ...(method === 'GET' ? {} : { body: JSON.stringify(body) ?? 'null' }),
        });
        const { status } = await check(res, `${method} ${url} ${JSON.stringify(body)?.slice(0, 80)}`);
        const after = await counts();
        // only an accepted new user adds a row, and never one that failed
        if (status >= 400) expect(after).toEqual(before);
        else expect(after.users - before.users).toBe(status === 201 ? 1 : 0);
      }),
      { numRuns: 600 * SCALE, seed: SEED + 3 },
    );
  }, 600_000);
});
