/**
 * The building blocks every record schema is made of: bounded text, ids, dates, instants,
 * money in fen, and the fields every record carries. Error messages are catalogue keys
 * (`v.*`), translated where they are shown.
 */
import * as z from 'zod/mini';

/**
 * A NUL or half of a surrogate pair: no database stores them as text (PostgreSQL refuses the
 * statement), and no one types them. Text holding one is refused where it arrives.
 */
// eslint-disable-next-line no-control-regex -- the NUL is what it finds
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
export function storable(s: string): boolean {
  return !UNSTORABLE.test(s);
}

export const text = (max: number) => z.string().check(z.maxLength(max, 'v.tooLong'), z.refine(storable, 'v.badChar'));
export const requiredText = (max: number) =>
  z.string().check(z.trim(), z.minLength(1, 'v.required'), z.maxLength(max, 'v.tooLong'), z.refine(storable, 'v.badChar'));
export const idSchema = z.string().check(z.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'v.id'));
/** YYYY-MM-DD naming a day that exists (no 2026-02-30). */
export const dateSchema = z.string().check(z.refine(isRealDate, 'v.date'));
export const instantSchema = z.string().check(z.regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$/, 'v.instant'));
export const fen = z.int('v.integer').check(z.gte(0, 'v.notNegative'), z.lte(100_000_000, 'v.tooBig'));
/** Digits, spaces, + and -: what people write a phone number with; empty when unknown. */
export const phoneSchema = z.string().check(z.regex(/^[0-9+\- ]{0,20}$/, 'v.phone'));

export function isRealDate(s: string): boolean {
  if (!/^\d{4}-\d\d-\d\d$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Fields every record has. `deleted` is a tombstone with its own clock, never a row removal. */
export const baseFields = {
  id: idSchema,
  teamId: idSchema,
  createdAt: instantSchema,
  createdBy: idSchema,
  updatedAt: instantSchema,
  deleted: z.boolean(),
};
