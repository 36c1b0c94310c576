/**
 * Service hours (issue 21, the roster and attendance) against the real server and database:
 * two leads checking the same volunteer in on two offline phones give one attendance; a
 * check-out before the check-in and a change of an attendance's volunteer are refused and
 * change nothing; a volunteer cannot link a roster entry to an account.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHlc } from '../../src/shared/hlc.ts';
import { SCHEMA_VERSION, type PushResponse } from '../../src/shared/protocol.ts';
import { attendanceId } from '../../src/shared/attendance-id.ts';
import { signInSheet } from '../../src/data/hours.ts';
import { checkIn, checkOut, saveVolunteer } from '../../src/data/hours-save.ts';
import { newId } from '../../src/data/records.ts';
import { saveRepairEvent } from '../../src/data/repair-save.ts';
import { BACKENDS, signedInDevice, startServer, type Device, type TestServer } from './harness.ts';

describe.each(BACKENDS)('attendance on $name', (backend) => {
  let server: TestServer;
  let team: string;
  const users: Record<string, { id: string; username: string; password: string }> = {};

  beforeAll(async () => {
    server = await startServer(backend);
    team = await server.addTeam('东湖社区');
    users.a = await server.addUser(team, 'leadA');
    users.b = await server.addUser(team, 'leadB');
  });
  afterAll(() => server.stop());

  const rows = async (type: string) =>
    (await server.db.selectFrom('record').select(['row_id', 'fields']).where('type', '=', type).where('team_id', '=', team).execute()).map(
      (r) => ({
        id: r.row_id,
        ...JSON.parse(r.fields),
      }),
    );

  async function raw(d: Device, type: string, rowId: string, fields: Record<string, unknown>) {
    const node = (await d.db.getMeta('deviceId'))!;
    const res = await d.http.json<PushResponse>('/api/sync/push', {
      body: {
        deviceId: node,
        schemaVersion: SCHEMA_VERSION,
        mutations: [{ id: newId(), type, rowId, hlc: encodeHlc({ ms: Date.now() + 5000, counter: 0, node }), fields }],
      },
    });
    return res.body.rejected.map((r) => `${r.code}:${r.message}`).join() || 'acked';
  }

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
    expect(await raw(a, 'attendance', id, { checkOutAt: '2020-01-01T00:00:00.000Z' })).toMatch(/^validation:.*签退时间不能早于签到时间/);
    expect(await raw(a, 'attendance', id, { volunteerId: newId() })).toMatch(/^immutable:.*签到记录的志愿者和活动不能更改/);
    expect(JSON.stringify(await rows('attendance'))).toBe(before);
    // a volunteer cannot decide whose account a roster entry is
    expect(await raw(a, 'volunteer', volunteerId, { userId: users.a!.id })).toMatch(/^forbidden:/);
    await Promise.all([a.close(), b.close()]);
  });
});
