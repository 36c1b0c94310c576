/**
 * Volunteer service records (志愿服务记录, 民政部《志愿服务记录与证明出具办法（试行）》): the
 * team's roster of volunteers — apart from sign-in accounts, so a student who comes for one
 * afternoon is on it in a few taps — and attendance: who checked in and out of which
 * activity, when. One attendance per volunteer per activity: its id is named by the two
 * (`attendance-id.ts`), so two leads checking the same person in on two offline phones write
 * one row, not two. Hours are worked out from the times by the team's rounding rule.
 */
import * as z from 'zod/mini';
import { baseFields, dateSchema, idSchema, instantSchema, phoneSchema, requiredText, text } from './schema-kit.ts';

export const volunteerSchema = z.strictObject({
  ...baseFields,
  name: requiredText(60),
  /** Masked in lists; the duplicate warning compares its digits. */
  phone: phoneSchema,
  /** School or employer (a vocational college, a middle school's 少年乐修匠), optional. */
  org: text(100),
  /** The national volunteer system's number (全国志愿服务信息系统), where the volunteer has one. */
  volunteerNumber: text(40),
  /** The sign-in account, once a coordinator links one. */
  userId: z.nullable(idSchema),
  notes: text(200),
});
export type Volunteer = z.infer<typeof volunteerSchema>;

export const attendanceSchema = z.strictObject({
  ...baseFields,
  volunteerId: idSchema,
  /** The repair event attended. */
  eventId: idSchema,
  /** The activity's day in the team's calendar (the event's date). */
  date: dateSchema,
  checkInAt: z.nullable(instantSchema),
  checkOutAt: z.nullable(instantSchema),
});
export type Attendance = z.infer<typeof attendanceSchema>;

/**
 * Confirmed hours (确认): a coordinator's record that an attendance earned these hours — by
 * the times and the team's rule (`computedHours`), or adjusted with a reason. A fact: final
 * and never changed; a correction is a record of its own naming the one it corrects, with a
 * reason. The latest for an attendance is its hours.
 */
export const serviceRecordSchema = z.strictObject({
  ...baseFields,
  attendanceId: idSchema,
  volunteerId: idSchema,
  eventId: idSchema,
  date: dateSchema,
  /** The hours by the check-in and check-out times and the team's rounding rule, as the server works them out. */
  computedHours: z.number('v.number').check(z.gte(0, 'v.notNegative'), z.lte(24, 'v.tooBig')),
  /** The hours confirmed: the computed ones, or adjusted with a reason. */
  hours: z.number('v.number').check(z.gte(0, 'v.notNegative'), z.lte(24, 'v.tooBig'), z.multipleOf(0.25, 'v.quarterHours')),
  reason: text(200),
  /** The earlier record this one corrects. */
  corrects: z.nullable(idSchema),
  /** Who confirmed, from the session. */
  confirmedBy: text(60),
});
export type ServiceRecord = z.infer<typeof serviceRecordSchema>;

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

/** Cumulative hours for one to five stars (一星级 … 五星级 志愿者), as the regulation grades them. */
export const STAR_HOURS = [100, 300, 600, 1000, 1500] as const;

/** The star level of so many confirmed hours, and how many hours to the next (null at five stars). */
export function starLevel(hours: number): { stars: number; next: number | null; toNext: number | null } {
  const stars = STAR_HOURS.filter((h) => hours >= h).length;
  const next = STAR_HOURS[stars] ?? null;
  return { stars, next, toNext: next === null ? null : Math.round((next - hours) * 100) / 100 };
}
