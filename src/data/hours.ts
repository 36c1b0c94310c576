/**
 * Volunteers and their attendance on the phone (shared/hours.ts): the team's roster, with
 * the same-phone warning, and an event's sign-in sheet — who is checked in, who has left,
 * how many hours each by the team's rounding rule — from the phone's own rows, offline.
 */
import { liveQuery } from 'dexie';
import { phoneDigits } from '../shared/address.ts';
import { serviceHours, type Attendance, type ServiceRecord, type Volunteer } from '../shared/hours.ts';
import { withDefaults } from '../shared/record-defaults.ts';
import { localDb, type LinliDb } from './db.ts';
import type { Observable } from './observable.ts';
import { localFields } from './records.ts';
import { isLive, rowSyncStates, type RowSync } from './row-sync.ts';
import { teamSettings } from './team-settings.ts';

export type { Attendance, ServiceRecord, Volunteer };

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

/** Confirmations in the order they were made: the last stands. */
function byRecordedOrder(a: ServiceRecord, b: ServiceRecord): number {
  return a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
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

export interface ServiceItem {
  attendance: Attendance;
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
}

/**
 * The signed-in volunteer's own service (我的服务), from the phone's rows: their roster entry
 * (linked to the account by a coordinator), every activity with its date, place and hours,
 * and the confirmed totals. Only confirmed hours count.
 */
export async function myService(year: string, db: LinliDb = localDb()): Promise<MyService> {
  const user = await db.getMeta('user');
  const entry = user ? await db.volunteer.filter((v) => isLive(v) && v.userId === user.id).first() : undefined;
  if (!entry) return { volunteer: null, items: [], total: 0, thisYear: 0, awaiting: 0 };
  const volunteer = asVolunteer(entry);
  const [rows, records, settings] = await Promise.all([
    db.attendance.where('volunteerId').equals(volunteer.id).filter(isLive).toArray(),
    db.serviceRecord.where('volunteerId').equals(volunteer.id).filter(isLive).toArray(),
    teamSettings(db, user?.teamId ?? ''),
  ]);
  const latest = new Map<string, ServiceRecord>();
  for (const r of records.map((x) => withDefaults('serviceRecord', localFields(x))).sort(byRecordedOrder)) latest.set(r.attendanceId, r);
  const events = await db.repairEvent.bulkGet(rows.map((r) => r.eventId ?? ''));
  const items = rows
    .map((r, i) => {
      const attendance = asAttendance(r);
      return {
        attendance,
        eventTitle: events[i]?.title ?? '',
        site: events[i]?.site ?? '',
        hours: serviceHours(attendance.checkInAt, attendance.checkOutAt, settings.hoursRoundingMinutes),
        confirmed: latest.get(attendance.id) ?? null,
      };
    })
    .sort((a, b) => b.attendance.date.localeCompare(a.attendance.date));
  const sum = (list: ServiceItem[]) => list.reduce((n, it) => n + (it.confirmed?.hours ?? 0), 0);
  return {
    volunteer,
    items,
    total: sum(items),
    thisYear: sum(items.filter((it) => it.attendance.date.startsWith(year))),
    awaiting: items.filter((it) => it.attendance.checkOutAt && !it.confirmed).length,
  };
}

export function observeMyService(year: string): Observable<MyService> {
  return liveQuery(() => myService(year));
}
