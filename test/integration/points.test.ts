/**
 * Points, certificates and the hours export (issue 21) against the real server and database:
 * the points a confirmation earns are the server's, by the rule in force on the day; two
 * coordinators' phones spending the same points offline — one redemption is refused at sync
 * with the reason, shown in the phone's refused list and kept for the dashboard's follow-up;
 * a certificate's total is the server's; the public verification page shows only what it
 * may; the hours export has one row per volunteer per activity with a masked phone.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendanceId } from '../../src/shared/attendance-id.ts';
import { certificateSerial } from '../../src/shared/hours.ts';
import type { Dashboard } from '../../src/shared/dashboard.ts';
import { myService, pointsLedger } from '../../src/data/hours.ts';
import {
  adjustHours,
  checkIn,
  checkOut,
  confirmHours,
  issueCertificates,
  linkVolunteer,
  recordWorkTime,
  redeemPoints,
  savePointsRule,
  saveVolunteer,
} from '../../src/data/hours-save.ts';
import { saveHousehold } from '../../src/data/household-save.ts';
import { needToRepairTicket } from '../../src/data/need-save.ts';
import { recordVisit } from '../../src/data/visit-save.ts';
import { newId } from '../../src/data/records.ts';
import { saveRepairEvent } from '../../src/data/repair-save.ts';
import { eventSummary } from '../../src/data/event-summary.ts';
import type { RepairSummary } from '../../src/shared/repair-summary.ts';
import { BACKENDS, pushRaw, signedInDevice, startServer, type Device, type TestServer } from './harness.ts';

describe.each(BACKENDS)('points and certificates on $name', (backend) => {
  let server: TestServer;
  let team: string;
  const users: Record<string, { id: string; username: string; password: string }> = {};

  beforeAll(async () => {
    server = await startServer(backend);
    team = await server.addTeam('东湖社区志愿服务队');
    users.lead = await server.addUser(team, 'leadP');
    users.c1 = await server.addUser(team, 'coordP1', 'coordinator');
    users.c2 = await server.addUser(team, 'coordP2', 'coordinator');
  });
  afterAll(() => server.stop());

  const rows = async (type: string) =>
    (await server.db.selectFrom('record').select(['row_id', 'fields']).where('type', '=', type).where('team_id', '=', team).execute()).map(
      (r) => ({ id: r.row_id, ...JSON.parse(r.fields) }) as Record<string, unknown>,
    );

  /** An activity of `hours` for each volunteer: checked in and out by the lead, the times set `hours` apart. */
  async function activity(lead: Device, date: string, volunteers: string[], hours: number) {
    const eventId = newId();
    await saveRepairEvent({ id: eventId, title: `修理日 ${date}`, date, site: '东湖社区活动室', status: 'open' }, lead.db);
    for (const v of volunteers) {
      await checkIn(eventId, v, lead.db);
      await checkOut(eventId, v, lead.db);
    }
    await lead.syncUntilClean();
    const out = new Date(Date.now() - 60_000).toISOString();
    for (const v of volunteers) {
      const id = await attendanceId(eventId, v);
      const start = new Date(Date.parse(out) - hours * 3_600_000).toISOString();
      expect(await pushRaw(lead, 'attendance', id, { checkInAt: start, checkOutAt: out })).toBe('acked');
    }
    await lead.syncUntilClean();
    return eventId;
  }

  it('points are the server’s by the rule in force on the day; the lead’s adjustment is confirmed with its reason', async () => {
    const lead = await signedInDevice(server, users.lead!);
    const c1 = await signedInDevice(server, users.c1!);
    const v = newId();
    await saveVolunteer({ id: v, name: '李梅', phone: '13912345678', org: '东湖中学' }, lead.db);
    await lead.syncUntilClean();
    // a volunteer's phone cannot set the rule
    const forgedRule = newId();
    expect(
      await pushRaw(lead, 'pointsRule', forgedRule, {
        id: forgedRule,
        teamId: team,
        pointsPerHour: 100,
        effectiveFrom: '2026-01-01',
        note: '',
      }),
    ).toMatch(/^forbidden:/);
    const ruleId = newId();
    expect((await savePointsRule({ id: ruleId, pointsPerHour: 10, effectiveFrom: '2026-01-01' }, c1.db)).ok).toBe(true);
    await c1.syncUntilClean();
    const early = await activity(lead, '2025-12-20', [v], 2);
    const later = await activity(lead, '2026-03-01', [v], 3);
    // the lead adjusts the second: 30 minutes away from the site — with a reason, else refused
    expect(await pushRaw(lead, 'attendance', await attendanceId(later, v), { adjustedHours: 2 })).toMatch(/^validation:.*原因/);
    expect((await adjustHours(later, v, 2.5, '中途离开半小时', lead.db)).ok).toBe(true);
    await lead.syncUntilClean();
    await c1.syncUntilClean();
    expect((await confirmHours(await attendanceId(early, v), {}, c1.db)).ok).toBe(true);
    expect((await confirmHours(await attendanceId(later, v), {}, c1.db)).ok).toBe(true);
    await c1.syncUntilClean();
    expect(await c1.db.failed.count()).toBe(0);
    const records = await rows('serviceRecord');
    // before the rule: no points; after: 10 per hour of the adjusted 2.5 h
    expect(records.find((r) => r.eventId === early)).toMatchObject({ hours: 2, points: 0, pointsRuleId: null });
    expect(records.find((r) => r.eventId === later)).toMatchObject({
      hours: 2.5,
      computedHours: 3,
      reason: '中途离开半小时',
      points: 25,
      pointsRuleId: ruleId,
    });
    // a hostile phone's own points figure is replaced by the server's
    const forged = newId();
    const third = await activity(lead, '2026-03-08', [v], 1);
    await c1.syncUntilClean();
    const att = await attendanceId(third, v);
    expect(
      await pushRaw(c1, 'serviceRecord', forged, {
        id: forged,
        teamId: team,
        attendanceId: att,
        volunteerId: v,
        eventId: third,
        date: '2026-03-08',
        computedHours: 1,
        hours: 1,
        reason: '',
        corrects: null,
        confirmedBy: '',
        points: 9999,
        pointsRuleId: null,
      }),
    ).toBe('acked');
    expect((await rows('serviceRecord')).find((r) => r.id === forged)).toMatchObject({ points: 10, pointsRuleId: ruleId });
    await c1.syncUntilClean();
    expect((await pointsLedger(v, c1.db)).balance).toBe(35);
    await Promise.all([lead.close(), c1.close()]);
  });

  it('two coordinators redeeming the same points offline: one is refused at sync with the reason, the balance never below zero', async () => {
    const lead = await signedInDevice(server, users.lead!);
    const c1 = await signedInDevice(server, users.c1!);
    const c2 = await signedInDevice(server, users.c2!);
    const v = newId();
    await saveVolunteer({ id: v, name: '赵大爷', phone: '13700001111' }, lead.db);
    await lead.syncUntilClean();
    const ev = await activity(lead, '2026-04-01', [v], 3);
    await c1.syncUntilClean();
    expect((await confirmHours(await attendanceId(ev, v), {}, c1.db)).ok).toBe(true);
    await c1.syncUntilClean();
    await c2.syncUntilClean();
    expect((await pointsLedger(v, c1.db)).balance).toBe(30);
    expect((await pointsLedger(v, c2.db)).balance).toBe(30);
    // a phone will not overdraw what it knows
    expect(await redeemPoints({ id: newId(), volunteerId: v, points: 31, item: '大米' }, c1.db)).toMatchObject({
      ok: false,
      errors: { points: 'points.overdraft' },
    });
    // both offline: each spends 20 of the 30
    const r1 = newId();
    const r2 = newId();
    expect((await redeemPoints({ id: r1, volunteerId: v, points: 20, item: '食用油一桶' }, c1.db)).ok).toBe(true);
    expect((await redeemPoints({ id: r2, volunteerId: v, points: 20, item: '大米一袋' }, c2.db)).ok).toBe(true);
    await c1.syncUntilClean();
    await c2.syncUntilClean();
    const stored = await rows('redemption');
    expect(stored.filter((r) => r.volunteerId === v).map((r) => r.id)).toEqual([r1]);
    // the refusal is in c2's refused list, in words, and kept for the dashboard
    const failed = await c2.db.failed.toArray();
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ rowId: r2, code: 'validation' });
    expect(failed[0]!.message).toContain('积分不足');
    // who recorded it is the session's, whatever the phone says
    expect(stored.find((r) => r.id === r1)?.byName).toBe('coordP1');
    const audit = await server.db
      .selectFrom('audit')
      .select(['detail'])
      .where('action', '=', 'points.overdraft')
      .where('team_id', '=', team)
      .execute();
    expect(audit.map((a) => JSON.parse(a.detail))).toEqual([
      expect.objectContaining({ rowId: r2, volunteerId: v, points: 20, item: '大米一袋', balance: 10 }),
    ]);
    const today = new Date().toISOString().slice(0, 10);
    const dashboard = await c1.http.json<Dashboard>(`/api/dashboard?from=2026-01-01&to=${today > '2026-12-31' ? today : '2026-12-31'}`);
    expect(dashboard.status).toBe(200);
    expect(dashboard.body.points.overdrafts).toEqual([
      expect.objectContaining({ item: '大米一袋', points: 20, balance: 10, name: '赵大爷' }),
    ]);
    await c2.syncUntilClean();
    const after = await pointsLedger(v, c2.db);
    expect(after.balance).toBe(10);
    expect(after.entries.find((e) => e.record.id === r2)).toMatchObject({ points: -20, refused: true });
    // a volunteer cannot redeem at all
    expect(await pushRaw(lead, 'redemption', newId(), { volunteerId: v, points: 1, item: 'x', at: new Date().toISOString() })).toMatch(
      /^forbidden:/,
    );
    await Promise.all([lead.close(), c1.close(), c2.close()]);
  });

  it('a certificate carries the server’s total; its public page shows only valid, organisation, masked name, period and hours', async () => {
    const lead = await signedInDevice(server, users.lead!);
    const c1 = await signedInDevice(server, users.c1!);
    const a = newId();
    const b = newId();
    await saveVolunteer({ id: a, name: '王小明', phone: '13812345678', org: '职业技术学院' }, lead.db);
    await saveVolunteer({ id: b, name: '欧阳春', phone: '13698765432', org: '职业技术学院' }, lead.db);
    await lead.syncUntilClean();
    const ev = await activity(lead, '2026-05-10', [a, b], 4);
    await c1.syncUntilClean();
    for (const v of [a, b]) expect((await confirmHours(await attendanceId(ev, v), {}, c1.db)).ok).toBe(true);
    // the event's summary counts its volunteers and hours from the sign-in sheet, on the server as on the phone
    const summary = await lead.http.json<{ summary: RepairSummary }>(`/api/repair/events/${ev}/summary`);
    expect(summary.body.summary).toMatchObject({ volunteers: 2, volunteerHours: 8, volunteersFrom: 'attendance' });
    await c1.syncUntilClean();
    expect(await eventSummary(ev, c1.db)).toMatchObject({ volunteers: 2, volunteerHours: 8, volunteersFrom: 'attendance' });
    // a group's certificates in one go
    const issued = await issueCertificates([a, b], { from: '2026-05-01', to: '2026-05-31' }, c1.db);
    expect(issued.ok).toBe(true);
    const certs = issued.ok ? issued.record : [];
    expect(certs.map((c) => c.totalHours)).toEqual([4, 4]);
    await c1.syncUntilClean();
    expect(await c1.db.failed.count()).toBe(0);

    const page = await lead.http.fetch(`/verify/${certs[0]!.serial}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('证明有效');
    expect(html).toContain('东湖社区志愿服务队');
    expect(html).toContain('王*明');
    expect(html).toContain('2026-05-01 — 2026-05-31');
    expect(html).toContain('4 小时');
    expect(html).not.toContain('王小明');
    expect(html).not.toMatch(/138|5678|职业技术学院/);
    const en = await (await fetch(`${server.url}/verify/${certs[1]!.serial}`, { headers: { 'accept-language': 'en' } })).text();
    expect(en).toContain('This certificate is valid');
    expect(en).toContain('欧*春');
    // an unknown serial, or rubbish: not valid, no 5xx
    for (const bad of ['ZM2026AAAAAAAAAA', 'nonsense', '%00', "x'or'1"]) {
      const res = await fetch(`${server.url}/verify/${encodeURIComponent(bad)}`);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('查无此证明');
    }

    // a forged total is replaced by the server's; a serial not its id's is refused
    const forged = newId();
    const year = new Date().toISOString().slice(0, 4);
    const base = {
      id: forged,
      teamId: team,
      volunteerId: a,
      from: '2026-01-01',
      to: '2026-12-31',
      totalHours: 900,
      activities: 90,
      byName: '',
    };
    expect(await pushRaw(c1, 'certificate', forged, { ...base, serial: 'ZM2026ABCDEFGHJK' })).toMatch(/^validation:.*编号/);
    expect(await rows('certificate')).toHaveLength(2);
    // the same row with its own serial, whole: judged on its own — its totals the server's
    expect(await pushRaw(c1, 'certificate', forged, { ...base, serial: certificateSerial(forged, year) })).toBe('acked');
    expect((await rows('certificate')).find((r) => r.id === forged)).toMatchObject({ totalHours: 4, activities: 1 });
    // a volunteer may issue only their own
    expect((await issueCertificates([a], { from: '2026-05-01', to: '2026-05-31' }, lead.db)).ok).toBe(false);
    const third = newId();
    expect(await pushRaw(lead, 'certificate', third, { ...base, id: third, serial: certificateSerial(third, year) })).toMatch(
      /^forbidden:/,
    );

    // the hours export: one row per volunteer per activity, confirmed only, phone masked
    const csv = await c1.http.fetch('/api/export/hours.csv?from=2026-05-01&to=2026-05-31');
    expect(csv.status).toBe(200);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    const table = parse(text) as string[][];
    expect(table[0]).toEqual([
      '姓名',
      '手机号（隐去中间）',
      '学校或单位',
      '日期',
      '活动',
      '地点',
      '签到',
      '签退',
      '时长（小时）',
      '确认人',
      '组织',
    ]);
    expect(table.slice(1).map((r) => [r[0], r[1], r[3], r[5], r[8], r[10]])).toEqual([
      ['欧阳春', '136****5432', '2026-05-10', '东湖社区活动室', '4', '东湖社区志愿服务队'],
      ['王小明', '138****5678', '2026-05-10', '东湖社区活动室', '4', '东湖社区志愿服务队'],
    ]);
    expect(text).not.toContain('13812345678');
    expect((await lead.http.fetch('/api/export/hours.csv?from=2026-05-01&to=2026-05-31')).status).toBe(403);
    await Promise.all([lead.close(), c1.close()]);
  });

  it('a visiting round counts on its sheet; a visit and a home repair done alone count the time of the volunteer who did them — their own only', async () => {
    const grid = await signedInDevice(server, users.lead!);
    const c1 = await signedInDevice(server, users.c1!);
    const me = newId();
    const other = newId();
    await saveVolunteer({ id: me, name: '周网格', phone: '13511112222' }, c1.db);
    await saveVolunteer({ id: other, name: '别人', phone: '13533334444' }, c1.db);
    expect((await linkVolunteer(me, users.lead!.id, c1.db)).ok).toBe(true);
    // a visiting round is an activity like a repair day: its sign-in sheet counts
    const round = newId();
    expect(
      (await saveRepairEvent({ id: round, kind: 'visits', title: '周三走访', date: '2026-06-03', site: 'A 区', status: 'open' }, c1.db)).ok,
    ).toBe(true);
    await c1.syncUntilClean();
    await grid.syncUntilClean();
    expect((await checkIn(round, me, grid.db)).ok).toBe(true);
    // a visit done alone: 45 minutes, recorded by the one who made it
    const h = {
      id: newId(),
      gridCode: 'A3',
      building: '3',
      unit: '2',
      room: '702',
      headName: '孙奶奶',
      phone: '13800009999',
      tags: ['alone' as const],
      visitIntervalDays: 14,
    };
    expect((await saveHousehold(h, grid.db)).ok).toBe(true);
    const visitId = newId();
    const n = {
      id: newId(),
      category: 'repair' as const,
      description: '台灯不亮',
      urgency: 'normal' as const,
      route: 'volunteers' as const,
      department: '',
    };
    expect((await recordVisit({ id: visitId, householdId: h.id, kind: 'routine', outcome: 'met', needs: [n] }, grid.db)).ok).toBe(true);
    expect((await recordWorkTime(visitId, 45, grid.db)).ok).toBe(true);
    expect(await recordWorkTime(visitId, 0, grid.db)).toMatchObject({ ok: false, errors: { minutes: 'hours.workMinutes' } });
    const made = await needToRepairTicket(n.id, grid.db);
    const ticketId = made.ok ? made.ticketId : '';
    expect((await recordWorkTime(ticketId, 90, grid.db)).ok).toBe(true);
    await grid.syncUntilClean();
    expect(await grid.db.failed.count()).toBe(0);
    const works = (await rows('attendance')).filter((a) => a.volunteerId === me);
    expect(works.map((a) => a.eventId).sort()).toEqual([round, visitId, ticketId].sort());
    const onVisit = works.find((a) => a.eventId === visitId)!;
    expect(Date.parse(String(onVisit.checkOutAt)) - Date.parse(String(onVisit.checkInAt))).toBe(45 * 60_000);
    // nobody records another's time, nor their own for a day the work was not done
    const forged = await attendanceId(visitId, other);
    expect(
      await pushRaw(grid, 'attendance', forged, {
        id: forged,
        teamId: team,
        volunteerId: other,
        eventId: visitId,
        date: onVisit.date,
        checkInAt: onVisit.checkInAt,
        checkOutAt: onVisit.checkOutAt,
      }),
    ).toMatch(/^forbidden:/);
    expect(await pushRaw(grid, 'attendance', String(onVisit.id), { date: '2020-01-01' })).toMatch(/^validation:/);
    // an account without a roster entry is told so
    const c1Work = await recordWorkTime(visitId, 30, c1.db);
    expect(c1Work).toMatchObject({ ok: false, errors: { minutes: 'hours.noRosterEntry' } });

    // the coordinator confirms them; the volunteer's page and the export name the work and the address
    await c1.syncUntilClean();
    for (const w of works.filter((a) => a.eventId !== round)) expect((await confirmHours(String(w.id), {}, c1.db)).ok).toBe(true);
    await c1.syncUntilClean();
    expect(await c1.db.failed.count()).toBe(0);
    const confirmed = (await rows('serviceRecord')).filter((r) => r.volunteerId === me);
    expect(confirmed.map((r) => r.hours).sort()).toEqual([0.5, 1.5]);
    await grid.syncUntilClean();
    const mine = await myService('2026', grid.db);
    expect(mine.items.map((it) => it.activity.work).sort()).toEqual(['homeRepair', 'visit', null].sort());
    expect(mine.items.find((it) => it.activity.work === 'visit')!.activity.household?.headName).toBe('孙奶奶');
    const day = String(onVisit.date);
    const csv = new TextDecoder().decode(await (await c1.http.fetch(`/api/export/hours.csv?from=${day}&to=${day}`)).arrayBuffer());
    const table = parse(csv) as string[][];
    const byActivity = new Map(
      table
        .slice(1)
        .filter((r) => r[0] === '周网格')
        .map((r) => [r[4], r]),
    );
    expect(byActivity.get('入户走访')?.[5]).toContain('702');
    expect([...byActivity.keys()].some((k) => k?.startsWith('上门维修'))).toBe(true);
    await Promise.all([grid.close(), c1.close()]);
  });
});
