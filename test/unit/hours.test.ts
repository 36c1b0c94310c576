/**
 * Service hours (issue 21, the roster and attendance): hours from the check-in and check-out
 * times, rounded down by the team's step; an attendance's id named by its event and its
 * volunteer, so two phones write one row; checking in twice keeps the first time; only a
 * coordinator links a roster entry to an account.
 */
import fc from 'fast-check';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { LinliDb } from '../../src/data/db.ts';
import { myService, signInSheet, volunteersWithPhone } from '../../src/data/hours.ts';
import { checkIn, checkOut, confirmHours, linkVolunteer, saveVolunteer } from '../../src/data/hours-save.ts';
import { newId } from '../../src/data/records.ts';
import { saveRepairEvent } from '../../src/data/repair-save.ts';
import { attendanceIdOf, checkAccess, checkMerged } from '../../src/server/push-rules.ts';
import { attendanceId } from '../../src/shared/attendance-id.ts';
import {
  certificateSerial,
  maskName,
  readVolunteerCode,
  shortCode,
  volunteerQrText,
  volunteersByCode,
  pointsFor,
  ROUNDING_CHOICES,
  ruleInForce,
  serviceHours,
  STAR_HOURS,
  starLevel,
} from '../../src/shared/hours.ts';
import { Ledger } from '../../src/server/ledger.ts';
import { uuidv7 } from 'uuidv7';

const at = (ms: number) => new Date(ms).toISOString();

describe('service hours', () => {
  it('are the time between check-in and check-out rounded down to the step: never more than served, less by under one step', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2e12 }),
        fc.integer({ min: -1e6, max: 16 * 3600e3 }),
        fc.constantFrom(...ROUNDING_CHOICES),
        (start, span, step) => {
          const h = serviceHours(at(start), at(start + span), step);
          const served = Math.max(0, span) / 3600e3;
          expect(h).toBeLessThanOrEqual(served + 1e-9);
          expect(served - h).toBeLessThan(step / 60 + 1e-9);
          expect(Math.round(h * 60) % step).toBe(0);
        },
      ),
    );
    expect(serviceHours('2026-12-05T01:00:00Z', '2026-12-05T02:50:00Z', 30)).toBe(1.5);
    expect(serviceHours('2026-12-05T01:00:00Z', '2026-12-05T02:50:00Z', 15)).toBe(1.75);
    expect(serviceHours('2026-12-05T01:00:00Z', null)).toBe(0);
    expect(serviceHours('2026-12-05T03:00:00Z', '2026-12-05T02:00:00Z')).toBe(0);
  });

  it('names an attendance by its event and volunteer: the same pair, the same id (a version-5 UUID); another pair, another', async () => {
    const e = newId();
    const v = newId();
    const id = await attendanceId(e, v);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await attendanceId(e, v)).toBe(id);
    expect(await attendanceId(v, e)).not.toBe(id);
    expect(await attendanceId(e, newId())).not.toBe(id);
  });

  it('names it the same on the phone (WebCrypto) and on the server (Node), and the server refuses an attendance under another id', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uuid(), fc.uuid(), async (e, v) => {
        expect(attendanceIdOf(e, v)).toBe(await attendanceId(e, v));
      }),
      { numRuns: 50 },
    );
    const e = newId();
    const v = newId();
    const fields = {
      id: await attendanceId(e, v),
      eventId: e,
      volunteerId: v,
      date: '2026-12-05',
      checkInAt: '2026-12-05T01:00:00.000Z',
      checkOutAt: null,
    };
    const ctx = { lookup: () => undefined, thresholdsOf: () => undefined, now: Date.parse('2026-12-05T02:00:00Z') };
    expect(checkMerged('attendance', fields, fields, ctx)).toBeNull();
    const forged = { ...fields, id: newId() };
    expect(checkMerged('attendance', forged, forged, ctx)).toEqual({ code: 'validation', detail: 'v.attendanceId' });
  });
});

