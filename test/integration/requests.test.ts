/**
 * Residents' requests (issue 22) against the real server and database: a resident asks on
 * the team's public page → a coordinator's phone accepts it (a new household from what was
 * typed) and routes it → volunteers race to claim a wish on two offline phones (one gets
 * it, the other is refused in words) → resolved → the resident evaluates on the status
 * page, which enters the need's history; the limits hold under parallel requests, a closed
 * page and a rotated code take nothing, unknown tokens find nothing, a honeypot writes nothing.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard } from '../../src/shared/dashboard.ts';
import { statusLines } from '../../src/shared/request.ts';
import { newId } from '../../src/data/records.ts';
import { requestLists, wishBoard } from '../../src/data/request.ts';
import { acceptRequest, declineRequest } from '../../src/data/request-save.ts';
import { claimNeed, takeNeedStep } from '../../src/data/need-save.ts';
import { setAskPage } from '../../src/data/team-settings-save.ts';
import { ASK_PER_PHONE_PER_DAY } from '../../src/server/routes/ask.ts';
import { BACKENDS, pushRaw, signedInDevice, startServer, type TestServer } from './harness.ts';

describe.each(BACKENDS)('residents’ requests on $name', (backend) => {
  let server: TestServer;
  let team: string;
  const users: Record<string, { id: string; username: string; password: string }> = {};
  let code = '';

  beforeAll(async () => {
    server = await startServer(backend);
    team = await server.addTeam('南湖社区');
    users.coord = await server.addUser(team, 'coordR', 'coordinator');
    users.v1 = await server.addUser(team, 'volR1');
    users.v2 = await server.addUser(team, 'volR2');
  });
  afterAll(() => server.stop());

  const rows = async (type: string) =>
    (await server.db.selectFrom('record').select(['row_id', 'fields']).where('type', '=', type).where('team_id', '=', team).execute()).map(
      (r) => ({ id: r.row_id, ...JSON.parse(r.fields) }) as Record<string, unknown>,
    );

  /** A resident fills in the page, as the browser posts it. */
  async function ask(fields: Record<string, string>, headers: Record<string, string> = {}, pageCode = code) {
    const res = await fetch(`${server.url}/ask/${pageCode}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    });
    const html = await res.text();
    const link = /href="(\/ask\/status\/[^"?]+)/.exec(html)?.[1] ?? null;
    const spoken = /data-testid="ask-code">(\d{6})</.exec(html)?.[1] ?? null;
    return { status: res.status, html, link, spoken };
  }
  const wish = {
    kind: 'wish',
    building: '5',
    unit: '1',
    room: '302',
    phone: '13912345678',
    callName: '陈奶奶',
    description: '想要一台收音机听戏',
    goodTime: '上午',
  };

  it('a page the coordinator opens takes a request; accepted with a new household, claimed by one of two racing volunteers, resolved and evaluated by the resident', async () => {
    const coord = await signedInDevice(server, users.coord!);
    expect((await setAskPage({ open: true }, coord.db)).ok).toBe(true);
    await coord.syncUntilClean();
    code = String((await rows('teamSettings'))[0]!.askCode);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
    const form = await fetch(`${server.url}/ask/${code}`);
    expect(form.status).toBe(200);
    const formHtml = await form.text();
    expect(formHtml).toContain('南湖社区 · 居民点单');
    expect(formHtml).not.toContain('<script');

    // bad input: a clear error in words, nothing written
    const bad = await ask({ ...wish, phone: '12345' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('请填写 11 位手机号');
    expect(await rows('request')).toHaveLength(0);

    const sent = await ask(wish);
    expect(sent.status).toBe(200);
    expect(sent.spoken).toMatch(/^\d{6}$/);
    expect(sent.link).toMatch(/^\/ask\/status\/[A-Za-z0-9_-]{32}$/);
    const status = async () =>
      (await (await fetch(`${server.url}${sent.link}`)).text()).match(/data-step="(\w+)"/g)?.map((s) => s.slice(11, -1));
    expect(await status()).toEqual(['received']);
    const [stored] = await rows('request');
    expect(stored).toMatchObject({ kind: 'wish', callName: '陈奶奶', status: 'received', code: sent.spoken });
    // nothing the resident typed is a household's data yet
    expect(await rows('household')).toHaveLength(0);

    // the coordinator's phone: 待受理, then accepted offline as a new household
    await coord.syncUntilClean();
    const lists = await requestLists(coord.db);
    expect(lists.incoming.map((r) => r.request.description)).toEqual(['想要一台收音机听戏']);
    const needId = newId();
    const householdId = newId();
    const accepted = await acceptRequest(
      { requestId: String(stored!.id), newHousehold: { id: householdId, gridCode: 'B2' }, route: 'volunteers', department: '', needId },
      coord.db,
    );
    expect(JSON.stringify(accepted)).toContain('"ok":true');
    // a second coordinator's "decline" made on an older copy is refused at sync
    await coord.syncUntilClean();
    expect(await coord.db.failed.count()).toBe(0);
    expect(
      await pushRaw(coord, 'request', String(stored!.id), {
        status: 'declined',
        declineReason: '重复',
        declinedAt: new Date().toISOString(),
      }),
    ).toMatch(/^validation:.*已被其他协调员处理/);
    // what the resident typed stays as typed
    expect(await pushRaw(coord, 'request', String(stored!.id), { description: '改了' })).toMatch(/^immutable:/);
    expect((await rows('household')).find((h) => h.id === householdId)).toMatchObject({
      building: '5',
      room: '302',
      headName: '陈奶奶',
      gridCode: 'B2',
    });
    expect((await rows('need')).find((n) => n.id === needId)).toMatchObject({ requestId: stored!.id, status: 'open', route: 'volunteers' });
    expect(await status()).toEqual(['received', 'accepted']);

    // two volunteers claim the wish on offline phones
    const v1 = await signedInDevice(server, users.v1!);
    const v2 = await signedInDevice(server, users.v2!);
    await v1.syncUntilClean();
    await v2.syncUntilClean();
    expect((await wishBoard(v1.db)).open.map((w) => w.need.id)).toEqual([needId]);
    expect((await claimNeed(needId, {}, v1.db)).ok).toBe(true);
    expect((await claimNeed(needId, {}, v2.db)).ok).toBe(true);
    await v1.syncUntilClean();
    await v2.syncUntilClean();
    const failed = await v2.db.failed.toArray();
    expect(failed.map((f) => f.message).join()).toContain('已被其他志愿者认领');
    const need = (await rows('need')).find((n) => n.id === needId)!;
    expect(need).toMatchObject({ claimedBy: users.v1!.id, status: 'inProgress' });
    const claims = (await rows('needLog')).filter((l) => l.needId === needId && l.action === 'claimed');
    expect(claims).toHaveLength(1);
    // the loser sees who has it
    await v2.syncUntilClean();
    const board = await wishBoard(v2.db);
    expect(board.open).toHaveLength(0);
    expect(board.taken.map((w) => w.need.assignee)).toEqual([need.assignee]);
    expect(await status()).toEqual(['received', 'accepted', 'assigned', 'inProgress']);
    // nor can another volunteer let go of it for them
    expect(await pushRaw(v2, 'need', needId, { claimedBy: '', status: 'open', assignee: '' })).toMatch(/^validation:.*已被其他志愿者认领/);
    expect((await rows('need')).find((n) => n.id === needId)).toMatchObject({ claimedBy: users.v1!.id });

    // resolved; the resident evaluates on the status page
    expect((await takeNeedStep(needId, { step: 'resolved', note: '送去一台旧收音机，调好了频道' }, v1.db)).ok).toBe(true);
    await v1.syncUntilClean();
    const done = await (await fetch(`${server.url}${sent.link}`)).text();
    expect(done).toContain('已办结');
    expect(done).toContain('送去一台旧收音机');
    // nothing of the household, the team's other data or a volunteer's phone
    expect(done).not.toMatch(/13912345678|B2|volR1/);
    const bad2 = await fetch(`${server.url}${sent.link}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'evaluation=great',
    });
    expect(bad2.status).toBe(400);
    const ev = await fetch(`${server.url}${sent.link}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ evaluation: 'satisfied', comment: '谢谢小伙子' }).toString(),
    });
    expect(ev.status).toBe(200);
    expect(await ev.text()).toContain('谢谢您的评价');
    expect((await rows('need')).find((n) => n.id === needId)).toMatchObject({ evaluation: 'satisfied' });
    expect((await rows('needLog')).find((l) => l.needId === needId && l.action === 'evaluated')).toMatchObject({
      evaluation: 'satisfied',
      note: '谢谢小伙子',
      byName: '居民',
    });
    // once only
    await fetch(`${server.url}${sent.link}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'evaluation=unsatisfied',
    });
    expect((await rows('needLog')).filter((l) => l.needId === needId && l.action === 'evaluated')).toHaveLength(1);
    // the phones pull the evaluation like any record
    await coord.syncUntilClean();
    expect((await coord.db.need.get(needId))?.evaluation).toBe('satisfied');

    // a declined request: the resident reads the reason
    const other = await ask({ ...wish, kind: 'errand', phone: '021 6543 2100', description: '帮忙买降压药' });
    await coord.syncUntilClean();
    const req = (await requestLists(coord.db)).incoming[0]!.request;
    expect(await declineRequest(req.id, '  ', coord.db)).toMatchObject({ ok: false, errors: { declineReason: 'request.declineReason' } });
    expect((await declineRequest(req.id, '药品需本人持医保卡到药店购买，已电话说明', coord.db)).ok).toBe(true);
    await coord.syncUntilClean();
    const declined = await (await fetch(`${server.url}${other.link}`)).text();
    expect(declined).toContain('未能办理');
    expect(declined).toContain('药品需本人持医保卡');
    // the figures: received, answered, resolved, how fast, how evaluated; the needs export names the channel
    // to a day after today in any zone (the dashboard counts in the team's calendar)
    const today = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const dash = await coord.http.json<Dashboard>(`/api/dashboard?from=2026-01-01&to=${today}`);
    expect(dash.body.requests).toMatchObject({
      received: 2,
      accepted: 1,
      declined: 1,
      resolved: 1,
      evaluations: { satisfied: 1, neutral: 0, unsatisfied: 0 },
    });
    expect(dash.body.requests.medianHoursToResolve).toEqual(expect.any(Number));
    const needsCsv = parse(
      new TextDecoder().decode(await (await coord.http.fetch(`/api/export/needs.csv?from=2026-01-01&to=${today}`)).arrayBuffer()),
    ) as string[][];
    const channel = needsCsv[0]!.indexOf('来源');
    expect(needsCsv.slice(1).map((r) => r[channel])).toEqual(['居民点单']);
    // a volunteer cannot answer a request, nor write one
    expect(await pushRaw(v1, 'request', req.id, { status: 'accepted' })).toMatch(/^forbidden:/);
    const forged = newId();
    expect(await pushRaw(coord, 'request', forged, { ...wish, id: forged, code: '123456', status: 'received' })).toMatch(/^forbidden:/);
    await Promise.all([coord.close(), v1.close(), v2.close()]);
  });

  it('the limits hold under parallel requests; a honeypot writes nothing; a closed page and a rotated code take nothing; unknown tokens find nothing', async () => {
    const before = (await rows('request')).length;
    const phone = '13700000000';
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => ask({ ...wish, phone, description: `第${i}次` }, { 'x-test': String(i) })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(ASK_PER_PHONE_PER_DAY);
    expect(results.filter((r) => r.status === 429)).toHaveLength(8 - ASK_PER_PHONE_PER_DAY);
    expect(results.find((r) => r.status === 429)!.html).toContain('提交次数太多');
    expect((await rows('request')).length).toBe(before + ASK_PER_PHONE_PER_DAY);
    // per address: 10 an hour from one address, whatever the phones (this test's one address has sent 1 + 1 + 8)
    const more = await Promise.all(Array.from({ length: 3 }, (_, i) => ask({ ...wish, phone: `1360000000${i}` })));
    expect(more.map((r) => r.status)).toEqual([429, 429, 429]);
    await server.db.deleteFrom('ask_limit').execute();

    // a robot fills the hidden field: thanked, nothing written
    const n = (await rows('request')).length;
    const robot = await ask({ ...wish, phone: '13600000009', website: 'http://spam.example' });
    expect(robot.status).toBe(200);
    expect((await rows('request')).length).toBe(n);
    expect((await fetch(`${server.url}${robot.link}`)).status).toBe(404);

    // rotated: the old code takes nothing; closed: neither does the new one
    const coord = await signedInDevice(server, users.coord!);
    expect((await setAskPage({ open: true, newCode: true }, coord.db)).ok).toBe(true);
    await coord.syncUntilClean();
    const fresh = String((await rows('teamSettings'))[0]!.askCode);
    expect(fresh).not.toBe(code);
    expect((await ask({ ...wish, phone: '13600000008' }, {}, code)).status).toBe(404);
    expect((await ask({ ...wish, phone: '13600000008' }, {}, fresh)).status).toBe(200);
    expect((await setAskPage({ open: false }, coord.db)).ok).toBe(true);
    await coord.syncUntilClean();
    const shut = await fetch(`${server.url}/ask/${fresh}`);
    expect(shut.status).toBe(404);
    expect(await shut.text()).toContain('页面已关闭');
    expect((await ask({ ...wish, phone: '13600000007' }, {}, fresh)).status).toBe(404);
    expect((await rows('request')).length).toBe(n + 1);

    for (const token of ['', 'x', 'A'.repeat(32), '%00', '../../api/team/users']) {
      const res = await fetch(`${server.url}/ask/status/${encodeURIComponent(token)}`);
      expect(res.status).toBe(404);
    }
    await coord.close();
  });

  it('the status lines are the steps reached, in order, with their dates', () => {
    const base = {
      createdAt: '2026-06-01T01:00:00.000Z',
      status: 'accepted' as const,
      acceptedAt: '2026-06-01T02:00:00.000Z',
      declineReason: '',
      declinedAt: null,
    };
    const log = [
      { action: 'claimed' as const, at: '2026-06-02T00:00:00.000Z', deleted: false },
      { action: 'resolved' as const, at: '2026-06-03T00:00:00.000Z', deleted: false },
    ];
    expect(statusLines(base, { status: 'resolved', resolution: '好了' }, log).map((l) => l.step)).toEqual([
      'received',
      'accepted',
      'assigned',
      'inProgress',
      'resolved',
    ]);
  });
});
