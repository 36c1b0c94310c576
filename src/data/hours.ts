/**
 * Volunteers and their attendance on the phone (shared/hours.ts): the team's roster, with
 * the same-phone warning, and an event's sign-in sheet — who is checked in, who has left,
 * how many hours each by the team's rounding rule — from the phone's own rows, offline.
 */
import { liveQuery } from 'dexie';
import { phoneDigits } from '../shared/address.ts';
import {
  byRecordedOrder,
  ruleInForce,
  serviceHours,
  starLevel,
  type Attendance,
  type Certificate,
  type PointsRule,
  type Redemption,
  type ServiceRecord,
  type Volunteer,
} from '../shared/hours.ts';
import { withDefaults } from '../shared/record-defaults.ts';
import { localDb, type LinliDb, type LocalRow } from './db.ts';
import type { Observable } from './observable.ts';
import { localFields } from './records.ts';
import { isLive, rowSyncStates, type RowSync } from './row-sync.ts';
import { teamSettings } from './team-settings.ts';

export type { Attendance, Certificate, PointsRule, Redemption, ServiceRecord, Volunteer };
import type { Household } from '../shared/household.ts';

export interface SheetRow {
  volunteer: Volunteer;
  attendance: Attendance | null;
  /** By the times and the team's rule. */
  hours: number;
  /** The latest confirmation (or correction) of these hours, if any. */
  confirmed: ServiceRecord | null;
  sync: RowSync | null;
}

/** The record that stands for an attendance's hours: the latest confirmation or correction. */
export async function latestServiceRecord(db: LinliDb, attendanceId: string): Promise<ServiceRecord | null> {
  const rows = (await db.serviceRecord.where('attendanceId').equals(attendanceId).filter(isLive).toArray()).map((r) => withDefaults('serviceRecord', localFields(r)));
  return rows.sort(byRecordedOrder).at(-1) ?? null;
}


export interface SignInSheet {
  rows: SheetRow[];
  checkedIn: number;
  stillIn: number;
  /** Confirmed hours where confirmed, else by the times. */
  totalHours: number;
  /** Checked out and not yet confirmed. */
  awaiting: number;
  roundingMinutes: number;
}

const asVolunteer = (row: object) => withDefaults('volunteer', localFields(row as never));
const asAttendance = (row: object) => withDefaults('attendance', localFields(row as never));

/** The roster, by name in the team's language order. */
export async function roster(db: LinliDb = localDb()): Promise<Volunteer[]> {
  const rows = (await db.volunteer.filter(isLive).toArray()).map(asVolunteer);
  return rows.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
}

export function observeRoster(): Observable<Volunteer[]> {
  return liveQuery(() => roster());
}

/** Roster entries with this phone number (its digits), other than `exceptId`: the duplicate warning. */
export async function volunteersWithPhone(phone: string, exceptId: string, db: LinliDb = localDb()): Promise<Volunteer[]> {
  const digits = phoneDigits(phone);
  if (digits.length < 7) return [];
  return (await db.volunteer.where('$phone').equals(digits).filter(isLive).toArray()).map(asVolunteer).filter((v) => v.id !== exceptId);
}

export function observeSamePhone(phone: string, exceptId: string): Observable<Volunteer[]> {
  return liveQuery(() => volunteersWithPhone(phone, exceptId));
}

