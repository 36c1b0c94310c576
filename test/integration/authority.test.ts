/**
 * The server is the authority over what it stores (issue 20), against the real server on both
 * databases, with what a careless, outdated or hostile phone could push by hand:
 *
 * - figures derived from others are the server's (a check's level and flags, a ticket's
 *   subsidy): a phone that derived them differently is refused with `derived_mismatch`;
 * - facts stay as recorded: visits, checks and a need's history lines are never rewritten,
 *   only hidden with a reason (by whoever recorded them or a coordinator) and audited;
 * - who did it comes from the session;
 * - references wait for their rows whatever the order of batches; no half rows; consent at
 *   the reading's time for every reading, deleted or not; no consent dated in the future;
 * - clocks: an applied mutation is acknowledged before any clock check; a fast phone is
 *   aligned by its first sync and does not win later real edits.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify, DEFAULT_THRESHOLDS, DEFAULT_THRESHOLDS_VERSION, thresholdsVersion } from '../../src/shared/health.ts';
import { withDefaults } from '../../src/shared/registry.ts';
import { hideHealthCheck, recordConsent, saveHealthCheck } from '../../src/data/health-save.ts';
import { saveHousehold, saveResident } from '../../src/data/household-save.ts';
import { newId } from '../../src/data/records.ts';
import { saveRepairEvent, saveRepairTicket } from '../../src/data/repair-save.ts';
import { hideVisit, recordVisit } from '../../src/data/visit-save.ts';
import { BACKENDS, signedInDevice, startServer, storedState, type Device, type TestServer } from './harness.ts';
import { RawPhone, type Mutation } from './raw-phone.ts';

type User = { id: string; username: string; password: string };

const READINGS_NONE = {
  systolic: null,
  diastolic: null,
  pulse: null,
  glucose: null,
  glucoseContext: null,
  temperature: null,
  weight: null,
  spo2: null,
};

const household = (over: Record<string, unknown> = {}) => ({
  gridCode: 'A1',
  building: '3',
  room: String(100 + Math.floor(Math.random() * 899)),
  headName: '李奶奶',
  ...over,
});
const hourAgo = () => new Date(Date.now() - 3_600_000).toISOString();

describe.each(BACKENDS)('the server is the authority on $name', (backend) => {
  let server: TestServer;
  let teamId: string;
  let otherTeam: string;
  const u: Record<'vol' | 'vol2' | 'coord' | 'outsider', User> = {} as never;

  beforeAll(async () => {
    server = await startServer(backend);
    teamId = await server.addTeam('东湖社区');
    otherTeam = await server.addTeam('西湖社区');
    u.vol = await server.addUser(teamId, 'wang-vol');
    u.vol2 = await server.addUser(teamId, 'li-vol');
    u.coord = await server.addUser(teamId, 'zhao-coord', 'coordinator');
    u.outsider = await server.addUser(otherTeam, 'xi-vol');
  });
  afterAll(async () => {
    await server.stop();
  });

  async function stored(rowId: string) {
    const row = await server.db.selectFrom('record').selectAll().where('row_id', '=', rowId).executeTakeFirst();
    return row ? storedState(row).fields : undefined;
  }

  /** A household and a consenting resident, pushed by hand; their ids. */
  async function consentingResident(p: RawPhone) {
    const householdId = newId();
    const residentId = newId();
    const r = await p.push([
      p.m('household', householdId, household()),
      p.m('resident', residentId, { householdId, name: '李桂兰', consent: 'given', consentBy: 'self', consentAt: hourAgo() }),
    ]);
    expect(r.acked).toHaveLength(2);
    return { householdId, residentId };
  }

  const checkFields = (
    ids: { householdId: string; residentId: string },
    readings: Record<string, number>,
    over: Record<string, unknown> = {},
  ) => {
    const r = { ...READINGS_NONE, ...readings };
    const judged = classify(r, DEFAULT_THRESHOLDS);
    return {
      ...ids,
      ...r,
      at: new Date().toISOString(),
      level: judged.level,
      flags: judged.flags.map((f) => f.code),
      thresholdVersion: DEFAULT_THRESHOLDS_VERSION,
      ...over,
    };
  };

  it("a check's level and flags are the server's: 190/100 pushed as normal is refused in the volunteer's language, stored nowhere; judged right, it is kept", async () => {
    const p = await RawPhone.signIn(server, u.vol);
    const ids = await consentingResident(p);
    for (const [lang, words] of [
      ['zh-CN', /更新应用/],
      ['en', /update the app/i],
    ] as const) {
      const lying = p.m('healthCheck', newId(), checkFields(ids, { systolic: 190, diastolic: 100 }, { level: 'normal', flags: [] }));
      const r = await p.push([lying], lang);
      expect(r.rejected).toEqual([{ id: lying.id, code: 'derived_mismatch', message: expect.stringMatching(words) }]);
      expect(await stored(lying.rowId)).toBeUndefined();
    }
    // flags left out, level right: still the phone's own judgement, still refused
    const noFlags = p.m('healthCheck', newId(), checkFields(ids, { systolic: 190, diastolic: 100 }, { flags: [] }));
    expect((await p.push([noFlags])).rejected[0]?.code).toBe('derived_mismatch');
    const honest = p.m('healthCheck', newId(), checkFields(ids, { systolic: 190, diastolic: 100 }));
    expect((await p.push([honest])).acked).toEqual([honest.id]);
    const fact = await server.db.selectFrom('health_fact').selectAll().where('row_id', '=', honest.rowId).executeTakeFirstOrThrow();
    expect(fact.level).toBe('urgent');
    expect(await server.db.selectFrom('health_fact').select('row_id').where('resident_id', '=', ids.residentId).execute()).toHaveLength(1);
  });

  it('a check judged with a threshold set the server has not received waits for it, then is judged by it', async () => {
    const p = await RawPhone.signIn(server, u.vol);
    const coord = await RawPhone.signIn(server, u.coord);
    const ids = await consentingResident(p);
    const values = { ...DEFAULT_THRESHOLDS, bpGrade1Sys: 125 };
    const version = thresholdsVersion(values);
    const r = { ...READINGS_NONE, systolic: 128, diastolic: 70 };
    const judged = classify(r, values);
    const byDefaults = classify(r, DEFAULT_THRESHOLDS);
    expect(judged.level).not.toBe(byDefaults.level);
    const check = p.m('healthCheck', newId(), {
      ...ids,
      ...r,
      at: new Date().toISOString(),
      level: judged.level,
      flags: judged.flags.map((f) => f.code),
      thresholdVersion: version,
    });
    const early = await p.push([check]);
    expect(early).toMatchObject({ acked: [], rejected: [], deferred: [check.id] });
    expect(await stored(check.rowId)).toBeUndefined();
    expect((await coord.push([coord.m('healthThresholds', teamId, { values, version })])).acked).toHaveLength(1);
    expect((await p.push([check])).acked).toEqual([check.id]);
    // and judged by that set: the same reading called normal under it is refused
    const wrong = p.m('healthCheck', newId(), { ...check.fields, level: byDefaults.level, flags: byDefaults.flags.map((f) => f.code) });
    expect((await p.push([wrong])).rejected[0]?.code).toBe('derived_mismatch');
  });

  it("a ticket's subsidy is the server's: ¥50,000 from nothing is refused; a subsidy alone is refused; a change to the materials gets the server's subsidy, on the phone too", async () => {
    const d = await signedInDevice(server, u.vol);
    const eventId = newId();
    await saveRepairEvent({ id: eventId, title: '冬季维修日', date: '2026-12-05', site: '活动室', status: 'open' }, d.db);
    const saved = await saveRepairTicket(
      { id: newId(), eventId, category: 'fan', problem: '不转', feeTier: 'waived', materialsFen: 0, feeFen: 0 },
      d.db,
    );
    if (!saved.ok) throw new Error('ticket');
    await d.syncUntilClean();
    const p = await RawPhone.signIn(server, u.vol);
    const ticketId = saved.record.id;
    const huge = p.m('repairTicket', ticketId, { status: 'collected', materialsFen: 0, feeFen: 0, subsidyFen: 5_000_000 });
    const alone = p.m('repairTicket', ticketId, { subsidyFen: 5_000_000 });
    const r = await p.push([huge, alone]);
    expect(r.rejected.map((x) => x.code)).toEqual(['derived_mismatch', 'derived_mismatch']);
    expect(r.rejected[0]!.message).toMatch(/补贴金额/);
    const summary = await p.http.json<{ summary: { subsidiesFen: number } }>(`/api/repair/events/${eventId}/summary`);
    expect(summary.body.summary.subsidiesFen).toBe(0);
    // an input changed without the figure (another phone's charge may have merged): the server works it out
    const materials = p.m('repairTicket', ticketId, { materialsFen: 2000, status: 'collected', outcome: 'fixed' });
    expect((await p.push([materials])).acked).toEqual([materials.id]);
    expect((await stored(ticketId))!.subsidyFen).toBe(2000);
    expect(
      (await p.http.json<{ summary: { subsidiesFen: number } }>(`/api/repair/events/${eventId}/summary`)).body.summary.subsidiesFen,
    ).toBe(2000);
    await d.syncUntilClean();
    expect((await d.db.repairTicket.get(ticketId))?.subsidyFen).toBe(2000);
    // a charge other than the tier's proposal needs its reason
    const noReason = p.m('repairTicket', ticketId, { feeFen: 300, subsidyFen: 1700 });
    expect((await p.push([noReason])).rejected[0]).toMatchObject({ code: 'validation', message: expect.stringMatching(/原因/) });
    await d.close();
  });

  it('facts stay as recorded: a check, a visit and a history line are never rewritten, by anyone; who registered a record and a ticket number never change', async () => {
    const d = await signedInDevice(server, u.vol);
    const householdId = newId();
    expect((await saveHousehold({ id: householdId, ...household() }, d.db)).ok).toBe(true);
    const residentId = newId();
    await saveResident({ id: residentId, householdId, name: '周大爷', sex: 'male', birthYear: 1940 }, d.db);
    await recordConsent(residentId, 'self', '', d.db);
    const checkId = newId();
    expect((await saveHealthCheck({ id: checkId, residentId, ...READINGS_NONE, systolic: 182, diastolic: 112 }, d.db)).ok).toBe(true);
    const visitId = newId();
    const needId = newId();
    const visit = await recordVisit(
      {
        id: visitId,
        householdId,
        kind: 'routine',
        outcome: 'met',
        needs: [{ id: needId, category: 'care', urgency: 'normal', description: '需要买菜', route: 'volunteers', department: '' }],
      },
      d.db,
    );
    expect(visit.ok).toBe(true);
    await d.syncUntilClean();
    const log = await server.db.selectFrom('record').select('row_id').where('type', '=', 'needLog').execute();
    const logId = (await Promise.all(log.map(async (l) => ({ id: l.row_id, f: await stored(l.row_id) })))).find(
      (l) => l.f!.needId === needId,
    )!.id;
    const before = { check: await stored(checkId), visit: await stored(visitId), log: await stored(logId) };

    for (const who of [u.vol, u.vol2, u.coord]) {
      const p = await RawPhone.signIn(server, who);
      const tries = [
        p.m('healthCheck', checkId, { systolic: 120, diastolic: 80, level: 'normal', flags: [] }),
        p.m('healthCheck', checkId, { byName: '别人' }),
        p.m('visit', visitId, { notes: '改过了', outcome: 'notHome' }),
        p.m('needLog', logId, { action: 'closed', status: 'closed', note: '' }),
      ];
      const r = await p.push(tries);
      expect(r.acked).toEqual([]);
      expect(r.rejected.map((x) => x.code)).toEqual(['immutable', 'immutable', 'immutable', 'immutable']);
      expect(r.rejected[0]!.message).toMatch(/不再改动/);
    }
    expect({ check: await stored(checkId), visit: await stored(visitId), log: await stored(logId) }).toEqual(before);
    expect((await server.db.selectFrom('health_fact').select('level').where('row_id', '=', checkId).executeTakeFirstOrThrow()).level).toBe(
      'urgent',
    );

    const p = await RawPhone.signIn(server, u.coord);
    const household2 = p.m('household', householdId, { createdBy: u.coord.id });
    expect((await p.push([household2])).rejected[0]).toMatchObject({ code: 'immutable' });
    const eventId = newId();
    await saveRepairEvent({ id: eventId, title: '修理日', date: '2026-12-06', site: '院子', status: 'open' }, d.db);
    const t = await saveRepairTicket({ id: newId(), eventId, category: 'kettle', problem: '漏水' }, d.db);
    if (!t.ok) throw new Error('ticket');
    await d.syncUntilClean();
    const renumber = p.m('repairTicket', t.record.id, { number: 'Z-999' });
    expect((await p.push([renumber])).rejected[0]).toMatchObject({ code: 'immutable', message: expect.stringMatching(/单号/) });
    expect((await stored(t.record.id))!.number).toBe(t.record.number);
    await d.close();
  });

  it('hiding a fact: only with a reason, only by whoever recorded it or a coordinator; it stays stored, leaves every list and the figures, and is audited', async () => {
    const d = await signedInDevice(server, u.vol);
    const householdId = newId();
    await saveHousehold({ id: householdId, ...household() }, d.db);
    const residentId = newId();
    await saveResident({ id: residentId, householdId, name: '吴奶奶', sex: 'female', birthYear: 1936 }, d.db);
    await recordConsent(residentId, 'self', '', d.db);
    const checkId = newId();
    await saveHealthCheck({ id: checkId, residentId, ...READINGS_NONE, systolic: 185, diastolic: 115 }, d.db);
    const visitId = newId();
    await recordVisit({ id: visitId, householdId, kind: 'routine', outcome: 'met', needs: [] }, d.db);
    await d.syncUntilClean();
    const recorded = await stored(checkId);

    // another volunteer may not hide it; no one may without a reason
    const other = await RawPhone.signIn(server, u.vol2);
    const byOther = other.m('healthCheck', checkId, { deleted: true, deletedReason: '看错了' });
    expect((await other.push([byOther])).rejected[0]?.code).toBe('forbidden');
    const own = await RawPhone.signIn(server, u.vol);
    const noReason = own.m('healthCheck', checkId, { deleted: true });
    expect((await own.push([noReason])).rejected[0]).toMatchObject({ code: 'validation', message: expect.stringMatching(/原因/) });
    expect((await stored(checkId))!.deleted).toBe(false);

    // the phone's own path: the recorder hides the check; a coordinator hides the visit
    expect(await hideHealthCheck(checkId, '   ', d.db)).toEqual({ ok: false, errors: { deletedReason: 'v.deletedReason' } });
    expect((await hideHealthCheck(checkId, '血压计袖带没绑好，重新测量', d.db)).ok).toBe(true);
    await d.syncUntilClean();
    const c = await signedInDevice(server, u.coord);
    await c.syncUntilClean();
    expect((await hideVisit(visitId, '录到了别的住户', c.db)).ok).toBe(true);
    await c.syncUntilClean();

    const hidden = await stored(checkId);
    expect(hidden).toEqual({ ...recorded, deleted: true, deletedReason: '血压计袖带没绑好，重新测量', updatedAt: expect.any(String) });
    expect((await stored(visitId))!.deleted).toBe(true);
    const fact = await server.db.selectFrom('health_fact').select('deleted').where('row_id', '=', checkId).executeTakeFirstOrThrow();
    expect(Number(fact.deleted)).toBe(1);
    const audit = await server.db.selectFrom('audit').selectAll().where('action', '=', 'fact.hide').where('team_id', '=', teamId).execute();
    const lines = audit.map((a) => ({ user: a.user_id, detail: JSON.parse(a.detail) as { rowId: string; reason: string; type: string } }));
    expect(lines).toEqual(
      expect.arrayContaining([
        { user: u.vol.id, detail: expect.objectContaining({ rowId: checkId, type: 'healthCheck', reason: '血压计袖带没绑好，重新测量' }) },
        { user: u.coord.id, detail: expect.objectContaining({ rowId: visitId, type: 'visit', reason: '录到了别的住户' }) },
      ]),
    );
    // off the other phone's lists too, once it syncs
    await d.syncUntilClean();
    expect((await d.db.visit.get(visitId))?.deleted).toBe(true);
    await d.close();
    await c.close();
  });

  it("who did it is the session's: createdBy, byName and who recorded consent, whatever the phone says — and the phone shows the server's", async () => {
    const p = await RawPhone.signIn(server, u.vol);
    const householdId = newId();
    const residentId = newId();
    const visitId = newId();
    const r = await p.push([
      p.m('household', householdId, { ...household(), createdBy: u.coord.id }),
      p.m('resident', residentId, {
        householdId,
        name: '陈爷爷',
        consent: 'given',
        consentBy: 'self',
        consentAt: hourAgo(),
        consentRecordedBy: '赵主任',
      }),
      p.m('visit', visitId, {
        householdId,
        at: new Date().toISOString(),
        kind: 'routine',
        outcome: 'met',
        byName: '赵主任',
        createdBy: u.coord.id,
      }),
    ]);
    expect(r.acked).toHaveLength(3);
    expect(await stored(householdId)).toMatchObject({ createdBy: u.vol.id });
    expect(await stored(residentId)).toMatchObject({ createdBy: u.vol.id, consentRecordedBy: u.vol.username });
    expect(await stored(visitId)).toMatchObject({ createdBy: u.vol.id, byName: u.vol.username });
    const d = await signedInDevice(server, u.vol2);
    await d.syncUntilClean();
    expect(await d.db.visit.get(visitId)).toMatchObject({ byName: u.vol.username, createdBy: u.vol.id });
    await d.close();
  });

  it('consent holds for every reading, deleted or not, and is never dated in the future', async () => {
    const p = await RawPhone.signIn(server, u.vol);
    const householdId = newId();
    const residentId = newId();
    await p.push([p.m('household', householdId, household()), p.m('resident', residentId, { householdId, name: '孙奶奶' })]);
    const ids = { householdId, residentId };
    const hiddenReading = p.m('healthCheck', newId(), {
      ...checkFields(ids, { systolic: 120, diastolic: 80 }),
      deleted: true,
      deletedReason: '测试',
    });
    expect((await p.push([hiddenReading])).rejected[0]?.code).toBe('consent_required');
    expect(await stored(hiddenReading.rowId)).toBeUndefined();
    const future = '9999-12-31T00:00:00.000Z';
    for (const fields of [
      { consent: 'given', consentBy: 'self', consentAt: future },
      { consent: 'withdrawn', consentBy: 'self', consentAt: hourAgo(), consentWithdrawnAt: future },
    ]) {
      const r = await p.push([p.m('resident', residentId, fields)]);
      expect(r.rejected[0]).toMatchObject({ code: 'validation', message: expect.stringMatching(/晚于现在/) });
    }
    expect(withDefaults('resident', (await stored(residentId))!).consent).toBe('none');
  });

  it('a reference waits for its row: a visit to a household not here yet is deferred, then applied; reversed in one push, both apply; another team’s row or the wrong type is refused', async () => {
    const p = await RawPhone.signIn(server, u.vol);
    const householdId = newId();
    const visit = p.m('visit', newId(), { householdId, at: new Date().toISOString(), kind: 'routine', outcome: 'met' });
    const early = await p.push([visit]);
    expect(early).toMatchObject({ acked: [], rejected: [], deferred: [visit.id] });
    const h = p.m('household', householdId, household());
    expect((await p.push([h])).acked).toEqual([h.id]);
    expect((await p.push([visit])).acked).toEqual([visit.id]);

    const h2 = newId();
    const v2 = p.m('visit', newId(), { householdId: h2, at: new Date().toISOString(), kind: 'routine', outcome: 'met' });
    const r = await p.push([v2, p.m('household', h2, household())]);
    expect(r.acked).toHaveLength(2);

    const outsider = await RawPhone.signIn(server, u.outsider);
    const theirs = newId();
    await outsider.push([outsider.m('household', theirs, household())]);
    const intoTheirs = p.m('visit', newId(), { householdId: theirs, at: new Date().toISOString(), kind: 'routine', outcome: 'met' });
    const residentId = newId();
    await p.push([p.m('resident', residentId, { householdId, name: '钱爷爷' })]);
    const wrongType = p.m('visit', newId(), { householdId: residentId, at: new Date().toISOString(), kind: 'routine', outcome: 'met' });
    const refused = await p.push([intoTheirs, wrongType]);
    expect(refused.rejected.map((x) => x.code)).toEqual(['forbidden', 'validation']);
    expect(refused.rejected[1]!.message).toMatch(/指向/);
  });

  it('no half rows: a change to a row whose first change was refused is refused too; one whose first change has not arrived waits for it', async () => {
    const p = await RawPhone.signIn(server, u.vol);
    const bad = newId();
    const create = p.m('household', bad, household({ headName: '' }));
    const update = p.m('household', bad, { notes: '独居' });
    const r = await p.push([create, update]);
    expect(r.rejected.map((x) => x.code)).toEqual(['validation', 'orphan']);
    const later = p.m('household', bad, { phone: '13800138000' });
    expect((await p.push([later])).rejected[0]).toMatchObject({ code: 'orphan', message: expect.stringMatching(/退回/) });
    expect(await stored(bad)).toBeUndefined();

    const pending = newId();
    const first = p.m('household', pending, household());
    const second = p.m('household', pending, { notes: '有一只狗' });
    expect((await p.push([second])).deferred).toEqual([second.id]);
    expect(await stored(pending)).toBeUndefined();
    const both = await p.push([first, second]);
    expect(both.acked).toEqual([first.id, second.id]);
    expect(await stored(pending)).toMatchObject({ headName: '李奶奶', notes: '有一只狗' });
  });

  it('property: however a day’s mutations are split into batches and in whatever order the batches arrive (a hand-over file, two phones), all end applied and the rows are the same', async () => {
    const p = await RawPhone.signIn(server, u.vol);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.infiniteStream(fc.nat()), async (batches, random) => {
        const householdId = newId();
        const residentId = newId();
        const at = new Date().toISOString();
        const muts = [
          p.m('household', householdId, household({ headName: '马奶奶' })),
          p.m('resident', residentId, { householdId, name: '马秀兰', consent: 'given', consentBy: 'self', consentAt: hourAgo() }),
          p.m('household', householdId, { notes: '腿脚不便' }),
          p.m('visit', newId(), { householdId, at, kind: 'routine', outcome: 'met' }),
          p.m('healthCheck', newId(), checkFields({ householdId, residentId }, { systolic: 150, diastolic: 95 })),
          p.m('resident', residentId, { conditions: '高血压' }),
        ];
        const it = random[Symbol.iterator]();
        const groups: Mutation[][] = Array.from({ length: batches }, () => []);
        for (const m of muts) groups[it.next().value % batches]!.push(m);
        const order = groups.map((g) => ({ g, k: it.next().value as number })).sort((a, b) => a.k - b.k);
        const waiting = new Set(muts.map((m) => m.id));
        // each phone pushes its batch; what is deferred it pushes again on its next sync
        for (let round = 0; round < 10 && waiting.size > 0; round++) {
          for (const { g } of order) {
            const left = g.filter((m) => waiting.has(m.id));
            if (left.length === 0) continue;
            const r = await p.push(left);
            expect(r.rejected).toEqual([]);
            for (const id of r.acked) waiting.delete(id);
          }
        }
        expect(waiting.size).toBe(0);
        expect(await stored(householdId)).toMatchObject({ headName: '马奶奶', notes: '腿脚不便' });
        expect(await stored(residentId)).toMatchObject({ conditions: '高血压', consent: 'given' });
        const level = classify({ ...READINGS_NONE, systolic: 150, diastolic: 95 }).level;
        expect(await server.db.selectFrom('health_fact').select('level').where('resident_id', '=', residentId).execute()).toEqual([
          { level },
        ]);
      }),
      { numRuns: 12 },
    );
  });

  it('clocks: an applied mutation is acknowledged after a server clock step; a new one stamped 30 s ahead is refused; a fast phone is aligned and does not win a later real edit', async () => {
    const p = await RawPhone.signIn(server, u.vol);
    const householdId = newId();
    const m = p.m('household', householdId, household());
    expect((await p.push([m])).acked).toEqual([m.id]);
    server.now.offset = -60_000;
    try {
      // the server's clock stepped back a minute: the resend is still the applied mutation
      expect(await p.push([m])).toMatchObject({ acked: [m.id], rejected: [] });
      const ahead = p.m('household', householdId, { notes: '快了' });
      expect((await p.push([ahead])).rejected[0]).toMatchObject({ code: 'clock_skew' });
    } finally {
      server.now.offset = 0;
    }
    const ahead30 = p.m('household', householdId, { notes: '快了' }, Date.now() + 30_000);
    expect((await p.push([ahead30])).rejected[0]?.code).toBe('clock_skew');

    // two phones signed in and synced (their clocks set by the server's); then the fast
    // phone's own clock jumps five minutes ahead, offline
    const fast = await signedInDevice(server, u.vol);
    const honest = await signedInDevice(server, u.vol2);
    const hid = newId();
    const h = { id: hid, ...household({ notes: '原来的' }) };
    expect(await saveHousehold(h, honest.db)).toMatchObject({ ok: true });
    await honest.syncUntilClean();
    await fast.syncUntilClean();
    const aligned = (await fast.db.getMeta('clockOffset')) ?? 0;
    await fast.db.setMeta('clockOffset', aligned + 5 * 60_000);
    // the fast phone edits first; a moment later, in real time, the honest one
    expect(await saveHousehold({ ...h, notes: '快手机改的' }, fast.db)).toMatchObject({ ok: true });
    await new Promise((r) => setTimeout(r, 20));
    expect(await saveHousehold({ ...h, notes: '后来改的' }, honest.db)).toMatchObject({ ok: true });
    // the fast phone syncs first: its stamp is refused (clock_skew), it sets its clock by
    // the server's and moves the change back by as much — the earlier edit, as in real time
    await fast.syncUntilClean();
    expect(await fast.db.failed.count()).toBe(0);
    expect(Math.abs(((await fast.db.getMeta('clockOffset')) ?? 0) - aligned)).toBeLessThan(2_000);
    expect((await stored(hid))!.notes).toBe('快手机改的');
    await honest.syncUntilClean();
    await fast.syncUntilClean();
    expect((await stored(hid))!.notes).toBe('后来改的');
    expect((await fast.db.household.get(hid))?.notes).toBe('后来改的');
    await fast.close();
    await honest.close();
  });
});

export type { Device };
