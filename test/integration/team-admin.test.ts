/**
 * People and devices (issue 6, items 1, 4 and 5; issue 26, item 2): the hand-in check puts
 * phones that never synced, or still held records, at the top — and lists which records —
 * while a phone that only pulled, or holds nothing, is never chased; a coordinator adds a volunteer,
 * resets a password, deactivates someone and revokes a lost phone's sign-in — which deletes
 * nothing and is audited; volunteers get 403 for all of it, other teams 404 or 403.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/data/records.ts';
import { saveRepairEvent, saveRepairTicket } from '../../src/data/repair-save.ts';
import type { HandInRow } from '../../src/server/device.ts';
import { SESSION_CACHE_MS } from '../../src/server/session.ts';
import { freePort } from '../free-port.ts';
import { BACKENDS, Device, HttpClient, spawnServer, startServer, type TestServer } from './harness.ts';

interface Err {
  error: { code: string; message: string };
}

describe.each(BACKENDS)('people and devices on $name', (backend) => {
  let server: TestServer;
  let teamId: string;
  let otherTeam: string;
  const coord = new HttpClient('');

  beforeAll(async () => {
    server = await startServer(backend);
    teamId = await server.addTeam('东湖社区');
    otherTeam = await server.addTeam('西湖社区');
    const c = await server.addUser(teamId, 'ta-coord', 'coordinator');
    Object.assign(coord, new HttpClient(server.url));
    expect((await coord.json('/api/auth/login', { body: { username: c.username, password: c.password } })).status).toBe(200);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('hand-in check: every phone with its volunteer, version, last sync and what it still held; the ones to chase on top', async () => {
    const [u1, u2, u3] = await Promise.all([1, 2, 3].map((i) => server.addUser(teamId, `ta-v${i}`)));
    // phone 1 synced clean today; phone 2 synced with records left behind; phone 3 synced yesterday
    const phones = [new Device(server), new Device(server), new Device(server)];
    for (const [i, u] of [u1!, u2!, u3!].entries()) await phones[i]!.signIn(u.username, u.password);
    const ev = newId();
    await saveRepairEvent({ id: ev, title: '周六', date: '2026-11-22', site: '院子', status: 'open' }, phones[0]!.db);
    await phones[0]!.syncUntilClean();
    for (let i = 0; i < 5; i++) await saveRepairTicket({ id: newId(), eventId: null, category: 'fan', problem: `第${i}台` }, phones[1]!.db);
    // the first batch of 2 gets through (reporting 3 still held), then the network drops
    phones[1]!.faults = ['ok', 'drop'];
    await phones[1]!.flush({ batchSize: 2 });
    server.now.offset = -26 * 60 * 60 * 1000;
    await phones[2]!.syncUntilClean();
    server.now.offset = 0;

    const res = await coord.json<{ devices: HandInRow[] }>('/api/team/devices');
    expect(res.status).toBe(200);
    const byUser = new Map(res.body.devices.map((d) => [d.username, d]));
    expect(byUser.get('ta-v1')).toMatchObject({ pending: 0, warning: false, appVersion: 'test', activeSessions: 1 });
    expect(byUser.get('ta-v2')!.pending).toBe(3);
    expect(byUser.get('ta-v2')!.warning).toBe(true);
    // which three: the tickets' numbers, oldest first, with when each was saved
    const numbers = (await phones[1]!.db.repairTicket.toArray()).map((t) => t.number).sort();
    expect(byUser.get('ta-v2')!.held.map((h) => [h.type, h.label])).toEqual(numbers.slice(2).map((n) => ['repairTicket', n]));
    expect(byUser.get('ta-v2')!.held.every((h) => h.savedAt > 0 && h.savedAt <= Date.now())).toBe(true);
    // yesterday's clean phone holds nothing: told as such, not chased
    expect(byUser.get('ta-v3')).toMatchObject({ warning: false, syncedToday: false, pending: 0, held: [] });
    expect(byUser.get('ta-v1')).toMatchObject({ syncedToday: true, held: [] });
    // warnings first, the clean phones last
    const order = res.body.devices.map((d) => d.username);
    expect(order.indexOf('ta-v1')).toBeGreaterThan(order.indexOf('ta-v2'));
    expect(order.indexOf('ta-v3')).toBeGreaterThan(order.indexOf('ta-v2'));
    expect(new Set(res.body.devices.map((d) => d.letter)).size).toBe(res.body.devices.length);
    for (const p of phones) await p.close();
  });

  it('a phone that only pulled (nothing to push) has synced; one that never synced is the one to chase; handing in clears the list', async () => {
    const [reader, silent, late] = await Promise.all(['ta-read', 'ta-silent', 'ta-late'].map((n) => server.addUser(teamId, n)));
    const phones = [new Device(server), new Device(server), new Device(server)];
    for (const [i, u] of [reader!, silent!, late!].entries()) await phones[i]!.signIn(u.username, u.password);
    const before = Date.now();
    const pulled = await phones[0]!.flush();
    expect(pulled.pushed).toBe(0);
    // phone 3 hands in one ticket while two more wait, then the rest
    for (let i = 0; i < 3; i++) await saveRepairTicket({ id: newId(), eventId: null, category: 'fan', problem: `第${i}台` }, phones[2]!.db);
    phones[2]!.faults = ['ok', 'drop'];
    await phones[2]!.flush({ batchSize: 1 });
    let list = (await coord.json<{ devices: HandInRow[] }>('/api/team/devices')).body.devices;
    const byUser = (l: HandInRow[]) => new Map(l.map((d) => [d.username, d]));
    expect(byUser(list).get('ta-read')).toMatchObject({ warning: false, syncedToday: true, pending: 0 });
    expect(byUser(list).get('ta-read')!.lastSyncAt).toBeGreaterThanOrEqual(before);
    expect(byUser(list).get('ta-silent')).toMatchObject({ warning: true, lastSyncAt: null });
    expect(byUser(list).get('ta-late')).toMatchObject({ warning: true, pending: 2 });
    expect(byUser(list).get('ta-late')!.held).toHaveLength(2);
    await phones[2]!.syncUntilClean();
    list = (await coord.json<{ devices: HandInRow[] }>('/api/team/devices')).body.devices;
    expect(byUser(list).get('ta-late')).toMatchObject({ warning: false, pending: 0, held: [] });
    for (const p of phones) await p.close();
  });

  it("revoking a lost phone's sign-in: it is refused from then on, nothing on the server is deleted, and the revocation is audited", async () => {
    const u = await server.addUser(teamId, 'ta-lost');
    const phone = new Device(server);
    await phone.signIn(u.username, u.password);
    await saveRepairTicket({ id: newId(), eventId: null, category: 'kettle', problem: '漏水' }, phone.db);
    await phone.syncUntilClean();
    const rowsBefore = await server.db.selectFrom('record').select('row_id').where('team_id', '=', teamId).execute();
    const list = await coord.json<{ devices: HandInRow[] }>('/api/team/devices');
    const device = list.body.devices.find((d) => d.username === 'ta-lost')!;
    const res = await coord.json<{ revoked: number }>(`/api/team/devices/${device.id}/revoke`, { body: {} });
    expect(res).toEqual({ status: 200, body: { revoked: 1 } });

    expect((await phone.http.json<Err>('/api/me')).status).toBe(401);
    await saveRepairTicket({ id: newId(), eventId: null, category: 'kettle', problem: '又漏了' }, phone.db);
    const r = await phone.flush();
    expect(r.outcome).toBe('unauthorized');
    // the phone keeps its record for a new sign-in; the server keeps everything it had
    expect(await phone.db.outbox.count()).toBe(1);
    const rowsAfter = await server.db.selectFrom('record').select('row_id').where('team_id', '=', teamId).execute();
    expect(rowsAfter.length).toBe(rowsBefore.length);
    const audit = await server.db
      .selectFrom('audit')
      .select(['action', 'detail', 'team_id'])
      .where('action', '=', 'session.revoke')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ deviceId: device.id, sessions: 1 });
    expect((await coord.json(`/api/team/devices/${device.id}/revoke`, { body: {} })).body).toEqual({ revoked: 0 });
    await phone.close();
  });

  it('another server process refuses a revoked sign-in too, within SESSION_CACHE_MS of the revocation', async () => {
    const port = await freePort();
    const other = await spawnServer(server, port);
    try {
      const u = await server.addUser(teamId, 'ta-elsewhere');
      const phone = new HttpClient(`http://127.0.0.1:${port}`);
      expect(
        (await phone.json('/api/auth/login', { body: { username: u.username, password: u.password, deviceId: '00000000000000e1' } }))
          .status,
      ).toBe(200);
      // the other process has just looked the session up, and keeps it for a few seconds
      expect((await phone.json('/api/me')).status).toBe(200);
      const revoked = await coord.json<{ revoked: number }>('/api/team/devices/00000000000000e1/revoke', { body: {} });
      expect(revoked.body).toEqual({ revoked: 1 });
      const at = Date.now();
      let status = 200;
      while (status === 200 && Date.now() - at < SESSION_CACHE_MS + 2000) {
        status = (await phone.json('/api/me')).status;
        if (status === 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe(401);
      expect(Date.now() - at).toBeLessThanOrEqual(SESSION_CACHE_MS + 500);
    } finally {
      other.kill('SIGTERM');
    }
  });

  it('adds a volunteer who can then sign in; refuses bad input in words and a taken username', async () => {
    const add = await coord.json<{ id: string }>('/api/team/users', {
      body: { username: 'ta-new', name: '新来的', role: 'volunteer', password: 'a-long-secret' },
    });
    expect(add.status).toBe(201);
    const c = new HttpClient(server.url);
    const login = await c.json<{ user: { teamId: string; role: string } }>('/api/auth/login', {
      body: { username: 'ta-new', password: 'a-long-secret' },
    });
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ teamId, role: 'volunteer' });

    const taken = await coord.json<Err>('/api/team/users', {
      body: { username: 'ta-new', name: '重名', role: 'volunteer', password: 'a-long-secret' },
    });
    expect(taken.status).toBe(409);
    for (const body of [
      { username: 'x', name: '短', role: 'volunteer', password: 'a-long-secret' },
      { username: 'ta-admin2', name: '想当管理员', role: 'admin', password: 'a-long-secret' },
      { username: 'ta-short', name: '密码短', role: 'volunteer', password: 'short' },
      { username: 'ta-extra', name: '多字段', role: 'volunteer', password: 'a-long-secret', teamId: otherTeam },
    ]) {
      const before = await server.db.selectFrom('app_user').select('id').execute();
      const bad = await coord.json<Err>('/api/team/users', { body, headers: { 'accept-language': 'zh-CN' } });
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.body.error.code).toBe('validation');
      expect(bad.body.error.message).toMatch(/[\u4e00-\u9fff]/);
      expect((await server.db.selectFrom('app_user').select('id').execute()).length).toBe(before.length);
    }
  });

  it('resets a password: the old one stops working and every session of that volunteer ends', async () => {
    const u = await server.addUser(teamId, 'ta-forgot');
    const phone = new HttpClient(server.url);
    await phone.json('/api/auth/login', { body: { username: u.username, password: u.password } });
    const reset = await coord.json(`/api/team/users/${u.id}/password`, { body: { password: 'a-brand-new-one' } });
    expect(reset.status).toBe(200);
    expect((await phone.json('/api/me')).status).toBe(401);
    expect(
      (await new HttpClient(server.url).json('/api/auth/login', { body: { username: u.username, password: u.password } })).status,
    ).toBe(401);
    expect(
      (await new HttpClient(server.url).json('/api/auth/login', { body: { username: u.username, password: 'a-brand-new-one' } })).status,
    ).toBe(200);
  });

  it('deactivates and reactivates a volunteer; a coordinator cannot deactivate themself', async () => {
    const u = await server.addUser(teamId, 'ta-leaving');
    const phone = new HttpClient(server.url);
    await phone.json('/api/auth/login', { body: { username: u.username, password: u.password } });
    expect((await coord.json(`/api/team/users/${u.id}/active`, { body: { active: false } })).status).toBe(200);
    expect((await phone.json('/api/me')).status).toBe(401);
    expect(
      (await new HttpClient(server.url).json('/api/auth/login', { body: { username: u.username, password: u.password } })).status,
    ).toBe(401);
    const users = await coord.json<{ users: { username: string; active: boolean }[] }>('/api/team/users');
    expect(users.body.users.find((x) => x.username === 'ta-leaving')!.active).toBe(false);
    expect((await coord.json(`/api/team/users/${u.id}/active`, { body: { active: true } })).status).toBe(200);
    expect(
      (await new HttpClient(server.url).json('/api/auth/login', { body: { username: u.username, password: u.password } })).status,
    ).toBe(200);
    // a coordinator is not managed by a coordinator, themself included: only an admin manages them
    const me = await coord.json<{ user: { id: string } }>('/api/me');
    expect((await coord.json<Err>(`/api/team/users/${me.body.user.id}/active`, { body: { active: false } })).status).toBe(403);
    expect((await coord.json('/api/me')).status).toBe(200);
    const actions = (await server.db.selectFrom('audit').select('action').where('team_id', '=', teamId).execute()).map((a) => a.action);
    for (const a of ['user.add', 'user.password', 'user.deactivate', 'user.activate']) expect(actions).toContain(a);
  });

  it('volunteers get 403 on every coordinator call; a coordinator cannot reach another team', async () => {
    const v = await server.addUser(teamId, 'ta-plain');
    const vol = new HttpClient(server.url);
    await vol.json('/api/auth/login', { body: { username: v.username, password: v.password } });
    const outsider = await server.addUser(otherTeam, 'ta-outsider');
    const calls: [string, unknown?][] = [
      ['/api/team/devices'],
      ['/api/team/users'],
      ['/api/team/users', { username: 'ta-sneaky', name: '偷偷', role: 'volunteer', password: 'a-long-secret' }],
      [`/api/team/users/${outsider.id}/password`, { password: 'a-brand-new-one' }],
      [`/api/team/users/${outsider.id}/active`, { active: false }],
      [`/api/team/devices/${newId()}/revoke`, {}],
    ];
    for (const [path, body] of calls) {
      const res = await vol.json<Err>(path, body === undefined ? undefined : { body });
      expect(res.status, path).toBe(403);
    }
    // another team's user looks like nobody; asking for another team is refused
    expect((await coord.json<Err>(`/api/team/users/${outsider.id}/password`, { body: { password: 'a-brand-new-one' } })).status).toBe(404);
    expect((await coord.json<Err>(`/api/team/users/${outsider.id}/active`, { body: { active: false } })).status).toBe(404);
    expect((await coord.json<Err>(`/api/team/devices?team=${otherTeam}`)).status).toBe(403);
    expect(
      (await new HttpClient(server.url).json('/api/auth/login', { body: { username: outsider.username, password: outsider.password } }))
        .status,
    ).toBe(200);
  });
});
