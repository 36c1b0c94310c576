/**
 * The server is the authority over who gets in and how far (issue 20, items 5–7), against the
 * real server on both databases:
 *
 * - sign-in limits counted atomically (parallel tries all count), per account and address,
 *   never locking a volunteer out of a phone they signed in from before, a shared address
 *   never a kill switch, and behind a proxy the client is the nearest untrusted hop;
 * - roles form a ladder: coordinators manage their team's volunteers, only admins manage
 *   coordinators; a device id belongs to one user and team;
 * - setup succeeds exactly once under concurrency;
 * - no 5xx for NUL bytes, lone surrogates, out-of-range integers or unknown teams, and
 *   nothing written; the same mutations through two processes at once applied once.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randomDeviceId } from '../../src/data/clock.ts';
import { newId } from '../../src/data/records.ts';
import { LOGIN_WINDOW_MS, MAX_PER_ACCOUNT, MAX_PER_ADDRESS } from '../../src/server/login-throttle.ts';
import { SCHEMA_VERSION, type PushResponse } from '../../src/shared/protocol.ts';
import { freePort } from '../free-port.ts';
import { BACKENDS, HttpClient, rowCounts, spawnServer, startServer, type TestServer } from './harness.ts';
import { RawPhone, type Mutation } from './raw-phone.ts';

interface Err {
  error: { code: string; message: string };
}
type User = { id: string; username: string; password: string };

const login = (base: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  new HttpClient(base).json<Err & { device: { id: string; letter: string } }>('/api/auth/login', { body, headers });

describe.each(BACKENDS)('who gets in, and how far, on $name', (backend) => {
  let server: TestServer;
  let teamId: string;

  beforeAll(async () => {
    server = await startServer(backend);
    teamId = await server.addTeam('东湖社区');
  });
  afterAll(async () => {
    await server.stop();
  });
  // each test's sign-in attempts in a window of their own
  afterEach(() => {
    server.now.offset += LOGIN_WINDOW_MS + 1000;
  });

  /** Every row the tests could write by mistake, counted. */
  const counts = () => rowCounts(server.db, ['record', 'applied_mutation', 'app_user', 'team', 'session', 'device', 'audit']);

  it(`forty wrong passwords at once: exactly ${MAX_PER_ACCOUNT} are checked, the rest 429; the right password waits on a new phone, not on the volunteer's own`, async () => {
    const victim = await server.addUser(teamId, 'aa-victim');
    const ownPhone = await RawPhone.signIn(server, victim);
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => login(server.url, { username: victim.username, password: 'wrong-password' })),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(MAX_PER_ACCOUNT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40 - MAX_PER_ACCOUNT);
    expect(answers.find((a) => a.status === 429)!.body.error).toMatchObject({ code: 'rate_limited' });
    // the attacker's phone (and any phone the account never used) waits, even with the right password
    expect((await login(server.url, { username: victim.username, password: victim.password })).status).toBe(429);
    expect((await login(server.url, { username: victim.username, password: victim.password, deviceId: randomDeviceId() })).status).toBe(
      429,
    );
    // the volunteer's own phone gets in, and the count starts again
    const own = await login(server.url, { username: victim.username, password: victim.password, deviceId: ownPhone.node });
    expect(own.status).toBe(200);
    expect(own.body.device.id).toBe(ownPhone.node);
  });

  it(`a shared address is no kill switch: after ${MAX_PER_ADDRESS + 10} failures from it, a volunteer's first sign-in there succeeds; one who failed there waits`, async () => {
    const ann = await server.addUser(teamId, 'aa-ann');
    const ben = await server.addUser(teamId, 'aa-ben');
    for (let i = 0; i < MAX_PER_ADDRESS + 10; i++) {
      expect((await login(server.url, { username: `nobody-${i}`, password: 'guess' })).status).toBe(401);
    }
    expect((await login(server.url, { username: ann.username, password: ann.password })).status).toBe(200);
    expect((await login(server.url, { username: ben.username, password: 'typo' })).status).toBe(401);
    expect((await login(server.url, { username: ben.username, password: ben.password })).status).toBe(429);
  });

  it('without trusted proxies, X-Forwarded-For is ignored: spoofed entries do not spread failures over addresses', async () => {
    const cai = await server.addUser(teamId, 'aa-cai');
    for (let i = 0; i < MAX_PER_ADDRESS; i++) {
      const r = await login(server.url, { username: `ghost-${i}`, password: 'guess' }, { 'x-forwarded-for': `10.1.${i}.1` });
      expect(r.status).toBe(401);
    }
    expect((await login(server.url, { username: cai.username, password: 'typo' }, { 'x-forwarded-for': '10.200.0.1' })).status).toBe(401);
    expect((await login(server.url, { username: cai.username, password: cai.password }, { 'x-forwarded-for': '10.200.0.2' })).status).toBe(
      429,
    );
  });

  it('behind a trusted proxy the client is the nearest untrusted hop: a spoofed leftmost entry changes nothing', async () => {
    const proxied = await startServer(backend, { proxies: ['127.0.0.1'] });
    try {
      const team = await proxied.addTeam('西湖社区');
      const dai = await proxied.addUser(team, 'aa-dai');
      // what nginx's $proxy_add_x_forwarded_for sends: whatever the client claimed, then its real address
      const from = (real: string, claimed: string) => ({ 'x-forwarded-for': `${claimed}, ${real}` });
      for (let i = 0; i < MAX_PER_ADDRESS; i++) {
        expect((await login(proxied.url, { username: `ghost-${i}`, password: 'guess' }, from('10.9.9.9', `spoof-${i}`))).status).toBe(401);
      }
      expect((await login(proxied.url, { username: dai.username, password: 'typo' }, from('10.9.9.9', '1.2.3.4'))).status).toBe(401);
      expect((await login(proxied.url, { username: dai.username, password: dai.password }, from('10.9.9.9', '5.6.7.8'))).status).toBe(429);
      // the same volunteer from another client address is not slowed by 10.9.9.9's failures
      expect((await login(proxied.url, { username: dai.username, password: dai.password }, from('10.9.9.8', '5.6.7.8'))).status).toBe(200);
    } finally {
      await proxied.stop();
    }
  });

  it('roles form a ladder: a coordinator manages volunteers, never another coordinator or an admin; an admin manages both', async () => {
    const team = await server.addTeam('南湖社区');
    const [coordA, coordB, admin, vol] = await Promise.all([
      server.addUser(team, 'aa-coord-a', 'coordinator'),
      server.addUser(team, 'aa-coord-b', 'coordinator'),
      server.addUser(team, 'aa-admin', 'admin'),
      server.addUser(team, 'aa-vol'),
    ]);
    const phoneOf = async (u: User) => (await RawPhone.signIn(server, u)).node;
    const [bPhone, adminPhone, volPhone] = [await phoneOf(coordB!), await phoneOf(admin!), await phoneOf(vol!)];
    const as = async (u: User) => {
      const h = new HttpClient(server.url);
      expect((await h.json('/api/auth/login', { body: { username: u.username, password: u.password } })).status).toBe(200);
      return h;
    };
    const a = await as(coordA!);
    const before = await counts();
    for (const [path, body] of [
      [`/api/team/users/${coordB!.id}/password`, { password: 'taken-over-1234' }],
      [`/api/team/users/${coordB!.id}/active`, { active: false }],
      [`/api/team/users/${admin!.id}/password`, { password: 'taken-over-1234' }],
      [`/api/team/devices/${bPhone}/revoke`, {}],
      [`/api/team/devices/${adminPhone}/revoke`, {}],
      ['/api/team/users', { username: 'aa-coord-c', name: '新协调员', role: 'coordinator', password: 'long-enough-123' }],
    ] as const) {
      const r = await a.json<Err>(path, { body });
      expect(r.status, path).toBe(403);
      expect(r.body.error.code, path).toBe('forbidden');
    }
    expect(await counts(), 'a refused call writes nothing').toEqual(before);
    expect((await login(server.url, { username: coordB!.username, password: coordB!.password })).status).toBe(200);
    // down the ladder it works
    expect((await a.json(`/api/team/users/${vol!.id}/password`, { body: { password: 'new-password-123' } })).status).toBe(200);
    expect((await a.json(`/api/team/devices/${volPhone}/revoke`, { body: {} })).status).toBe(200);
    const ad = await as(admin!);
    expect((await ad.json(`/api/team/devices/${bPhone}/revoke`, { body: {} })).status).toBe(200);
    expect((await ad.json(`/api/team/users/${coordB!.id}/password`, { body: { password: 'reset-by-admin-1' } })).status).toBe(200);
    expect((await ad.json(`/api/team/users/${coordB!.id}/active`, { body: { active: false } })).status).toBe(200);
    expect(
      (
        await ad.json('/api/team/users', {
          body: { username: 'aa-coord-c', name: '新协调员', role: 'coordinator', password: 'long-enough-123' },
        })
      ).status,
    ).toBe(201);
    expect((await login(server.url, { username: coordB!.username, password: 'reset-by-admin-1' })).status).toBe(401);
  });

  it("signing in with another team's device id gets a new device; the old one stays its team's, revocable by its coordinator", async () => {
    const other = await server.addTeam('北湖社区');
    const theirs = await server.addUser(other, 'aa-theirs');
    const theirCoord = await server.addUser(other, 'aa-their-coord', 'coordinator');
    const ours = await server.addUser(teamId, 'aa-ours');
    const phone = await RawPhone.signIn(server, theirs);
    const r = await login(server.url, { username: ours.username, password: ours.password, deviceId: phone.node });
    expect(r.status).toBe(200);
    expect(r.body.device.id).not.toBe(phone.node);
    expect(r.body.device.id).toMatch(/^[0-9a-f]{16}$/);
    const rows = await server.db
      .selectFrom('device')
      .select(['id', 'team_id', 'user_id'])
      .where('id', 'in', [phone.node, r.body.device.id])
      .execute();
    expect(rows.find((d) => d.id === phone.node)).toMatchObject({ team_id: other, user_id: theirs.id });
    expect(rows.find((d) => d.id === r.body.device.id)).toMatchObject({ team_id: teamId, user_id: ours.id });
    const coord = new HttpClient(server.url);
    await coord.json('/api/auth/login', { body: { username: theirCoord.username, password: theirCoord.password } });
    const revoked = await coord.json<{ revoked: number }>(`/api/team/devices/${phone.node}/revoke`, { body: {} });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revoked).toBe(1);
    expect((await phone.http.json('/api/me')).status).toBe(401);
  });

  it('eight setups at the same moment on an empty server: one creates the team, seven are told it is done', async () => {
    const fresh = await startServer(backend);
    try {
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          new HttpClient(fresh.url).json<Err>('/api/setup', {
            body: { teamName: `队${i}`, username: `setup-${i}`, name: `协调员${i}`, password: 'long-enough-123' },
          }),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
      for (const a of answers.filter((x) => x.status === 409)) expect(a.body.error.code).toBe('setup_done');
      const teams = await fresh.db.selectFrom('team').select('id').execute();
      const users = await fresh.db.selectFrom('app_user').select(['team_id', 'role']).execute();
      expect(teams).toHaveLength(1);
      expect(users).toEqual([{ team_id: teams[0]!.id, role: 'coordinator' }]);
    } finally {
      await fresh.stop();
    }
  });

  it('NUL bytes, lone surrogates, out-of-range integers and unknown teams: a 4xx in words, nothing written', async () => {
    const coord = await server.addUser(teamId, 'aa-nul-coord', 'coordinator');
    const admin = await server.addUser(teamId, 'aa-nul-admin', 'admin');
    const c = new HttpClient(server.url);
    await c.json('/api/auth/login', { body: { username: coord.username, password: coord.password } });
    const ad = new HttpClient(server.url);
    await ad.json('/api/auth/login', { body: { username: admin.username, password: admin.password } });
    const before = await counts();
    const cases: [HttpClient, string, unknown, number][] = [
      [new HttpClient(server.url), '/api/auth/login', { username: 'a\u0000b', password: 'x' }, 400],
      [new HttpClient(server.url), '/api/auth/login', { username: 'a\ud800b', password: 'x' }, 400],
      [new HttpClient(server.url), '/api/setup', { teamName: '队\u0000', username: 'x1', name: 'x', password: 'long-enough-123' }, 400],
      [c, '/api/team/users', { username: 'aa-nul-1', name: '王\u0000五', role: 'volunteer', password: 'long-enough-123' }, 400],
      [c, '/api/team/users', { username: 'aa-nul-2', name: '王\udc00五', role: 'volunteer', password: 'long-enough-123' }, 400],
      [c, '/api/team/users/%00/password', { password: 'long-enough-123' }, 400],
      [c, '/api/team/devices/%00/revoke', {}, 400],
      [c, '/api/team/devices?team=%00', undefined, 400],
      [c, '/api/dashboard?team=%00', undefined, 400],
      [c, '/api/sync/pull?cursor=2147483648', undefined, 400],
      [c, '/api/sync/pull?cursor=99999999999', undefined, 400],
      [c, '/api/sync/pull?limit=2147483648', undefined, 400],
      [ad, `/api/team/users?team=${newId()}`, { username: 'aa-nul-3', name: '赵六', role: 'volunteer', password: 'long-enough-123' }, 404],
      [ad, `/api/team/devices?team=${newId()}`, undefined, 404],
      [ad, '/api/team/devices?team=not-a-uuid', undefined, 404],
    ];
    for (const [client, path, body, status] of cases) {
      const r = await client.json<Err>(path, body === undefined ? {} : { body });
      expect(r.status, path).toBe(status);
      expect(typeof r.body.error?.code, path).toBe('string');
      expect(r.body.error.message.length, path).toBeGreaterThan(0);
    }
    expect(await counts()).toEqual(before);
  });

  it('a push with an unkeepable pending count and a NUL in its app version still stores its valid records', async () => {
    const vol = await server.addUser(teamId, 'aa-push-vol');
    const p = await RawPhone.signIn(server, vol);
    const m = p.m('household', newId(), { gridCode: 'A1', building: '3', room: '101', headName: '李奶奶' });
    const r = await p.http.json<PushResponse>('/api/sync/push', {
      body: { deviceId: p.node, schemaVersion: SCHEMA_VERSION, appVersion: 'v1\u0000', pending: 3_000_000_000, mutations: [m] },
    });
    expect(r.status).toBe(200);
    expect(r.body.acked).toEqual([m.id]);
    const dev = await server.db.selectFrom('device').select(['app_version', 'pending']).where('id', '=', p.node).executeTakeFirstOrThrow();
    expect(dev.app_version).not.toContain('\u0000');
    expect(Number(dev.pending)).toBeLessThanOrEqual(1_000_000_000);
  });

  it('the same mutations through two server processes at once, from two phones (a hand-over): every push 200, acknowledged to each, applied once', async () => {
    const vol = await server.addUser(teamId, 'aa-handover');
    const ports = [await freePort()];
    ports.push(await freePort(ports));
    const procs = await Promise.all(ports.map((port) => spawnServer(server, port)));
    try {
      const bases = ports.map((port) => `http://127.0.0.1:${port}`);
      const phones = [await RawPhone.signIn(bases[0]!, vol), await RawPhone.signIn(bases[1]!, vol)];
      // the second phone signs in at the other process too: each phone pushes through both
      const crossed = [await RawPhone.signIn(bases[1]!, vol), await RawPhone.signIn(bases[0]!, vol)];
      const teamSeq = async () =>
        Number((await server.db.selectFrom('team_seq').select('seq').where('team_id', '=', teamId).executeTakeFirst())?.seq ?? 0);
      const seqBefore = await teamSeq();
      const rounds = 40;
      const all: Mutation[] = [];
      let pushes = 0;
      for (let round = 0; round < rounds; round++) {
        const batch = Array.from({ length: 4 }, (_, i) =>
          phones[0]!.m('household', newId(), { gridCode: 'B2', building: String(round), room: String(100 + i), headName: '张爷爷' }),
        );
        all.push(...batch);
        const answers = await Promise.all(
          [...phones, ...crossed].map((ph) =>
            ph.http.json<PushResponse>('/api/sync/push', { body: { deviceId: ph.node, schemaVersion: SCHEMA_VERSION, mutations: batch } }),
          ),
        );
        for (const a of answers) {
          pushes++;
          expect(a.status, JSON.stringify(a.body)).toBe(200);
          expect([...a.body.acked].sort()).toEqual(batch.map((m) => m.id).sort());
        }
      }
      expect(pushes).toBe(rounds * 4);
      const ids = all.map((m) => m.id);
      const applied = await server.db.selectFrom('applied_mutation').select('id').where('id', 'in', ids).execute();
      expect(applied).toHaveLength(ids.length);
      const rowIds = all.map((m) => m.rowId);
      const rows = await server.db.selectFrom('record').select(['row_id', 'seq']).where('row_id', 'in', rowIds).execute();
      expect(rows).toHaveLength(all.length);
      // applied once: the team's sequence moved once per row, never for a second application
      expect(Number((await teamSeq()) - seqBefore)).toBe(all.length);
    } finally {
      for (const p of procs) p.kill('SIGTERM');
    }
  }, 120_000);
});