/** An event's sheet: every volunteer on the roster, those checked in first (still in at the top), with hours. */
export async function signInSheet(eventId: string, db: LinliDb = localDb()): Promise<SignInSheet> {
  const user = await db.getMeta('user');
  const [people, rows, settings] = await Promise.all([
    roster(db),
    db.attendance.where('eventId').equals(eventId).filter(isLive).toArray(),
    teamSettings(db, user?.teamId ?? ''),
  ]);
  const byVolunteer = new Map(rows.map((r) => [r.volunteerId ?? '', asAttendance(r)]));
  const sync = await rowSyncStates(db, rows.map((r) => r.id));
  const roundingMinutes = settings.hoursRoundingMinutes;
  const sheet = people.map((volunteer) => {
    const attendance = byVolunteer.get(volunteer.id) ?? null;
    const hours = attendance ? serviceHours(attendance.checkInAt, attendance.checkOutAt, roundingMinutes) : 0;
    return { volunteer, attendance, hours, confirmed: null as ServiceRecord | null, sync: attendance ? (sync.get(attendance.id) ?? 'synced') : null };
  });
  // every confirmation of the event's attendances in one read: the sheet re-reads on every tap
  const records = (await db.serviceRecord.where('attendanceId').anyOf(rows.map((r) => r.id)).filter(isLive).toArray()).map((r) =>
    withDefaults('serviceRecord', localFields(r)),
  );
  const latest = new Map<string, ServiceRecord>();
  for (const r of records.sort(byRecordedOrder)) latest.set(r.attendanceId, r);
  for (const row of sheet) if (row.attendance) row.confirmed = latest.get(row.attendance.id) ?? null;
  const rank = (r: SheetRow) => (!r.attendance?.checkInAt ? 2 : r.attendance.checkOutAt ? 1 : 0);
  sheet.sort((a, b) => rank(a) - rank(b));
  return {
    rows: sheet,
    checkedIn: sheet.filter((r) => r.attendance?.checkInAt).length,
    stillIn: sheet.filter((r) => r.attendance?.checkInAt && !r.attendance.checkOutAt).length,
    totalHours: sheet.reduce((n, r) => n + (r.confirmed ? r.confirmed.hours : r.hours), 0),
    awaiting: sheet.filter((r) => r.attendance?.checkOutAt && !r.confirmed).length,
    roundingMinutes,
  };
}

export function observeSignInSheet(eventId: string): Observable<SignInSheet> {
  return liveQuery(() => signInSheet(eventId));
}

/**
 * What an attendance was for: an activity the team ran (its title and site), or a visit or
 * home repair done on one's own (the household's address; the screen names the work).
 */
export interface Activity {
  id: string;
  title: string;
  site: string;
  work: 'visit' | 'homeRepair' | null;
  household: Household | null;
}

/** The activities these ids name, as this phone holds them. */
export async function activitiesOf(db: LinliDb, ids: readonly string[]): Promise<Map<string, Activity>> {
  const unique = [...new Set(ids)];
  const [events, visits, tickets] = await Promise.all([db.repairEvent.bulkGet(unique), db.visit.bulkGet(unique), db.repairTicket.bulkGet(unique)]);
  const homes = await db.household.bulkGet(unique.map((_, i) => visits[i]?.householdId ?? tickets[i]?.householdId ?? ''));
  const out = new Map<string, Activity>();
  unique.forEach((id, i) => {
    const e = events[i];
    const household = homes[i] ? withDefaults('household', localFields(homes[i]!)) : null;
    if (e) out.set(id, { id, title: e.title ?? '', site: e.site ?? '', work: null, household: null });
    else if (visits[i]) out.set(id, { id, title: '', site: '', work: 'visit', household });
    else if (tickets[i]) out.set(id, { id, title: tickets[i]!.item ?? '', site: '', work: 'homeRepair', household });
  });
  return out;
}

const NO_ACTIVITY = (id: string): Activity => ({ id, title: '', site: '', work: null, household: null });

export interface ServiceItem {
  attendance: Attendance;
  activity: Activity;
  eventTitle: string;
  site: string;
  /** By the times and the team's rule. */
  hours: number;
  /** The confirmed hours standing for it, or null while awaiting confirmation. */
  confirmed: ServiceRecord | null;
}

export interface MyService {
  volunteer: Volunteer | null;
  items: ServiceItem[];
  /** Confirmed hours in all, and in the current calendar year. */
  total: number;
  thisYear: number;
  awaiting: number;
  points: PointsLedger;
}

/**
 * The signed-in volunteer's own service (我的服务), from the phone's rows: their roster entry
 * (linked to the account by a coordinator), every activity with its date, place and hours,
 * and the confirmed totals. Only confirmed hours count.
 */
