/**
 * Volunteers and their attendance on the phone (shared/hours.ts): the team's roster, with
 * the same-phone warning, and an event's sign-in sheet — who is checked in, who has left,
 * how many hours each by the team's rounding rule — from the phone's own rows, offline.
 */
import { liveQuery } from 'dexie';
import { phoneDigits } from '../shared/address.ts';
import { serviceHours, type Attendance, type Volunteer } from '../shared/hours.ts';
import { withDefaults } from '../shared/record-defaults.ts';
import { localDb, type LinliDb } from './db.ts';
import type { Observable } from './observable.ts';
import { localFields } from './records.ts';
import { isLive, rowSyncStates, type RowSync } from './row-sync.ts';
import { teamSettings } from './team-settings.ts';

export type { Attendance, Volunteer };

export interface SheetRow {
  volunteer: Volunteer;
  attendance: Attendance | null;
  hours: number;
  sync: RowSync | null;
}

export interface SignInSheet {
  rows: SheetRow[];
  checkedIn: number;
  stillIn: number;
  totalHours: number;
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
    return { volunteer, attendance, hours, sync: attendance ? (sync.get(attendance.id) ?? 'synced') : null };
  });
  const rank = (r: SheetRow) => (!r.attendance?.checkInAt ? 2 : r.attendance.checkOutAt ? 1 : 0);
  sheet.sort((a, b) => rank(a) - rank(b));
  return {
    rows: sheet,
    checkedIn: sheet.filter((r) => r.attendance?.checkInAt).length,
    stillIn: sheet.filter((r) => r.attendance?.checkInAt && !r.attendance.checkOutAt).length,
    totalHours: sheet.reduce((n, r) => n + r.hours, 0),
    roundingMinutes,
  };
}

export function observeSignInSheet(eventId: string): Observable<SignInSheet> {
  return liveQuery(() => signInSheet(eventId));
}