describe('the roster and the sign-in sheet on a phone', () => {
  async function phone(role: 'volunteer' | 'coordinator' = 'volunteer') {
    const db = new LinliDb(`hours-${Math.random()}`, { indexedDB, IDBKeyRange });
    await db.setMeta('user', { id: newId(), username: 'lead', name: '组长', role, teamId: newId(), teamName: '队' });
    const eventId = newId();
    await saveRepairEvent({ id: eventId, title: '修理日', date: '2026-12-05', site: '院子', status: 'open' }, db);
    return { db, eventId };
  }

  it('adds a one-day volunteer offline and warns of the same phone however it is written', async () => {
    const { db } = await phone();
    const a = newId();
    expect((await saveVolunteer({ id: a, name: '小林', phone: '138 0013 8000', org: '职业技术学院' }, db)).ok).toBe(true);
    expect((await volunteersWithPhone('13800138000', newId(), db)).map((v) => v.name)).toEqual(['小林']);
    expect(await volunteersWithPhone('13800138000', a, db)).toEqual([]);
    expect(await volunteersWithPhone('138', newId(), db)).toEqual([]);
    expect((await saveVolunteer({ id: newId(), name: ' ' }, db)).ok).toBe(false);
    db.close();
  });

  it('checks in once however often tapped, keeps the first time, checks out, takes a check-out back; hours by the rule', async () => {
    const { db, eventId } = await phone();
    const v = newId();
    await saveVolunteer({ id: v, name: '小林' }, db);
    const first = await checkIn(eventId, v, db);
    expect(first.ok).toBe(true);
    const again = await checkIn(eventId, v, db);
    expect(again.ok && first.ok && again.record.checkInAt).toBe(first.ok && first.record.checkInAt);
    expect(await db.attendance.count()).toBe(1);
    expect((await checkOut(eventId, v, db)).ok).toBe(true);
    let sheet = await signInSheet(eventId, db);
    expect(sheet).toMatchObject({ checkedIn: 1, stillIn: 0, roundingMinutes: 30 });
    expect((await checkIn(eventId, v, db)).ok).toBe(true);
    sheet = await signInSheet(eventId, db);
    expect(sheet.stillIn).toBe(1);
    expect(sheet.rows[0]!.attendance!.checkOutAt).toBeNull();
    // nobody checked in cannot be checked out
    const w = newId();
    await saveVolunteer({ id: w, name: '老王' }, db);
    expect(await checkOut(eventId, w, db)).toEqual({ ok: false, errors: { form: 'hours.notCheckedIn' } });
    expect(await checkIn(newId(), w, db)).toEqual({ ok: false, errors: { form: 'hours.notFound' } });
    db.close();
  });

  it('lets only a coordinator link a roster entry to an account', () => {
    const team = newId();
    expect(checkAccess('volunteer', newId(), team, 'volunteer', { userId: newId() })).toEqual({ code: 'forbidden' });
    expect(checkAccess('volunteer', newId(), team, 'volunteer', { name: '小林' })).toBeNull();
    // a whole new entry carries userId: null, which links nothing
    expect(checkAccess('volunteer', newId(), team, 'volunteer', { name: '小林', userId: null })).toBeNull();
    expect(checkAccess('volunteer', newId(), team, 'coordinator', { userId: newId() })).toBeNull();
  });

  it('confirms hours as a coordinator only: by the times in one tap, other hours with a reason, a correction as a record of its own', async () => {
    const { db, eventId } = await phone('coordinator');
    const v = newId();
    await saveVolunteer({ id: v, name: '小林' }, db);
    const inAt = await checkIn(eventId, v, db);
    const attendanceId = inAt.ok ? inAt.record.id : '';
    expect(await confirmHours(attendanceId, {}, db)).toEqual({ ok: false, errors: { form: 'hours.notCheckedOut' } });
    await checkOut(eventId, v, db);
    expect(await confirmHours(attendanceId, { hours: 3 }, db)).toEqual({ ok: false, errors: { reason: 'hours.reasonRequired' } });
    const first = await confirmHours(attendanceId, {}, db);
    expect(first).toMatchObject({ ok: true, record: { hours: 0, computedHours: 0, corrects: null, confirmedBy: '组长' } });
    let sheet = await signInSheet(eventId, db);
    expect(sheet).toMatchObject({ awaiting: 0, totalHours: 0 });
    // final: a second confirmation is a correction, and needs its reason
    expect(await confirmHours(attendanceId, {}, db)).toEqual({ ok: false, errors: { reason: 'hours.reasonRequired' } });
    const fix = await confirmHours(attendanceId, { hours: 3.5, reason: '签到时忘记点，13:00 已到' }, db);
    expect(fix).toMatchObject({ ok: true, record: { hours: 3.5, corrects: first.ok ? first.record.id : '' } });
    expect(await db.serviceRecord.count()).toBe(2);
    sheet = await signInSheet(eventId, db);
    expect(sheet.totalHours).toBe(3.5);
    expect(sheet.rows[0]!.confirmed?.hours).toBe(3.5);
    expect((await confirmHours(attendanceId, { hours: 3.3, reason: 'x' }, db)).ok).toBe(false);
    db.close();
    // a volunteer confirms nothing
    const vol = await phone('volunteer');
    expect(await confirmHours(attendanceId, {}, vol.db)).toEqual({ ok: false, errors: { form: 'error.forbidden' } });
    vol.db.close();
  });

  it('shows the volunteer their own confirmed hours once a coordinator links their entry to their account', async () => {
    const { db, eventId } = await phone('coordinator');
    const me = (await db.getMeta('user'))!;
    const v = newId();
    await saveVolunteer({ id: v, name: '小林' }, db);
    expect(await myService('2026', db)).toMatchObject({ volunteer: null, total: 0 });
    const inAt = await checkIn(eventId, v, db);
    await checkOut(eventId, v, db);
    const attendanceId = inAt.ok ? inAt.record.id : '';
    await confirmHours(attendanceId, { hours: 2.5, reason: '补记' }, db);
    expect((await linkVolunteer(v, me.id, db)).ok).toBe(true);
    const mine = await myService('2026', db);
    expect(mine).toMatchObject({ total: 2.5, thisYear: 2.5, awaiting: 0 });
    expect(mine.items.map((it) => [it.eventTitle, it.site, it.attendance.date, it.confirmed?.hours])).toEqual([
      ['修理日', '院子', '2026-12-05', 2.5],
    ]);
    expect((await myService('2027', db)).thisYear).toBe(0);
    // a coordinator linked to the entry cannot confirm it (their own hours)
    expect((await confirmHours(attendanceId, { hours: 3, reason: 'x' }, db)).ok).toBe(false);
    db.close();
    const vol = await phone('volunteer');
    expect(await linkVolunteer(v, newId(), vol.db)).toEqual({ ok: false, errors: { form: 'error.forbidden' } });
    vol.db.close();
  });
});

