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

function hoursSchema() {
  return z.number('v.number').check(z.gte(0, 'v.notNegative'), z.lte(24, 'v.tooBig'), z.multipleOf(0.25, 'v.quarterHours'));
}

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
  /**
   * The day's lead's adjustment (time away from the site, a late check-out tap), with its
   * reason: what the coordinator is shown to confirm. Travel is never counted — check-in is
   * on arrival, check-out on leaving.
   */
  adjustedHours: z.nullable(hoursSchema()),
  adjustReason: text(200),
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
  hours: hoursSchema(),
  reason: text(200),
  /** Points earned (公益积分), by the team's rule in force on the activity's day — the server's figure. */
  points: z.int('v.integer').check(z.gte(0, 'v.notNegative'), z.lte(100_000, 'v.tooBig')),
  /** The rule (a `pointsRule` version) the points were worked out by; null when the team has none. */
  pointsRuleId: z.nullable(idSchema),
  /** The earlier record this one corrects. */
  corrects: z.nullable(idSchema),
  /** Who confirmed, from the session. */
  confirmedBy: text(60),
});
export type ServiceRecord = z.infer<typeof serviceRecordSchema>;

export { DEFAULT_ROUNDING_MINUTES, ROUNDING_CHOICES, serviceHours } from './service-hours.ts';

/** Cumulative hours for one to five stars (一星级 … 五星级 志愿者), as the regulation grades them. */
export const STAR_HOURS = [100, 300, 600, 1000, 1500] as const;

/** The star level of so many confirmed hours, and how many hours to the next (null at five stars). */
export function starLevel(hours: number): { stars: number; next: number | null; toNext: number | null } {
  const stars = STAR_HOURS.filter((h) => hours >= h).length;
  const next = STAR_HOURS[stars] ?? null;
  return { stars, next, toNext: next === null ? null : Math.round((next - hours) * 100) / 100 };
}

/**
 * The team's points rule (积分规则), one version per row: so many points per confirmed hour
 * from a day on. A fact — a new rule is a new version, so hours confirmed before keep the
 * points they earned.
 */
export const pointsRuleSchema = z.strictObject({
  ...baseFields,
  pointsPerHour: z.int('v.integer').check(z.gte(0, 'v.notNegative'), z.lte(1000, 'v.tooBig')),
  effectiveFrom: dateSchema,
  note: text(200),
});
export type PointsRule = z.infer<typeof pointsRuleSchema>;

/** A redemption (兑换) at the charity shop: points spent, on what. The server refuses one that would overdraw. */
export const redemptionSchema = z.strictObject({
  ...baseFields,
  volunteerId: idSchema,
  points: z.int('v.integer').check(z.gte(1, 'v.positive'), z.lte(100_000, 'v.tooBig')),
  item: requiredText(100),
  at: instantSchema,
  /** Who recorded it, from the session. */
  byName: text(60),
});
export type Redemption = z.infer<typeof redemptionSchema>;

/**
 * A certificate issued (志愿服务证明): whose, for which period, its serial (named by its id,
 * so a phone issues one offline), and the total the server worked out from the confirmed
 * hours it holds — what the public verification page (`/verify/<serial>`) shows.
 */
export const certificateSchema = z.strictObject({
  ...baseFields,
  volunteerId: idSchema,
  from: dateSchema,
  to: dateSchema,
  serial: requiredText(20),
  /** Confirmed hours in the period, and how many activities: the server's figures. */
  totalHours: z.number('v.number').check(z.gte(0, 'v.notNegative'), z.lte(100_000, 'v.tooBig')),
  activities: z.int('v.integer').check(z.gte(0, 'v.notNegative'), z.lte(100_000, 'v.tooBig')),
  /** Who issued it, from the session. */
  byName: text(60),
});
export type Certificate = z.infer<typeof certificateSchema>;

/** The rule in force on a day: the latest version whose day has come (by day, then by when recorded). */
export function ruleInForce<R extends Pick<PointsRule, 'effectiveFrom' | 'createdAt' | 'id' | 'deleted'>>(
  rules: readonly R[],
  date: string,
): R | null {
  let best: R | null = null;
  for (const r of rules) {
    if (r.deleted || r.effectiveFrom > date) continue;
    if (
      !best ||
      r.effectiveFrom > best.effectiveFrom ||
      (r.effectiveFrom === best.effectiveFrom && (r.createdAt > best.createdAt || (r.createdAt === best.createdAt && r.id > best.id)))
    )
      best = r;
  }
  return best;
}

/** Points for so many hours by a rule: whole points, rounded down (a rule of 10 per hour gives 15 for 1.5 h). */
export function pointsFor(hours: number, rule: Pick<PointsRule, 'pointsPerHour'> | null): number {
  return rule ? Math.floor(hours * rule.pointsPerHour + 1e-9) : 0;
}

/** Of an attendance's confirmations, the one that stands: the last recorded. */
export function byRecordedOrder(a: Pick<ServiceRecord, 'createdAt' | 'id'>, b: Pick<ServiceRecord, 'createdAt' | 'id'>): number {
  return a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A certificate's serial from its id: `ZM` + the year + ten letters from the id's random
 * part (50 bits, Crockford base 32: no I, L, O, U to misread). A phone names it offline; the
 * server checks it is its id's.
 */
export function certificateSerial(id: string, year: string): string {
  const hex = id.replace(/-/g, '').slice(-13);
  let n = BigInt(`0x${hex}`) & ((1n << 50n) - 1n);
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[Number(n & 31n)]! + out;
    n >>= 5n;
  }
  return `ZM${year}${out}`;
}

/** A name with its middle hidden, for the public page: 张三 → 张*, 张小明 → 张*明, 欧阳小明 → 欧**明. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return chars.length ? '*' : '';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars.at(-1)}`;
}

/** What a volunteer's personal QR code holds: their roster entry's id, under Linli's prefix. */
export const VOLUNTEER_QR_PREFIX = 'LINLI-V:';
/** How many letters of a roster entry's id its short code is (the random end of a UUIDv7: 24 bits). */
export const SHORT_CODE_LENGTH = 6;

export function volunteerQrText(volunteerId: string): string {
  return `${VOLUNTEER_QR_PREFIX}${volunteerId}`;
}

/** The short code a volunteer reads out when no camera works: the last six letters of their id. */
export function shortCode(volunteerId: string): string {
  return volunteerId.replace(/-/g, '').slice(-SHORT_CODE_LENGTH).toUpperCase();
}

/** A scanned or typed code: a whole id (from the QR code), a short code, or nothing Linli made. */
export function readVolunteerCode(text: string): { id: string } | { short: string } | null {
  const t = text.trim();
  if (t.startsWith(VOLUNTEER_QR_PREFIX)) {
    const id = t.slice(VOLUNTEER_QR_PREFIX.length).toLowerCase();
    return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id) ? { id } : null;
  }
  const short = t.replace(/[\s-]/g, '').toUpperCase();
  return /^[0-9A-F]{6}$/.test(short) ? { short } : null;
}

/** The roster entries a code names: one for a QR code; one, rarely more, for a short code. */
export function volunteersByCode<V extends { id: string }>(roster: readonly V[], code: { id: string } | { short: string }): V[] {
  return 'id' in code ? roster.filter((v) => v.id === code.id) : roster.filter((v) => shortCode(v.id) === code.short);
}
