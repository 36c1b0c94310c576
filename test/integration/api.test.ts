/**
 * The HTTP API around sync: first-run setup, sign-in and sessions, and the error contract —
 * every failure is JSON `{error:{code,message}}` with the right 4xx, in the caller's
 * language, and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, HttpClient, startServer, type TestServer } from './harness.ts';

interface Err {
  error: { code: string; message: string };
}

describe.each(BACKENDS)('API on $name', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(backend);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('answers health with the database kind', async () => {
    const c = new HttpClient(server.url);
    const res = await c.json<{ ok: boolean; db: string }>('/api/health');
    expect(res).toEqual({ status: 200, body: { ok: true, db: backend.name } });
  });

  it('runs first-time setup once: team and coordinator, signed in; then refuses it', async () => {
    const c = new HttpClient(server.url);
    expect((await c.json('/api/setup')).body).toEqual({ needed: true });
    const weak = await c.json<Err>('/api/setup', { body: { teamName: '东湖社区', username: 'coord', name: '王', password: 'short' } });
    expect(weak.status).toBe(400);
    expect(weak.body.error.code).toBe('validation');
    expect(weak.body.error.message).toContain('password');
    expect((await c.json('/api/setup')).body).toEqual({ needed: true });

    const res = await c.json<{ user: { role: string; teamName: string } }>('/api/setup', {
      body: {
        teamName: '东湖社区',
        region: '武汉',
        username: 'coord',
        name: '王主任',
        password: 'a-long-secret',
        deviceId: '00000000000000aa',
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ role: 'coordinator', teamName: '东湖社区' });
    expect(c.cookie).toMatch(/^linli_session=/);
    expect((await c.json<{ user: { username: string } }>('/api/me')).body.user.username).toBe('coord');

    const again = await new HttpClient(server.url).json<Err>('/api/setup', {
      body: { teamName: '别的', username: 'evil', name: 'x', password: 'a-long-secret' },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('setup_done');
    expect((await server.db.selectFrom('team').selectAll().execute()).map((t) => t.name)).toEqual(['东湖社区']);
  });

  it('signs in with a cookie that is HttpOnly, Secure, SameSite=Strict and lasts weeks; signs out for good', async () => {
    const teamId = await server.addTeam('西湖社区');
    const u = await server.addUser(teamId, 'li');
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'li', password: u.password, deviceId: '00000000000000bb' }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const maxAge = Number(/Max-Age=(\d+)/i.exec(cookie)![1]);
    expect(maxAge).toBeGreaterThanOrEqual(14 * 24 * 3600);
    const body = (await res.json()) as { device: { letter: string } };
    expect(body.device.letter).toBe('A');
    // only a hash of the token is stored
    const token = cookie.split(';')[0]!.split('=')[1]!;
    const stored = await server.db.selectFrom('session').select('token_hash').execute();
    expect(stored.some((s) => s.token_hash === token)).toBe(false);

    const c = new HttpClient(server.url);
    c.cookie = `linli_session=${token}`;
    expect((await c.json('/api/me')).status).toBe(200);
    expect((await c.json('/api/auth/logout', { body: {} })).status).toBe(200);
    const after = new HttpClient(server.url);
    after.cookie = `linli_session=${token}`;
    const me = await after.json<Err>('/api/me');
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('unauthorized');
  });

  it('refuses a wrong password with 401 in the caller’s language, the same for an unknown user', async () => {
    const teamId = await server.addTeam('南湖社区');
    await server.addUser(teamId, 'zhao');
    const c = new HttpClient(server.url);
    const wrong = await c.json<Err>('/api/auth/login', { body: { username: 'zhao', password: 'nope-nope' } });
    const unknown = await c.json<Err>('/api/auth/login', {
      body: { username: 'nobody', password: 'nope-nope' },
      headers: { 'accept-language': 'en' },
    });
    expect(wrong).toEqual({ status: 401, body: { error: { code: 'invalid_credentials', message: '用户名或密码不正确。' } } });
    expect(unknown).toEqual({ status: 401, body: { error: { code: 'invalid_credentials', message: 'Wrong username or password.' } } });
  });

  it('answers malformed, wrongly typed, oversized and unknown requests with JSON 4xx, never 5xx', async () => {
    const c = new HttpClient(server.url);
    const cases: [string, RequestInit, number, string][] = [
      ['/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":' }, 400, 'bad_request'],
      ['/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' }, 400, 'validation'],
      [
        '/api/auth/login',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":1,"password":{}}' },
        400,
        'validation',
      ],
      ['/api/auth/login', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'username=a' }, 415, 'unsupported_media_type'],
      [
        '/api/auth/login',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'x'.repeat(100_000), password: 'y' }),
        },
        413,
        'payload_too_large',
      ],
      [
        '/api/auth/login',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '['.repeat(30_000) + ']'.repeat(30_000) },
        400,
        'validation',
      ],
      ['/api/nothing-here', { method: 'GET' }, 404, 'not_found'],
      ['/api/sync/pull?cursor=abc', { method: 'GET' }, 401, 'unauthorized'],
      ['/api/sync/push', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }, 401, 'unauthorized'],
    ];
    for (const [path, init, status, code] of cases) {
      const res = await c.fetch(path, init);
      const text = await res.text();
      expect(res.status, `${path} ${String(init.body).slice(0, 30)}`).toBe(status);
      const body = JSON.parse(text) as Err;
      expect(body.error.code).toBe(code);
      expect(body.error.message.length).toBeGreaterThan(0);
      expect(text).not.toMatch(/at .*\.ts:\d+/);
    }
  });

  it('refuses malformed sync requests from a signed-in device with 400 and writes nothing', async () => {
    const teamId = await server.addTeam('北湖社区');
    const u = await server.addUser(teamId, 'sun');
    const c = new HttpClient(server.url);
    await c.json('/api/auth/login', { body: { username: u.username, password: u.password } });
    const before = (await server.db.selectFrom('record').selectAll().execute()).length;
    const bad: unknown[] = [
      { deviceId: 'nope', schemaVersion: 1, mutations: [] },
      { deviceId: '00000000000000cc', schemaVersion: '1', mutations: [] },
      { deviceId: '00000000000000cc', schemaVersion: 1, mutations: 'all' },
      { deviceId: '00000000000000cc', schemaVersion: 1, mutations: [{ noId: true }] },
      { deviceId: '00000000000000cc', schemaVersion: 1, mutations: new Array(1001).fill(null) },
    ];
    for (const body of bad) {
      const res = await c.json<Err>('/api/sync/push', { body });
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.error.code).toBe('validation');
    }
    for (const q of ['cursor=-1', 'cursor=abc', 'limit=0', 'limit=100000', 'limit=2.5']) {
      const res = await c.json<Err>(`/api/sync/pull?${q}`);
      expect(res.status, q).toBe(400);
    }
    expect((await server.db.selectFrom('record').selectAll().execute()).length).toBe(before);
  });

  it('locks a username after 10 failed sign-ins, even with the right password, and keeps the count in the database', async () => {
    const teamId = await server.addTeam('锁定测试');
    const u = await server.addUser(teamId, 'locked');
    const c = new HttpClient(server.url);
    for (let i = 0; i < 10; i++) {
      expect((await c.json('/api/auth/login', { body: { username: 'locked', password: `wrong-${i}` } })).status).toBe(401);
    }
    // a restart (or another server process) sees the same failures
    await server.restart();
    const blocked = await new HttpClient(server.url).json<Err>('/api/auth/login', { body: { username: 'locked', password: u.password } });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('rate_limited');
    expect((await server.db.selectFrom('session').selectAll().execute()).length).toBeGreaterThan(0);
    // another username from elsewhere is not affected
    const other = await server.addUser(teamId, 'unlocked');
    expect(
      (await new HttpClient(server.url).json('/api/auth/login', { body: { username: 'unlocked', password: other.password } })).status,
    ).toBe(200);
  });

  it('refuses a state-changing request from a foreign origin (CSRF) and sends security headers', async () => {
    const c = new HttpClient(server.url);
    const res = await c.json<Err>('/api/auth/login', {
      body: { username: 'a', password: 'b' },
      headers: { origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('csrf');
    const h = await fetch(`${server.url}/api/health`);
    expect(h.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(h.headers.get('x-content-type-options')).toBe('nosniff');
    expect(h.headers.get('referrer-policy')).toBe('same-origin');
  });
});