describe('star levels', () => {
  it('count the thresholds reached, and the hours to the next', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 3000, noNaN: true }), (h) => {
        const { stars, next, toNext } = starLevel(h);
        expect(stars).toBe(STAR_HOURS.filter((t) => h >= t).length);
        if (stars === 5) expect([next, toNext]).toEqual([null, null]);
        else expect(toNext!).toBeCloseTo(next! - h, 2);
      }),
    );
    expect(starLevel(99.5)).toEqual({ stars: 0, next: 100, toNext: 0.5 });
    expect(starLevel(300)).toEqual({ stars: 2, next: 600, toNext: 300 });
    expect(starLevel(1500).stars).toBe(5);
  });
});

describe('points, certificates and the public page', () => {
  const rule = (id: string, effectiveFrom: string, pointsPerHour: number, createdAt = '2026-01-01T00:00:00.000Z') => ({
    id,
    effectiveFrom,
    pointsPerHour,
    createdAt,
    deleted: false,
  });

  it('the rule in force on a day is the latest version whose day has come, whatever order the versions arrive in', () => {
    const rules = [
      rule('a', '2026-01-01', 10),
      rule('b', '2026-06-01', 20),
      rule('c', '2026-06-01', 15, '2026-05-30T00:00:00.000Z'),
      rule('d', '2027-01-01', 30),
    ];
    fc.assert(
      fc.property(fc.shuffledSubarray(rules, { minLength: rules.length }), (shuffled) => {
        expect(ruleInForce(shuffled, '2025-12-31')).toBeNull();
        expect(ruleInForce(shuffled, '2026-03-01')?.id).toBe('a');
        // two versions from the same day: the one recorded later
        expect(ruleInForce(shuffled, '2026-06-01')?.id).toBe('c');
        expect(ruleInForce(shuffled, '2027-02-01')?.id).toBe('d');
      }),
    );
    expect(ruleInForce([{ ...rule('x', '2026-01-01', 10), deleted: true }], '2026-02-01')).toBeNull();
  });

  it('points are whole, rounded down, and none without a rule', () => {
    expect(pointsFor(1.5, { pointsPerHour: 10 })).toBe(15);
    expect(pointsFor(0.25, { pointsPerHour: 3 })).toBe(0);
    expect(pointsFor(2.75, { pointsPerHour: 3 })).toBe(8);
    expect(pointsFor(8, null)).toBe(0);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 96 }), fc.integer({ min: 0, max: 1000 }), (quarters, pph) => {
        const p = pointsFor(quarters / 4, { pointsPerHour: pph });
        expect(Number.isInteger(p)).toBe(true);
        expect(p).toBeLessThanOrEqual((quarters / 4) * pph);
        expect((quarters / 4) * pph - p).toBeLessThan(1);
      }),
    );
  });

  it('the ledger: each attendance counts its last confirmation once, redemptions spend, so a balance is what was earned less what was spent', () => {
    const ledger = new Ledger([]);
    ledger.addService('v', 'att1', { id: 's1', createdMs: 1, date: '2026-05-01', hours: 3, points: 30 });
    // a correction of the same attendance replaces it, whichever order they arrive in
    ledger.addService('v', 'att1', { id: 's2', createdMs: 2, date: '2026-05-01', hours: 2, points: 20 });
    ledger.addService('v', 'att1', { id: 's1', createdMs: 1, date: '2026-05-01', hours: 3, points: 30 });
    ledger.addService('v', 'att2', { id: 's3', createdMs: 3, date: '2026-07-01', hours: 4, points: 40 });
    ledger.addRedemption('v', 25);
    expect(ledger.balance('v')).toBe(35);
    expect(ledger.confirmed('v', '2026-05-01', '2026-05-31')).toEqual({ totalHours: 2, activities: 1 });
    expect(ledger.confirmed('v', '2026-01-01', '2026-12-31')).toEqual({ totalHours: 6, activities: 2 });
    expect(ledger.balance('nobody')).toBe(0);
  });

  it("a certificate's serial is its id's: the same id the same serial, ten letters no one misreads", () => {
    fc.assert(
      fc.property(fc.uuid({ version: 7 }), fc.uuid({ version: 7 }), (a, b) => {
        const s = certificateSerial(a, '2026');
        expect(s).toMatch(/^ZM2026[0-9A-HJKMNP-TV-Z]{10}$/);
        expect(certificateSerial(a, '2026')).toBe(s);
        if (a !== b && a.slice(-13) !== b.slice(-13)) expect(certificateSerial(b, '2026')).not.toBe(s);
      }),
    );
    // ids made one after another in the same millisecond still differ (their random part)
    const ids = Array.from({ length: 2000 }, () => uuidv7());
    expect(new Set(ids.map((id) => certificateSerial(id, '2026'))).size).toBe(ids.length);
  });

  it('the public page shows a name with its middle masked', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('王小明')).toBe('王*明');
    expect(maskName('欧阳小明')).toBe('欧**明');
    expect(maskName('李')).toBe('*');
    expect(maskName(' 王小明 ')).toBe('王*明');
    fc.assert(
      fc.property(
        fc.string({ minLength: 3, maxLength: 12 }).filter((n) => n.trim() === n && [...n].length >= 3),
        (name) => {
          const chars = [...name];
          const masked = [...maskName(name)];
          expect(masked).toHaveLength(chars.length);
          expect(masked.slice(1, -1).every((c) => c === '*')).toBe(true);
        },
      ),
    );
  });
});

describe('a volunteer’s check-in code', () => {
  it('the QR code names its volunteer; the short code, typed any way, finds them on the roster', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.uuid({ version: 7 }), { minLength: 1, maxLength: 40 }), fc.nat(), (ids, pick) => {
        const roster = ids.map((id) => ({ id }));
        const me = ids[pick % ids.length]!;
        expect(volunteersByCode(roster, readVolunteerCode(volunteerQrText(me))!)).toEqual([{ id: me }]);
        const code = shortCode(me);
        expect(code).toMatch(/^[0-9A-F]{6}$/);
        for (const typed of [code, code.toLowerCase(), ` ${code.slice(0, 3)}-${code.slice(3)} `]) {
          expect(volunteersByCode(roster, readVolunteerCode(typed)!).map((v) => v.id)).toContain(me);
        }
      }),
    );
  });

  it('reads nothing Linli did not make', () => {
    for (const text of ['', 'hello', 'https://example.com', 'LINLI-V:not-an-id', '12345', '1234567', 'GHIJKL'])
      expect(readVolunteerCode(text)).toBeNull();
    expect(volunteersByCode([{ id: uuidv7() }], { short: '000000' })).toEqual([]);
  });
});