export async function myService(year: string, db: LinliDb = localDb()): Promise<MyService> {
  const user = await db.getMeta('user');
  const entry = user ? await db.volunteer.filter((v) => isLive(v) && v.userId === user.id).first() : undefined;
  if (!entry) return { volunteer: null, items: [], total: 0, thisYear: 0, awaiting: 0, points: { balance: 0, entries: [] } };
  const volunteer = asVolunteer(entry);
  const [rows, records, settings] = await Promise.all([
    db.attendance.where('volunteerId').equals(volunteer.id).filter(isLive).toArray(),
    db.serviceRecord.where('volunteerId').equals(volunteer.id).filter(isLive).toArray(),
    teamSettings(db, user?.teamId ?? ''),
  ]);
  const items = await serviceItems(db, rows, standing(records), settings.hoursRoundingMinutes);
  const sum = (list: ServiceItem[]) => list.reduce((n, it) => n + (it.confirmed?.hours ?? 0), 0);
  return {
    volunteer,
    items,
    total: sum(items),
    thisYear: sum(items.filter((it) => it.attendance.date.startsWith(year))),
    awaiting: items.filter((it) => it.attendance.checkOutAt && !it.confirmed).length,
    points: await pointsLedger(volunteer.id, db),
  };
}

/** Attendances as activities: each with its event's title and place, its hours by the times and its standing confirmation. */
async function serviceItems(
  db: LinliDb,
  rows: readonly LocalAttendance[],
  latest: ReadonlyMap<string, ServiceRecord>,
  roundingMinutes: number,
): Promise<ServiceItem[]> {
  const activities = await activitiesOf(
    db,
    rows.map((r) => r.eventId ?? ''),
  );
  return rows
    .map((r) => {
      const attendance = asAttendance(r);
      const activity = activities.get(attendance.eventId) ?? NO_ACTIVITY(attendance.eventId);
      return {
        attendance,
        activity,
        eventTitle: activity.title,
        site: activity.site,
        hours: serviceHours(attendance.checkInAt, attendance.checkOutAt, roundingMinutes),
        confirmed: latest.get(attendance.id) ?? null,
      };
    })
    .sort((a, b) => b.attendance.date.localeCompare(a.attendance.date));
}

export function observeMyService(year: string): Observable<MyService> {
  return liveQuery(() => myService(year));
}

type LocalAttendance = LocalRow<'attendance'>;

/** The standing confirmation of each attendance among these records. */
function standing(records: readonly object[]): Map<string, ServiceRecord> {
  const latest = new Map<string, ServiceRecord>();
  for (const r of records.map((x) => withDefaults('serviceRecord', localFields(x as never))).sort(byRecordedOrder)) latest.set(r.attendanceId, r);
  return latest;
}

/** The team's points rules, every version, the newest first. */
export async function pointsRules(db: LinliDb = localDb()): Promise<PointsRule[]> {
  const rows = (await db.pointsRule.filter(isLive).toArray()).map((r) => withDefaults('pointsRule', localFields(r)));
  return rows.sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom) || b.createdAt.localeCompare(a.createdAt));
}

export function observePointsRules(): Observable<{ rules: PointsRule[]; current: PointsRule | null }> {
  return liveQuery(async () => {
    const rules = await pointsRules();
    return { rules, current: ruleInForce(rules, new Date().toISOString().slice(0, 10)) };
  });
}

export interface PointsEntry {
  /** Earned by a confirmation (positive) or spent at a redemption (negative). */
  points: number;
  date: string;
  what: string;
  /** What the points were earned by (none for a redemption). */
  activity: Activity | null;
  record: ServiceRecord | Redemption;
  /** A redemption the server refused (it would have overdrawn): shown, not counted. */
  refused: boolean;
}
export interface PointsLedger {
  balance: number;
  /** Newest first. */
  entries: PointsEntry[];
}

/**
 * A volunteer's points: each standing confirmation earned, each redemption spent — as this
 * phone holds them; a redemption the server refused is listed but not spent. `refused` is
 * read by the caller where the read runs in a save's transaction (which has no refused list).
 */
