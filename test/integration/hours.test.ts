/**
 * Service hours (issue 21, the roster and attendance) against the real server and database:
 * two leads checking the same volunteer in on two offline phones give one attendance; a
 * check-out before the check-in and a change of an attendance's volunteer are refused and
 * change nothing; a volunteer cannot link a roster entry to an account.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendanceId } from '../../src/shared/attendance-id.ts';
import { signInSheet } from '../../src/data/hours.ts';
import { checkIn, checkOut, confirmHours, saveVolunteer } from '../../src/data/hours-save.ts';
import { newId } from '../../src/data/records.ts';
import { saveRepairEvent } from '../../src/data/repair-save.ts';
import { BACKENDS, pushRaw, signedInDevice, startServer, type TestServer } from './harness.ts';

describe.each(BACKENDS)('attendance on $name', (backend) => {
  let server: TestServer;
  let team: string;
  const users: Record<string, { id: string; username: string; password: string }> = {};

  beforeAll(async () => {
    server = await startServer(backend);
    team = await server.addTeam('东湖社区');
    users.a = await server.addUser(team, 'leadA');
    users.b = await server.addUser(team, 'leadB');
    users.coord = await server.addUser(team, 'coordH', 'coordinator');
  });
  afterAll(() => server.stop());

  const rows = async (type: string) =>
    (await server.db.selectFrom('record').select(['row_id', 'fields']).where('type', '=', type).where('team_id', '=', team).execute()).map(
      (r) => ({
        id: r.row_id,
        ...JSON.parse(r.fields),
      }),
    );

  it('two leads checking one volunteer in on two offline phones give one attendance, and both phones agree', async () => {
    const a = await signedInDevice(server, users.a!);
    const b = await signedInDevice(server, users.b!);
    const eventId = newId();
    const volunteerId = newId();
    await saveRepairEvent({ id: eventId, title: '修理日', date: '2026-12-05', site: '院子', status: 'open' }, a.db);
    await saveVolunteer({ id: volunteerId, name: '小林', phone: '13800138000', org: '职业技术学院' }, a.db);
    await a.syncUntilClean();
    await b.syncUntilClean();
    expect(await a.db.failed.count()).toBe(0);
    // now both offline: each checks her in
    expect((await checkIn(eventId, volunteerId, a.db)).ok).toBe(true);
    expect(await checkIn(eventId, volunteerId, b.db)).toMatchObject({ ok: true });
    await a.syncUntilClean();
    await b.syncUntilClean();
    await a.syncUntilClean();
    const stored = await rows('attendance');
    expect(stored).toHaveLength(1);
    // neither phone's check-in was refused: the second creation of the same row is the same row
    expect([await a.db.failed.count(), await b.db.failed.count()]).toEqual([0, 0]);
    expect(stored[0]).toMatchObject({ id: await attendanceId(eventId, volunteerId), volunteerId, eventId, date: '2026-12-05' });
    expect((await signInSheet(eventId, a.db)).checkedIn).toBe(1);
    expect((await signInSheet(eventId, b.db)).checkedIn).toBe(1);
    // one checks her out; the other phone sees it
    expect((await checkOut(eventId, volunteerId, b.db)).ok).toBe(true);
    await b.syncUntilClean();
    await a.syncUntilClean();
    expect((await signInSheet(eventId, a.db)).stillIn).toBe(0);

    // a forged check-out before the check-in, a change of volunteer: refused, nothing changed
    const before = JSON.stringify(await rows('attendance'));
    const id = stored[0]!.id as string;
    expect(await pushRaw(a, 'attendance', id, { checkOutAt: '2020-01-01T00:00:00.000Z' })).toMatch(
      /^validation:.*签退时间不能早于签到时间/,
    );
    expect(await pushRaw(a, 'attendance', id, { volunteerId: newId() })).toMatch(/^immutable:.*签到记录的志愿者和活动不能更改/);
    // a second attendance for the same volunteer and event, under an id of the phone's choosing: refused
    const second = newId();
    expect(
      await pushRaw(a, 'attendance', second, {
        id: second,
        teamId: team,
        volunteerId,
        eventId,
        date: '2026-12-05',
        checkInAt: new Date().toISOString(),
        checkOutAt: null,
      }),
    ).toMatch(/^validation:.*编号与志愿者和活动不符/);
    // the day is the event's, whatever the phone says
    expect(await pushRaw(a, 'attendance', id, { date: '2026-01-01' })).toMatch(/^validation:.*必须是活动的日期/);
    expect(JSON.stringify(await rows('attendance'))).toBe(before);
    // a volunteer cannot decide whose account a roster entry is
    expect(await pushRaw(a, 'volunteer', volunteerId, { userId: users.a!.id })).toMatch(/^forbidden:/);
    await Promise.all([a.close(), b.close()]);
  });

  it("a second lead's late check-in never erases the first lead's check-out: it is refused in words, the recorded times kept", async () => {
    const a = await signedInDevice(server, users.a!);
    const b = await signedInDevice(server, users.b!);
    const eventId = newId();
    const volunteerId = newId();
    await saveRepairEvent({ id: eventId, title: '秋季修理日', date: '2026-12-07', site: '院子', status: 'open' }, a.db);
    await saveVolunteer({ id: volunteerId, name: '老陈' }, a.db);
    await a.syncUntilClean();
    await b.syncUntilClean();
    await checkIn(eventId, volunteerId, a.db);
    await checkOut(eventId, volunteerId, a.db);
    await a.syncUntilClean();
    const kept = (await rows('attendance')).find((r) => r.eventId === eventId)!;
    expect(kept.checkOutAt).toEqual(expect.any(String));
    // b never saw a's rows: it checks him in, later
    await new Promise((r) => setTimeout(r, 5));
    expect((await checkIn(eventId, volunteerId, b.db)).ok).toBe(true);
    await b.syncUntilClean();
    const failed = await b.db.failed.toArray();
    expect(failed.map((f) => f.code)).toEqual(['validation']);
    expect(failed[0]!.message).toContain('签退时间不能早于签到时间');
    expect((await rows('attendance')).find((r) => r.eventId === eventId)).toEqual(kept);
    await Promise.all([a.close(), b.close()]);
  });

  it("hours are confirmed by a coordinator, never claimed: computed by the server, adjusted only with a reason, final, never one's own", async () => {
    const lead = await signedInDevice(server, users.a!);
    const coord = await signedInDevice(server, users.coord!);
    const eventId = newId();
    const v = newId();
    const self = newId();
    await saveRepairEvent({ id: eventId, title: '冬季修理日', date: '2026-12-06', site: '活动室', status: 'open' }, lead.db);
    await saveVolunteer({ id: v, name: '王同学', org: '东湖中学' }, lead.db);
    await saveVolunteer({ id: self, name: '协调员本人' }, lead.db);
    for (const who of [v, self]) {
      await checkIn(eventId, who, lead.db);
      await checkOut(eventId, who, lead.db);
    }
    await lead.syncUntilClean();
    await coord.syncUntilClean();
    const attV = await attendanceId(eventId, v);
    const attSelf = await attendanceId(eventId, self);
    // the coordinator links their own roster entry to their account: then cannot confirm it
    const linked = await pushRaw(coord, 'volunteer', self, { userId: users.coord!.id });
    expect(linked).toBe('acked');
    await coord.syncUntilClean();

    const base = { attendanceId: attV, volunteerId: v, eventId, date: '2026-12-06', reason: '', corrects: null, confirmedBy: '' };
    // a volunteer's phone claims hours: refused
    expect(await pushRaw(lead, 'serviceRecord', newId(), { ...base, computedHours: 0, hours: 0 })).toMatch(/^forbidden:/);
    // the phone's computed hours are not the server's: refused
    expect(await pushRaw(coord, 'serviceRecord', newId(), { ...base, computedHours: 8, hours: 8 })).toMatch(/^derived_mismatch:/);
    // other hours without a reason: refused
    expect(await pushRaw(coord, 'serviceRecord', newId(), { ...base, computedHours: 0, hours: 4 })).toMatch(/^validation:.*说明原因/);
    // one's own: refused
    expect(
      await pushRaw(coord, 'serviceRecord', newId(), { ...base, attendanceId: attSelf, volunteerId: self, computedHours: 0, hours: 0 }),
    ).toMatch(/^forbidden:/);
    expect(await rows('serviceRecord')).toHaveLength(0);

    // through the phone: confirmed, then corrected with a reason
    const first = await confirmHours(attV, {}, coord.db);
    expect(first.ok).toBe(true);
    const fix = await confirmHours(attV, { hours: 2.5, reason: '签到晚点了，实际 9:30 到' }, coord.db);
    expect(fix.ok).toBe(true);
    await coord.syncUntilClean();
    expect(await coord.db.failed.count()).toBe(0);
    const stored = await rows('serviceRecord');
    expect(stored).toHaveLength(2);
    const firstId = first.ok ? first.record.id : '';
    expect(stored.find((r) => r.id === firstId)).toMatchObject({ hours: 0, confirmedBy: expect.any(String) });
    expect(stored.find((r) => r.id !== firstId)).toMatchObject({ hours: 2.5, corrects: firstId, reason: '签到晚点了，实际 9:30 到' });
    // final: a confirmed record is never rewritten or deleted
    expect(await pushRaw(coord, 'serviceRecord', firstId, { hours: 6 })).toMatch(/^immutable:/);
    expect(await pushRaw(coord, 'serviceRecord', firstId, { deleted: true })).toMatch(/^(immutable|validation):/);
    expect((await rows('serviceRecord')).find((r) => r.id === firstId)).toMatchObject({ hours: 0, deleted: false });
    // the lead's phone sees the confirmed hours
    await lead.syncUntilClean();
    const sheet = await signInSheet(eventId, lead.db);
    expect(sheet.rows.find((r) => r.volunteer.id === v)!.confirmed?.hours).toBe(2.5);
    await Promise.all([lead.close(), coord.close()]);
  });
});
