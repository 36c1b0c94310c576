/**
 * The team's grids and urgent department (issue 25, items 4 and 7) against the real server
 * and database: a coordinator's phone sets them offline and they reach every phone of the
 * team and no other; a volunteer's push, another team's row and a list with a grid twice are
 * refused and change nothing; an urgent reading's need on a volunteer's phone goes to the
 * department and reaches the server so; a household's family doctor and its head as first
 * resident arrive as written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READINGS } from '../../src/shared/health-rules.ts';
import { encodeHlc } from '../../src/shared/hlc.ts';
import { SCHEMA_VERSION, type PushResponse } from '../../src/shared/protocol.ts';
import { createUrgentFollowUp, recordConsent, saveHealthCheck } from '../../src/data/health-save.ts';
import { saveHousehold } from '../../src/data/household-save.ts';
import { newId } from '../../src/data/records.ts';
import { teamSettings } from '../../src/data/team-settings.ts';
import { saveTeamSettings } from '../../src/data/team-settings-save.ts';
import { BACKENDS, signedInDevice, startServer, type TestServer } from './harness.ts';

describe.each(BACKENDS)("the team's settings on $name", (backend) => {
  let server: TestServer;
  let teamA: string;
  let teamB: string;
  const users: Record<string, { id: string; username: string; password: string }> = {};

  beforeAll(async () => {
    server = await startServer(backend);
    teamA = await server.addTeam('东湖社区');
    teamB = await server.addTeam('西湖社区');
    users.coord = await server.addUser(teamA, 'coordS', 'coordinator');
    users.vol = await server.addUser(teamA, 'volS');
    users.other = await server.addUser(teamB, 'otherS', 'coordinator');
  });
  afterAll(() => server.stop());

  const stored = async (type: string, rowId: string) =>
    (await server.db
      .selectFrom('record')
      .select(['team_id', 'fields'])
      .where('type', '=', type)
      .where('row_id', '=', rowId)
      .executeTakeFirst()) ?? null;

  it("a coordinator's phone sets them offline; they reach every phone of the team, and no other team's", async () => {
    const coord = await signedInDevice(server, users.coord!);
    expect((await saveTeamSettings({ grids: ['A1', 'A2', 'B1'], urgentDepartment: '东湖社区卫生服务中心' }, coord.db)).ok).toBe(true);
    await coord.syncUntilClean();
    expect(JSON.parse((await stored('teamSettings', teamA))!.fields)).toMatchObject({
      grids: ['A1', 'A2', 'B1'],
      urgentDepartment: '东湖社区卫生服务中心',
    });
    const vol = await signedInDevice(server, users.vol!);
    await vol.syncUntilClean();
    expect(await teamSettings(vol.db, teamA)).toMatchObject({ grids: ['A1', 'A2', 'B1'], urgentDepartment: '东湖社区卫生服务中心' });
    const other = await signedInDevice(server, users.other!);
    await other.syncUntilClean();
    expect(await other.db.teamSettings.count()).toBe(0);
    await Promise.all([coord.close(), vol.close(), other.close()]);
  });

  it("refuses a volunteer's settings, another team's row and a grid listed twice, and keeps what was there", async () => {
    const before = (await stored('teamSettings', teamA))!.fields;
    const push = async (who: { username: string; password: string }, rowId: string, fields: Record<string, unknown>) => {
      const d = await signedInDevice(server, who);
      const node = (await d.db.getMeta('deviceId'))!;
      const res = await d.http.json<PushResponse>('/api/sync/push', {
        body: {
          deviceId: node,
          schemaVersion: SCHEMA_VERSION,
          mutations: [{ id: newId(), type: 'teamSettings', rowId, hlc: encodeHlc({ ms: Date.now() + 1000, counter: 0, node }), fields }],
        },
      });
      await d.close();
      expect(res.status).toBe(200);
      return res.body.rejected.map((r) => r.code).join() || 'acked';
    };
    expect(await push(users.vol!, teamA, { grids: ['Z9'] })).toBe('forbidden');
    expect(await push(users.other!, teamA, { grids: ['Z9'] })).toBe('forbidden');
    expect(await push(users.coord!, teamA, { grids: ['A1', 'A1'] })).toBe('validation');
    expect(await push(users.coord!, teamA, { grids: [''] })).toBe('validation');
    expect((await stored('teamSettings', teamA))!.fields).toBe(before);
  });

  it("sends an urgent reading's need to the team's department, the family doctor and the head as first resident as written", async () => {
    const vol = await signedInDevice(server, users.vol!);
    await vol.syncUntilClean();
    const householdId = newId();
    const residentId = newId();
    await saveHousehold(
      {
        id: householdId,
        gridCode: 'A2',
        building: '5',
        room: '101',
        headName: '周桂兰',
        doctorName: '刘医生',
        doctorPhone: '02712345678',
        headResidentId: residentId,
      },
      vol.db,
    );
    await recordConsent(residentId, 'self', '', vol.db);
    const checkId = newId();
    const none = Object.fromEntries(READINGS.map((k) => [k, null])) as Record<(typeof READINGS)[number], null>;
    expect(
      (await saveHealthCheck({ id: checkId, residentId, ...none, glucoseContext: null, systolic: 200, diastolic: 125 }, vol.db)).ok,
    ).toBe(true);
    const r = await createUrgentFollowUp(checkId, '血压很高', '紧急', [], vol.db);
    expect(r.ok).toBe(true);
    await vol.syncUntilClean();
    const need = JSON.parse((await stored('need', (r as { needId: string }).needId))!.fields);
    expect(need).toMatchObject({ route: 'department', department: '东湖社区卫生服务中心', urgency: 'urgent', category: 'medical' });
    expect(JSON.parse((await stored('household', householdId))!.fields)).toMatchObject({
      doctorName: '刘医生',
      doctorPhone: '02712345678',
    });
    expect(JSON.parse((await stored('resident', residentId))!.fields)).toMatchObject({ householdId, name: '周桂兰', consent: 'given' });
    await vol.close();
  });
});
