/**
 * Door to door (issue 4) against the real server and database, with the real sync client:
 * team scoping on pull and push, visits that never overwrite each other, a need's history
 * surviving concurrent steps on two phones, the due list after a pull, and the coordinator's
 * spreadsheets.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHlc } from '../../src/shared/hlc.ts';
import { SCHEMA_VERSION } from '../../src/shared/protocol.ts';
import { findHouseholds, householdDetail, householdsAtAddress } from '../../src/data/household.ts';
import { mergeHouseholds, saveHousehold, saveResident, type HouseholdDraft } from '../../src/data/household-save.ts';
import type { NeedInput } from '../../src/data/need-save.ts';
import { dueList } from '../../src/data/visit.ts';
import { recordVisit } from '../../src/data/visit-save.ts';
import { needDetail } from '../../src/data/need.ts';
import { evaluateNeed, needToRepairTicket, saveTicketFollowingNeed, takeNeedStep } from '../../src/data/need-save.ts';
import { saveRepairEvent } from '../../src/data/repair-save.ts';
import { newId } from '../../src/data/records.ts';
import { localDay } from '../../src/shared/visit.ts';
import { BACKENDS, signedInDevice, startServer, type TestServer } from './harness.ts';

function householdDraft(over: Partial<HouseholdDraft> = {}): HouseholdDraft {
  return {
    id: newId(),
    gridCode: 'A3',
    building: '3',
    unit: '2',
    room: String(100 + Math.floor(Math.random() * 800)),
    headName: '王秀英',
    phone: '13812345678',
    tags: ['alone'],
    visitIntervalDays: 14,
    ...over,
  };
}

function need(over: Partial<NeedInput> = {}): NeedInput {
  return {
    id: newId(),
    category: 'medical',
    urgency: 'normal',
    description: '需要陪同去医院复查',
    route: 'volunteers',
    department: '',
    ...over,
  };
}

type Rows = { type: string; fields: Record<string, unknown>; team_id: string; row_id: string }[];
async function serverRows(server: TestServer, type: string): Promise<Rows> {
  return (await server.db.selectFrom('record').selectAll().where('type', '=', type).execute()).map((r) => ({
    ...r,
    fields: JSON.parse(r.fields) as Record<string, unknown>,
  }));
}

describe.each(BACKENDS)('door to door on $name', (backend) => {
  let server: TestServer;
  let teamA: string;
  let teamB: string;
  const users: Record<string, { username: string; password: string }> = {};

  beforeAll(async () => {
    server = await startServer(backend);
    teamA = await server.addTeam('东湖社区');
    teamB = await server.addTeam('西湖社区');
    users.grid1 = await server.addUser(teamA, 'grid1');
    users.grid2 = await server.addUser(teamA, 'grid2');
    users.coord = await server.addUser(teamA, 'coordA', 'coordinator');
    users.other = await server.addUser(teamB, 'otherB');
  });
  afterAll(async () => {
    await server.stop();
  });

  const device = (user: keyof typeof users) => signedInDevice(server, users[user]!);

  it('a household with residents, a visit and its needs reach the team — and only the team', async () => {
    const d1 = await device('grid1');
    const h = householdDraft({ headName: '张建国', room: '1101' });
    expect((await saveHousehold(h, d1.db)).ok).toBe(true);
    expect((await saveResident({ id: newId(), householdId: h.id, name: '张建国', sex: 'male', birthYear: 1941 }, d1.db)).ok).toBe(true);
    expect((await saveResident({ id: newId(), householdId: h.id, name: '李桂兰', sex: 'female', birthYear: 1944 }, d1.db)).ok).toBe(true);
    const visit = await recordVisit(
      {
        id: newId(),
        householdId: h.id,
        kind: 'routine',
        outcome: 'met',
        gas: 'problem',
        notes: '燃气管老化',
        needs: [need(), need({ category: 'policy', route: 'department', department: '街道民政科', description: '申请高龄补贴' })],
      },
      d1.db,
    );
    expect(visit.ok).toBe(true);
    await d1.syncUntilClean();

    const d2 = await device('grid2');
    await d2.syncUntilClean();
    const detail = await householdDetail(h.id, d2.db);
    expect(detail?.residents.map((r) => r.resident.name).sort()).toEqual(['张建国', '李桂兰']);
    expect(detail?.visits).toHaveLength(1);
    expect(detail?.needs.map((n) => n.need.route).sort()).toEqual(['department', 'volunteers']);
    expect(detail?.visits[0]?.sync).toBe('synced');
    // found by a resident's name and by the phone's last digits, through the indexes
    expect((await findHouseholds({ text: '桂兰', tags: [], grid: '', limit: 10 }, d2.db)).items.map((i) => i.household.id)).toContain(h.id);
    expect(
      (await findHouseholds({ text: '5678', tags: ['alone'], grid: 'A3', limit: 10 }, d2.db)).items.map((i) => i.household.id),
    ).toContain(h.id);

    const outsider = await device('other');
    await outsider.syncUntilClean();
    for (const table of [outsider.db.household, outsider.db.resident, outsider.db.visit, outsider.db.need, outsider.db.needLog])
      expect(await table.count()).toBe(0);
    const pulled = await outsider.http.json<{ changes: unknown[] }>('/api/sync/pull?cursor=0');
    expect(pulled.body.changes).toEqual([]);
  });

  it('refuses, per mutation with a forbidden reason, a push into another team’s household; the rest of the batch applies', async () => {
    const d1 = await device('grid1');
    const h = householdDraft();
    await saveHousehold(h, d1.db);
    await d1.syncUntilClean();

    const outsider = await device('other');
    const node = (await outsider.db.getMeta('deviceId'))!;
    const hlc = encodeHlc({ ms: Date.now(), counter: 0, node });
    const now = new Date().toISOString();
    const own = householdDraft();
    const mutations = [
      { id: newId(), type: 'household', rowId: h.id, hlc, fields: { headName: '被改了' } },
      { id: newId(), type: 'visit', rowId: newId(), hlc, fields: { householdId: h.id, at: now, kind: 'routine', outcome: 'met' } },
      { id: newId(), type: 'resident', rowId: newId(), hlc, fields: { householdId: h.id, name: '混进来的人' } },
      { id: newId(), type: 'household', rowId: own.id, hlc, fields: { gridCode: 'B1', building: '1', room: '101', headName: '本队住户' } },
    ];
    const res = await outsider.http.json<{ acked: string[]; rejected: { id: string; code: string; message: string }[] }>('/api/sync/push', {
      body: { deviceId: node, schemaVersion: SCHEMA_VERSION, mutations },
    });
    expect(res.status).toBe(200);
    expect(res.body.rejected.map((r) => [r.id, r.code])).toEqual(mutations.slice(0, 3).map((m) => [m.id, 'forbidden']));
    expect(res.body.rejected[0]?.message).toBe('没有权限进行这个操作。');
    expect(res.body.acked).toEqual([mutations[3]!.id]);
    const households = await serverRows(server, 'household');
    expect(households.find((r) => r.row_id === h.id)?.fields.headName).toBe('王秀英');
    expect(households.find((r) => r.row_id === own.id)?.team_id).toBe(teamB);
    expect((await serverRows(server, 'visit')).filter((v) => v.fields.householdId === h.id)).toHaveLength(0);
  });

  it('two workers visiting the same household offline make two visits; neither overwrites the other', async () => {
    const d1 = await device('grid1');
    const h = householdDraft();
    await saveHousehold(h, d1.db);
    await d1.syncUntilClean();
    const d2 = await device('grid2');
    await d2.syncUntilClean();
    await recordVisit({ id: newId(), householdId: h.id, kind: 'routine', outcome: 'notHome', needs: [] }, d1.db);
    await recordVisit({ id: newId(), householdId: h.id, kind: 'safetyCheck', outcome: 'met', smokeAlarm: 'ok', needs: [] }, d2.db);
    await d1.syncUntilClean();
    await d2.syncUntilClean();
    await d1.syncUntilClean();
    for (const d of [d1, d2]) {
      const detail = await householdDetail(h.id, d.db);
      expect(detail?.visits.map((v) => v.visit.outcome).sort()).toEqual(['met', 'notHome']);
      // only the visit where someone was met resets the clock, on both phones
      expect(detail?.lastMetAt).not.toBeNull();
      expect(detail?.due.isDue).toBe(false);
    }
    expect((await serverRows(server, 'visit')).filter((v) => v.fields.householdId === h.id)).toHaveLength(2);
  });

  it('a need stepped on two phones offline keeps both history entries, and the later step wins the status on every replica', async () => {
    const d1 = await device('grid1');
    const h = householdDraft();
    await saveHousehold(h, d1.db);
    const n = need();
    await recordVisit({ id: newId(), householdId: h.id, kind: 'routine', outcome: 'met', needs: [n] }, d1.db);
    await d1.syncUntilClean();
    const d2 = await device('grid2');
    await d2.syncUntilClean();

    // both offline: one assigns, then (later) the other closes it as unresolvable
    expect(await takeNeedStep(n.id, { step: 'assigned', assignee: '刘医生' }, d1.db)).toMatchObject({ ok: true });
    await new Promise((r) => setTimeout(r, 5));
    expect(await takeNeedStep(n.id, { step: 'closed', note: '家属已自行安排' }, d2.db)).toMatchObject({ ok: true });
    // an illegal jump is refused on the phone, with a reason, and writes nothing
    const before = await d1.db.outbox.count();
    expect(await takeNeedStep(n.id, { step: 'resolved', note: 'x' }, d1.db)).toEqual({ ok: false, error: 'v.needStep' });
    expect(await d1.db.outbox.count()).toBe(before);

    await d1.syncUntilClean();
    await d2.syncUntilClean();
    await d1.syncUntilClean();
    const serverNeed = (await serverRows(server, 'need')).find((r) => r.row_id === n.id)!;
    expect(serverNeed.fields.status).toBe('closed');
    const logs = (await serverRows(server, 'needLog'))
      .filter((l) => l.fields.needId === n.id)
      .map((l) => l.fields.action)
      .sort();
    expect(logs).toEqual(['assigned', 'closed', 'created']);
    for (const d of [d1, d2]) {
      const detail = await needDetail(n.id, d.db);
      expect(detail?.need.status).toBe('closed');
      // the assignee field, written only by the assigning phone, survives the merge too
      expect(detail?.need.assignee).toBe('刘医生');
      expect(detail?.history.map((e) => e.action)).toEqual(['created', 'assigned', 'closed']);
      expect(detail?.history.map((e) => e.byName)).toEqual(['grid1', 'grid1', 'grid2']);
    }
  });

  it('a repair need becomes a home repair ticket, linked both ways, numbered with the phone’s letter', async () => {
    const d1 = await device('grid1');
    const h = householdDraft();
    await saveHousehold(h, d1.db);
    const n = need({ category: 'repair', description: '电饭煲不加热' });
    await recordVisit({ id: newId(), householdId: h.id, kind: 'routine', outcome: 'met', needs: [n] }, d1.db);
    const made = await needToRepairTicket(n.id, d1.db);
    expect(made.ok).toBe(true);
    const again = await needToRepairTicket(n.id, d1.db);
    expect(again).toEqual(made);
    await d1.syncUntilClean();
    const ticketId = made.ok ? made.ticketId : '';
    const ticket = (await serverRows(server, 'repairTicket')).find((t) => t.row_id === ticketId)!;
    expect(ticket.fields).toMatchObject({
      mode: 'home',
      eventId: null,
      householdId: h.id,
      needId: n.id,
      problem: '电饭煲不加热',
      residentName: '王秀英',
    });
    expect(ticket.fields.number).toMatch(/^H-[A-Z]+-\d{3}$/);
    expect((await serverRows(server, 'need')).find((r) => r.row_id === n.id)?.fields.repairTicketId).toBe(ticketId);
    expect((await needDetail(n.id, d1.db))?.ticket?.number).toBe(ticket.fields.number);
  });

  it("each resident's own phone, dialect and relation, and the translator's phone, reach the team; a phone that is not one is refused", async () => {
    const [d1, d2] = [await device('grid1'), await device('grid2')];
    const h = { ...householdDraft(), translator: '老乡 张姐', translatorPhone: '139 0000 1111' };
    expect((await saveHousehold(h, d1.db)).ok).toBe(true);
    const r = { id: newId(), householdId: h.id, name: '李爷爷', phone: '13700001234', dialect: '潮汕话', relation: '老伴' };
    expect((await saveResident(r, d1.db)).ok).toBe(true);
    expect(await saveResident({ id: newId(), householdId: h.id, name: '李奶奶', phone: '打电话给我' }, d1.db)).toMatchObject({
      ok: false,
      errors: { phone: 'v.phone' },
    });
    await d1.syncUntilClean();
    const stored = (await serverRows(server, 'resident')).find((x) => x.row_id === r.id)!;
    expect(stored.fields).toMatchObject({ phone: '13700001234', dialect: '潮汕话', relation: '老伴' });
    expect((await serverRows(server, 'household')).find((x) => x.row_id === h.id)!.fields.translatorPhone).toBe('139 0000 1111');
    await d2.syncUntilClean();
    const detail = await householdDetail(h.id, d2.db);
    expect(detail?.residents.find((x) => x.resident.id === r.id)?.resident).toMatchObject({
      phone: '13700001234',
      dialect: '潮汕话',
      relation: '老伴',
    });
  });

  it('one dwelling registered twice: the coordinator merges the twin, every visit, need and resident is kept, and a phone offline during the merge loses nothing', async () => {
    const [d1, d2, c] = [await device('grid1'), await device('grid2'), await device('coord')];
    const room = String(2000 + Math.floor(Math.random() * 900));
    const a = householdDraft({ compound: '东湖花园', building: '3', unit: '2', room, headName: '刘奶奶', gridCode: 'DH-03' });
    const b = householdDraft({
      compound: '东湖花园小区',
      building: '3栋',
      unit: '二单元',
      room: `${room}室`,
      headName: '刘桂兰',
      phone: '',
      emergencyName: '儿子',
      emergencyPhone: '13911112222',
      tags: ['lowIncome'],
    });
    expect((await saveHousehold(a, d1.db)).ok).toBe(true);
    const visitA = newId();
    await recordVisit(
      { id: visitA, householdId: a.id, kind: 'routine', outcome: 'met', needs: [need({ description: '想办老年卡' })] },
      d1.db,
    );
    await d1.syncUntilClean();
    await d2.syncUntilClean();
    // the second phone registers the same dwelling typed another way, anyway
    expect(
      (await householdsAtAddress({ compound: b.compound!, building: b.building!, unit: b.unit!, room: b.room! }, b.id, d2.db)).map(
        (h) => h.id,
      ),
    ).toEqual([a.id]);
    expect((await saveHousehold(b, d2.db)).ok).toBe(true);
    expect((await saveResident({ id: newId(), householdId: b.id, name: '刘桂兰', birthYear: 1944 }, d2.db)).ok).toBe(true);
    await d2.syncUntilClean();
    await c.syncUntilClean();
    // a volunteer cannot merge; the coordinator can
    expect(await mergeHouseholds(a.id, b.id, d1.db)).toMatchObject({ ok: false, errors: { form: 'household.mergeCoordinator' } });
    expect((await mergeHouseholds(a.id, b.id, c.db)).ok).toBe(true);
    // meanwhile the second phone, offline, records a visit at the twin it still shows
    const visitB = newId();
    await recordVisit(
      { id: visitB, householdId: b.id, kind: 'routine', outcome: 'met', needs: [need({ description: '水管漏水', category: 'repair' })] },
      d2.db,
    );
    await c.syncUntilClean();
    await d2.syncUntilClean();
    await d1.syncUntilClean();
    await c.syncUntilClean();
    for (const d of [d1, d2, c]) {
      const detail = (await householdDetail(a.id, d.db))!;
      expect(detail.household).toMatchObject({ emergencyPhone: '13911112222', phone: a.phone, tags: ['alone', 'lowIncome'] });
      expect(detail.visits.map((v) => v.visit.id).sort()).toEqual([visitA, visitB].sort());
      expect(detail.needs.map((n) => n.need.description).sort()).toEqual(['想办老年卡', '水管漏水']);
      expect(detail.residents.map((r) => r.resident.name)).toContain('刘桂兰');
      // the twin opens as the household it went into, and is listed once
      expect((await householdDetail(b.id, d.db))?.household.id).toBe(a.id);
      expect((await findHouseholds({ text: 'DH03', grid: '', tags: [], limit: 50 }, d.db)).items.map((i) => i.household.id)).toEqual([
        a.id,
      ]);
      expect((await dueList(undefined, d.db)).households.map((i) => i.household.id)).not.toContain(b.id);
    }
    // the server kept the records as recorded, and counts both visits for the kept household
    expect((await serverRows(server, 'visit')).find((v) => v.row_id === visitB)?.fields.householdId).toBe(b.id);
    expect((await serverRows(server, 'household')).find((h) => h.row_id === b.id)?.fields).toMatchObject({
      mergedInto: a.id,
      deleted: true,
    });
    const facts = await server.db
      .selectFrom('visit_fact')
      .select(['row_id', 'household_id'])
      .where('row_id', 'in', [visitA, visitB])
      .execute();
    expect(facts.map((f) => f.household_id)).toEqual([a.id, a.id]);
    const needFacts = await server.db.selectFrom('need_fact').select('household_id').where('household_id', 'in', [a.id, b.id]).execute();
    expect(needFacts.map((f) => f.household_id)).toEqual([a.id, a.id]);
  });

  it('a converted need takes its ticket’s state: handed over at once (off the urgent list), resolved when the item is collected — on another phone too', async () => {
    const [d1, d2] = [await device('grid1'), await device('grid2')];
    const h = householdDraft();
    await saveHousehold(h, d1.db);
    const n = need({ category: 'repair', urgency: 'urgent', description: '燃气灶打不着火' });
    await recordVisit({ id: newId(), householdId: h.id, kind: 'routine', outcome: 'met', needs: [n] }, d1.db);
    expect((await dueList(undefined, d1.db)).urgentNeeds.map((u) => u.need.id)).toContain(n.id);
    const made = await needToRepairTicket(n.id, d1.db);
    if (!made.ok) throw new Error('not converted');
    expect((await needDetail(n.id, d1.db))?.need.status).toBe('inProgress');
    expect((await dueList(undefined, d1.db)).urgentNeeds.map((u) => u.need.id)).not.toContain(n.id);
    // a repair day's ticket on the same phone does not share its number
    const ev = newId();
    await saveRepairEvent({ id: ev, title: '周六', date: '2026-11-22', site: '院子', status: 'open' }, d1.db);
    const dayTicket = await saveTicketFollowingNeed({ id: newId(), eventId: ev, category: 'fan', problem: '不转' }, d1.db);
    const home = (await d1.db.repairTicket.get(made.ticketId))!;
    expect(dayTicket.ok && dayTicket.record.number).toMatch(/^[A-Z]+-001$/);
    expect(home.number).toBe(`H-${dayTicket.ok ? dayTicket.record.number : ''}`);
    await d1.syncUntilClean();
    // the repairer collects it on their own phone
    await d2.syncUntilClean();
    expect((await saveTicketFollowingNeed({ id: made.ticketId, eventId: null, status: 'done' }, d2.db)).ok).toBe(true);
    expect((await needDetail(n.id, d2.db))?.need.status).toBe('inProgress');
    expect((await saveTicketFollowingNeed({ id: made.ticketId, eventId: null, status: 'collected' }, d2.db)).ok).toBe(true);
    await d2.syncUntilClean();
    await d1.syncUntilClean();
    const serverNeed = (await serverRows(server, 'need')).find((r) => r.row_id === n.id)!;
    expect(serverNeed.fields).toMatchObject({ status: 'resolved', repairTicketId: made.ticketId });
    for (const d of [d1, d2]) {
      const detail = await needDetail(n.id, d.db);
      expect(detail?.need.status).toBe('resolved');
      expect(detail?.history.map((e) => e.action)).toEqual(['created', 'repairTicket', 'resolved']);
      expect(detail?.history.at(-1)?.ticketId).toBe(made.ticketId);
    }
  });

  it('a save retried after a failure that may have committed it (the writer lost mid-save) writes no second history line: visit, step, evaluation', async () => {
    const d1 = await device('grid1');
    const h = householdDraft();
    await saveHousehold(h, d1.db);
    const n = need();
    const visit = { id: newId(), householdId: h.id, kind: 'routine' as const, outcome: 'met' as const, needs: [n] };
    // the same save twice, as the screen sends it again when the first answer was lost
    for (let i = 0; i < 2; i++) expect(await recordVisit(visit, d1.db)).toMatchObject({ ok: true });
    const assign = { step: 'assigned' as const, assignee: '刘医生', logId: newId() };
    for (let i = 0; i < 2; i++)
      expect(await takeNeedStep(n.id, assign, d1.db)).toMatchObject({ ok: true, need: { status: 'assigned', assignee: '刘医生' } });
    const accept = { step: 'accepted' as const, logId: newId() };
    for (let i = 0; i < 2; i++) expect(await takeNeedStep(n.id, accept, d1.db)).toMatchObject({ ok: true, need: { status: 'inProgress' } });
    const resolve = { step: 'resolved' as const, note: '已陪同复查', logId: newId() };
    for (let i = 0; i < 2; i++) expect(await takeNeedStep(n.id, resolve, d1.db)).toMatchObject({ ok: true, need: { status: 'resolved' } });
    const evaluation = { evaluation: 'satisfied' as const, logId: newId() };
    for (let i = 0; i < 2; i++)
      expect(await evaluateNeed(n.id, evaluation, d1.db)).toMatchObject({ ok: true, need: { evaluation: 'satisfied' } });
    // a new step (a new id from the screen) is taken as usual
    expect(await takeNeedStep(n.id, { step: 'reopened', note: '又不舒服了', logId: newId() }, d1.db)).toMatchObject({
      ok: true,
      need: { status: 'open' },
    });
    // an id already on another need's history is not taken for a step on this one, nor written over
    const other = need();
    await recordVisit({ id: newId(), householdId: h.id, kind: 'routine', outcome: 'met', needs: [other] }, d1.db);
    expect(await takeNeedStep(other.id, { ...assign }, d1.db)).toMatchObject({ ok: true, need: { status: 'assigned' } });

    const actions = ['created', 'assigned', 'accepted', 'resolved', 'evaluated', 'reopened'];
    expect((await needDetail(n.id, d1.db))?.history.map((e) => e.action)).toEqual(actions);
    await d1.syncUntilClean();
    const logs = (await serverRows(server, 'needLog')).filter((l) => l.fields.needId === n.id);
    expect(logs.map((l) => l.fields.action).sort()).toEqual([...actions].sort());
    expect((await serverRows(server, 'visit')).filter((v) => v.row_id === visit.id)).toHaveLength(1);
    expect(
      (await serverRows(server, 'needLog'))
        .filter((l) => l.fields.needId === other.id)
        .map((l) => l.fields.action)
        .sort(),
    ).toEqual(['assigned', 'created']);
  });

  it('the due list after a pull: overdue and follow-ups first, from the indexes', async () => {
    const d1 = await device('grid1');
    const fresh = householdDraft({ headName: '新登记', visitIntervalDays: 30 });
    const followed = householdDraft({ headName: '要回访' });
    await saveHousehold(fresh, d1.db);
    await saveHousehold(followed, d1.db);
    const tomorrow = new Date(Date.now() + 86_400_000);
    await recordVisit(
      {
        id: newId(),
        householdId: followed.id,
        kind: 'routine',
        outcome: 'met',
        followUpOn: localDay(tomorrow),
        needs: [need({ urgency: 'urgent', description: '独居老人摔倒后行动不便' })],
      },
      d1.db,
    );
    await d1.syncUntilClean();
    const d2 = await device('grid2');
    await d2.syncUntilClean();
    const today = await dueList(localDay(Date.now()), d2.db);
    expect(today.households.map((i) => i.household.headName)).toContain('新登记');
    expect(today.households.map((i) => i.household.headName)).not.toContain('要回访');
    expect(today.urgentNeeds.map((u) => u.household?.headName)).toContain('要回访');
    const tomorrowList = await dueList(localDay(tomorrow), d2.db);
    expect(tomorrowList.households[0]?.household.headName).toBe('要回访');
    expect(tomorrowList.households[0]?.due.followUpDue).toBe(true);
  });

  it('coordinator spreadsheets: households, visits and needs with Chinese headers, a BOM and safe cells; volunteers refused', async () => {
    const d1 = await device('grid1');
    const h = householdDraft({ headName: '=HYPERLINK("x")', notes: '+1 病情' });
    await saveHousehold(h, d1.db);
    await recordVisit(
      {
        id: newId(),
        householdId: h.id,
        kind: 'safetyCheck',
        outcome: 'met',
        wiring: 'problem',
        notes: '插座发烫',
        needs: [need({ description: '-更换插座' })],
      },
      d1.db,
    );
    await d1.syncUntilClean();
    const coord = await device('coord');
    const today = localDay(Date.now(), 'Asia/Shanghai');
    const range = `from=${today}&to=${today}`;
    for (const [file, header, expectRow] of [
      ['households.csv', '户主姓名', (rows: Record<string, string>[]) => rows.find((r) => r['户主姓名'] === '\u200b=HYPERLINK("x")')],
      [
        'visits.csv',
        '走访时间',
        (rows: Record<string, string>[]) => rows.find((r) => r['看到的情况'] === '插座发烫' && r['电线电器'] === '有隐患'),
      ],
      [
        'needs.csv',
        '登记时间',
        (rows: Record<string, string>[]) => rows.find((r) => r['具体情况'] === '\u200b-更换插座' && r['状态'] === '待派单'),
      ],
    ] as const) {
      const res = await coord.http.fetch(`/api/export/${file}?${range}`);
      expect(res.status, file).toBe(200);
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.slice(0, 3)], file).toEqual([0xef, 0xbb, 0xbf]);
      const rows = parse(new TextDecoder().decode(bytes), { columns: true, bom: true }) as Record<string, string>[];
      expect(Object.keys(rows[0] ?? {}), file).toContain(header);
      expect(expectRow(rows), file).toBeTruthy();
      const vol = await d1.http.json(`/api/export/${file}?${range}`);
      expect(vol.status, file).toBe(403);
    }
    const audit = await server.db
      .selectFrom('audit')
      .select(['action', 'detail'])
      .where('action', 'in', ['export.households', 'export.visits', 'export.needs'])
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['export.households', 'export.needs', 'export.visits']);
  });
});