export async function pointsLedger(volunteerId: string, db: LinliDb = localDb(), refused?: ReadonlySet<string>): Promise<PointsLedger> {
  const [records, redemptions] = await Promise.all([
    db.serviceRecord.where('volunteerId').equals(volunteerId).filter(isLive).toArray(),
    db.redemption.where('volunteerId').equals(volunteerId).filter(isLive).toArray(),
  ]);
  const refusedIds = refused ?? (await refusedRows(db, redemptions.map((r) => r.id)));
  const earned = [...standing(records).values()].filter((r) => r.points > 0);
  const activities = await activitiesOf(
    db,
    earned.map((r) => r.eventId),
  );
  const entries: PointsEntry[] = [
    ...earned.map((r) => {
      const activity = activities.get(r.eventId) ?? NO_ACTIVITY(r.eventId);
      return { points: r.points, date: r.date, what: activity.title, activity, record: r, refused: false };
    }),
    ...redemptions.map((x) => {
      const r = withDefaults('redemption', localFields(x));
      return { points: -r.points, date: r.at.slice(0, 10), what: r.item, activity: null, record: r, refused: refusedIds.has(r.id) };
    }),
  ].sort((a, b) => b.date.localeCompare(a.date));
  return { balance: entries.reduce((n, e) => n + (e.refused ? 0 : e.points), 0), entries };
}

/** Of these rows, those the server refused (in the phone's refused list). */
export async function refusedRows(db: LinliDb, rowIds: readonly string[]): Promise<Set<string>> {
  if (rowIds.length === 0) return new Set();
  return new Set((await db.failed.where('rowId').anyOf([...rowIds]).toArray()).map((f) => f.rowId));
}

export async function pointsBalance(volunteerId: string, db: LinliDb = localDb(), refused?: ReadonlySet<string>): Promise<number> {
  return (await pointsLedger(volunteerId, db, refused)).balance;
}

/** Confirmed hours between two days (inclusive), and the activities they came from. */
export async function confirmedInPeriod(
  volunteerId: string,
  from: string,
  to: string,
  db: LinliDb = localDb(),
): Promise<{ totalHours: number; activities: number; items: ServiceItem[] }> {
  const user = await db.getMeta('user');
  const [rows, records, settings] = await Promise.all([
    db.attendance.where('volunteerId').equals(volunteerId).filter(isLive).toArray(),
    db.serviceRecord.where('volunteerId').equals(volunteerId).filter(isLive).toArray(),
    teamSettings(db, user?.teamId ?? ''),
  ]);
  const inPeriod = rows.filter((r) => (r.date ?? '') >= from && (r.date ?? '') <= to);
  const items = (await serviceItems(db, inPeriod, standing(records), settings.hoursRoundingMinutes))
    .filter((it) => (it.confirmed?.hours ?? 0) > 0)
    .sort((a, b) => a.attendance.date.localeCompare(b.attendance.date));
  const totalHours = Math.round(items.reduce((n, it) => n + it.confirmed!.hours, 0) * 100) / 100;
  return { totalHours, activities: items.length, items };
}

export interface VolunteerHours {
  volunteer: Volunteer;
  /** Confirmed hours in the period, and in all (for the star level). */
  periodHours: number;
  totalHours: number;
  stars: number;
  balance: number;
  /** Checked out, not yet confirmed. */
  awaiting: number;
}

/** The coordinator's table: each volunteer's confirmed hours in a period and in all, star level, points balance. */
export async function hoursByVolunteer(from: string, to: string, db: LinliDb = localDb()): Promise<VolunteerHours[]> {
  const [people, attendances, records, redemptions] = await Promise.all([
    roster(db),
    db.attendance.filter(isLive).toArray(),
    db.serviceRecord.filter(isLive).toArray(),
    db.redemption.filter(isLive).toArray(),
  ]);
  const latest = standing(records);
  const out = new Map(people.map((v) => [v.id, { volunteer: v, periodHours: 0, totalHours: 0, stars: 0, balance: 0, awaiting: 0 }]));
  for (const r of latest.values()) {
    const row = out.get(r.volunteerId);
    if (!row) continue;
    row.totalHours += r.hours;
    row.balance += r.points;
    if (r.date >= from && r.date <= to) row.periodHours += r.hours;
  }
  for (const a of attendances) {
    const row = out.get(a.volunteerId ?? '');
    if (row && a.checkOutAt && !latest.has(a.id)) row.awaiting++;
  }
  const refused = await refusedRows(db, redemptions.map((r) => r.id));
  for (const x of redemptions) {
    const row = out.get(x.volunteerId ?? '');
    if (row && !refused.has(x.id)) row.balance -= x.points ?? 0;
  }
  for (const row of out.values()) row.stars = starLevel(row.totalHours).stars;
  return [...out.values()];
}

