/**
 * Hours served by the check-in and check-out times and the team's rounding rule, and an
 * activity's totals from its sign-in sheet — apart from the schemas (`hours.ts`) so that a
 * repair day's summary, on the phone's first screens, works them out without loading zod.
 */

/** How hours are rounded: down to this many minutes (the team's rule; 30 = to the half hour). */
export const DEFAULT_ROUNDING_MINUTES = 30;
export const ROUNDING_CHOICES = [15, 30, 60] as const;

/**
 * Hours between check-in and check-out, rounded down to the rule's step: service not given is
 * not recorded (the regulation asks that hours be true), so 1 h 50 min at the half hour is
 * 1.5 h. No check-out, or one before the check-in, gives none.
 */
export function serviceHours(
  checkInAt: string | null,
  checkOutAt: string | null,
  roundingMinutes: number = DEFAULT_ROUNDING_MINUTES,
): number {
  if (!checkInAt || !checkOutAt) return 0;
  const minutes = (Date.parse(checkOutAt) - Date.parse(checkInAt)) / 60_000;
  if (!(minutes > 0)) return 0;
  const step = roundingMinutes > 0 ? roundingMinutes : DEFAULT_ROUNDING_MINUTES;
  return (Math.floor(minutes / step) * step) / 60;
}

/** What an activity's summary takes from its sign-in sheet. */
export interface SheetEntry {
  checkInAt: string | null;
  checkOutAt: string | null;
  adjustedHours: number | null;
  /** The standing confirmation's hours, if confirmed. */
  confirmedHours: number | null;
}

/**
 * An activity's volunteers and hours from its attendance: everyone checked in, and their
 * hours — confirmed where confirmed, else the lead's adjustment, else by the times.
 */
export function sheetTotals(entries: readonly SheetEntry[], roundingMinutes: number): { volunteers: number; hours: number } {
  let volunteers = 0;
  let hours = 0;
  for (const e of entries) {
    if (!e.checkInAt) continue;
    volunteers++;
    hours += e.confirmedHours ?? e.adjustedHours ?? serviceHours(e.checkInAt, e.checkOutAt, roundingMinutes);
  }
  return { volunteers, hours: Math.round(hours * 100) / 100 };
}
