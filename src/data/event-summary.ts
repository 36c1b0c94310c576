/**
 * A repair day's figures on the phone, offline: its tickets summed as the server sums them
 * (`shared/repair-summary.ts`), its volunteers and hours from its sign-in sheet when anyone
 * checked in. Read by the event's screen only, so apart from the first screen's code.
 */
import { liveQuery } from 'dexie';
import { summarizeRepairs, type RepairSummary } from '../shared/repair-summary.ts';
import { DEFAULT_ROUNDING_MINUTES, sheetTotals } from '../shared/service-hours.ts';
import { localDb, type LinliDb } from './db.ts';
import type { Observable } from './observable.ts';
import { asEvent, asTicket } from './repair.ts';
import { isLive } from './row-sync.ts';

/** The day's figures for an event, from the tickets on this phone — works offline. */
export function observeEventSummary(eventId: string): Observable<RepairSummary | null> {
  return liveQuery(() => eventSummary(eventId));
}

export async function eventSummary(eventId: string, db: LinliDb = localDb()): Promise<RepairSummary | null> {
  const row = await db.repairEvent.get(eventId);
  if (!row || !isLive(row)) return null;
  const tickets = (await db.repairTicket.where('eventId').equals(eventId).toArray()).map(asTicket);
  return summarizeRepairs(tickets, asEvent(row), await eventSheet(db, eventId));
}

/** The event's sign-in sheet as the summary counts it: each attendance with its standing confirmation's hours. */
async function eventSheet(db: LinliDb, eventId: string): Promise<{ volunteers: number; hours: number }> {
  const attendances = (await db.attendance.where('eventId').equals(eventId).toArray()).filter(isLive);
  if (attendances.length === 0) return { volunteers: 0, hours: 0 };
  const records = (await db.serviceRecord.where('attendanceId').anyOf(attendances.map((a) => a.id)).toArray()).filter(isLive);
  const standing = new Map<string, { at: string; id: string; hours: number }>();
  for (const r of records) {
    const before = standing.get(r.attendanceId ?? '');
    const at = r.createdAt ?? '';
    if (!before || at > before.at || (at === before.at && r.id > before.id)) standing.set(r.attendanceId ?? '', { at, id: r.id, hours: r.hours ?? 0 });
  }
  const user = await db.getMeta('user');
  const settings = user ? await db.teamSettings.get(user.teamId) : undefined;
  const entries = attendances.map((a) => ({
    checkInAt: a.checkInAt ?? null,
    checkOutAt: a.checkOutAt ?? null,
    adjustedHours: a.adjustedHours ?? null,
    confirmedHours: standing.get(a.id)?.hours ?? null,
  }));
  return sheetTotals(entries, settings?.hoursRoundingMinutes ?? DEFAULT_ROUNDING_MINUTES);
}