export function observeHoursByVolunteer(from: string, to: string): Observable<VolunteerHours[]> {
  return liveQuery(() => hoursByVolunteer(from, to));
}

export interface DayAttendance {
  date: string;
  /** Checked in and not out: the end-of-day reminder. */
  stillIn: { volunteer: Volunteer; attendance: Attendance; activity: Activity }[];
  /** Checked out, awaiting a coordinator's confirmation (any day). */
  awaiting: { volunteer: Volunteer; attendance: Attendance; activity: Activity; hours: number }[];
  checkedIn: number;
}

/** A day's attendance for the coordinator: who is still checked in, and what hours await confirmation. */
export async function dayAttendance(date: string, db: LinliDb = localDb()): Promise<DayAttendance> {
  const user = await db.getMeta('user');
  const [attendances, records, settings, people] = await Promise.all([
    db.attendance.filter(isLive).toArray(),
    db.serviceRecord.filter(isLive).toArray(),
    teamSettings(db, user?.teamId ?? ''),
    roster(db),
  ]);
  const confirmed = new Set(records.map((r) => r.attendanceId));
  const byId = new Map(people.map((v) => [v.id, v]));
  const activities = await activitiesOf(
    db,
    attendances.map((a) => a.eventId ?? ''),
  );
  const out: DayAttendance = { date, stillIn: [], awaiting: [], checkedIn: 0 };
  for (const row of attendances) {
    const volunteer = byId.get(row.volunteerId ?? '');
    if (!volunteer || !row.checkInAt) continue;
    const attendance = asAttendance(row);
    const activity = activities.get(attendance.eventId) ?? NO_ACTIVITY(attendance.eventId);
    if (attendance.date === date) out.checkedIn++;
    if (!attendance.checkOutAt) {
      if (attendance.date <= date) out.stillIn.push({ volunteer, attendance, activity });
    } else if (!confirmed.has(attendance.id)) {
      const hours = attendance.adjustedHours ?? serviceHours(attendance.checkInAt, attendance.checkOutAt, settings.hoursRoundingMinutes);
      out.awaiting.push({ volunteer, attendance, activity, hours });
    }
  }
  out.awaiting.sort((a, b) => a.attendance.date.localeCompare(b.attendance.date));
  return out;
}

export function observeDayAttendance(date: string): Observable<DayAttendance> {
  return liveQuery(() => dayAttendance(date));
}

export interface CertificateView {
  certificate: Certificate;
  volunteer: Volunteer | null;
  items: ServiceItem[];
  /** Verifiable by its QR code once synced. */
  sync: RowSync;
}

/** Certificates to print, with each one's activities in its period (as this phone holds them). */
export async function certificatesToPrint(ids: readonly string[], db: LinliDb = localDb()): Promise<CertificateView[]> {
  const rows = await db.certificate.bulkGet([...ids]);
  const sync = await rowSyncStates(db, [...ids]);
  const out: CertificateView[] = [];
  for (const row of rows) {
    if (!row) continue;
    const certificate = withDefaults('certificate', localFields(row));
    const v = await db.volunteer.get(certificate.volunteerId);
    const { items } = await confirmedInPeriod(certificate.volunteerId, certificate.from, certificate.to, db);
    out.push({ certificate, volunteer: v ? asVolunteer(v) : null, items, sync: sync.get(certificate.id) ?? 'synced' });
  }
  return out;
}

export function observeCertificates(ids: readonly string[]): Observable<CertificateView[]> {
  return liveQuery(() => certificatesToPrint(ids));
}
