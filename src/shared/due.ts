/**
 * When a household is next due for a visit: its interval after the last visit where someone
 * was met, or a follow-up asked for — calendar arithmetic with no time zone surprises.
 */

const DAY_MS = 86_400_000;

/** `2026-11-23` + 7 → `2026-11-30`, in calendar days (no time zone involved). */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  return new Date(d.getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole calendar days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** One formatter per zone: making one costs far more than using it (an export formats a day per row). */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day of an instant in a time zone (`Asia/Shanghai` for the server, the phone's own zone on the phone). */
export function localDay(instant: string | number | Date, timeZone?: string): string {
  const d = instant instanceof Date ? instant : new Date(instant);
  let format = dayFormats.get(timeZone ?? '');
  if (!format) {
    // en-CA formats as YYYY-MM-DD
    format = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', ...(timeZone ? { timeZone } : {}) });
    dayFormats.set(timeZone ?? '', format);
  }
  return format.format(d);
}

export interface DueInput {
  /** The household's own day of registration: a household never visited is due from then. */
  registeredOn: string;
  intervalDays: number;
  /** The day of the last visit where someone was met, if any. */
  lastMetOn: string | null;
  followUpOn: string | null;
}

export interface Due {
  /** The day the next routine visit is due. */
  dueOn: string;
  /** Days past `dueOn` at `today` (negative: not due yet). */
  overdueDays: number;
  /** A follow-up asked for is due (today or earlier). */
  followUpDue: boolean;
  /** Due today or earlier, by interval or follow-up. */
  isDue: boolean;
}

/**
 * When a household is next due. Only a visit where someone was met resets the clock: a
 * household where nobody answered is still due — that is when something may be wrong.
 */
export function dueState(input: DueInput, today: string): Due {
  const dueOn = input.lastMetOn ? addDays(input.lastMetOn, input.intervalDays) : input.registeredOn;
  const overdueDays = daysBetween(dueOn, today);
  const followUpDue = input.followUpOn !== null && input.followUpOn <= today;
  return { dueOn, overdueDays, followUpDue, isDue: overdueDays >= 0 || followUpDue };
}

/**
 * The day a household's next routine visit falls due, in the calendar of `timeZone` (the
 * phone's own when absent): its interval after the last visit where someone was met, or the
 * day it was registered; '' for a deleted or half-synced row.
 */
export function routineDueOn(
  h: { createdAt: string; visitIntervalDays: number; deleted: boolean },
  lastMetAt: string | null,
  timeZone?: string,
): string {
  if (h.deleted) return '';
  if (lastMetAt) return addDays(localDay(lastMetAt, timeZone), h.visitIntervalDays);
  return h.createdAt ? localDay(h.createdAt, timeZone) : '';
}

/** Today's work, most pressing first: follow-ups asked for, then the longest overdue. */
export function compareDue(a: Due, b: Due): number {
  if (a.followUpDue !== b.followUpDue) return a.followUpDue ? -1 : 1;
  return b.overdueDays - a.overdueDays;
}
