/**
 * The record types that sync, one zod schema each (zod/mini: the same schemas serve the
 * phone, where bundle size matters, and the server, which re-parses every mutation).
 *
 * A record travels as a map of fields. Every mutation carries only the fields it changed,
 * so the server validates each field it receives against the record's schema made partial;
 * a complete record is what the device's form builds before it saves.
 *
 * Error messages are catalogue keys (`v.*`), translated where they are shown.
 */
import * as z from 'zod/mini';

const text = (max: number) => z.string().check(z.maxLength(max, 'v.tooLong'));
const requiredText = (max: number) =>
  z.string().check(z.trim(), z.minLength(1, 'v.required'), z.maxLength(max, 'v.tooLong'));
export const idSchema = z.string().check(z.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'v.id'));
/** YYYY-MM-DD naming a day that exists (no 2026-02-30). */
export const dateSchema = z.string().check(z.refine(isRealDate, 'v.date'));
export const instantSchema = z.string().check(z.regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$/, 'v.instant'));
const fen = z.int('v.integer').check(z.gte(0, 'v.notNegative'), z.lte(100_000_000, 'v.tooBig'));

function isRealDate(s: string): boolean {
  if (!/^\d{4}-\d\d-\d\d$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Fields every record has. `deleted` is a tombstone with its own clock, never a row removal. */
const baseFields = {
  id: idSchema,
  teamId: idSchema,
  createdAt: instantSchema,
  createdBy: idSchema,
  updatedAt: instantSchema,
  deleted: z.boolean(),
};

export const REPAIR_EVENT_STATUSES = ['planned', 'open', 'closed'] as const;
export const repairEventSchema = z.strictObject({
  ...baseFields,
  title: requiredText(100),
  date: dateSchema,
  site: requiredText(200),
  status: z.enum(REPAIR_EVENT_STATUSES, 'v.choice'),
});
export type RepairEvent = z.infer<typeof repairEventSchema>;

export const TICKET_STATUSES = ['waiting', 'repairing', 'done', 'collected', 'cancelled'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TICKET_MODES = ['event', 'home'] as const;
/** `B-017`: the device's letter(s), a dash, a counter — written on the paper tag. */
export const TICKET_NUMBER_RE = /^[A-Z]{1,3}-\d{3,5}$/;

export const repairTicketSchema = z.strictObject({
  ...baseFields,
  eventId: z.nullable(idSchema),
  householdId: z.nullable(idSchema),
  mode: z.enum(TICKET_MODES, 'v.choice'),
  number: z.string().check(z.regex(TICKET_NUMBER_RE, 'v.ticketNumber')),
  category: requiredText(40),
  item: text(100),
  brand: text(60),
  model: text(60),
  problem: requiredText(1000),
  residentName: text(60),
  residentPhone: z.string().check(z.regex(/^[0-9+\- ]{0,20}$/, 'v.phone')),
  status: z.enum(TICKET_STATUSES, 'v.choice'),
  notes: text(2000),
  feeFen: fen,
});
export type RepairTicket = z.infer<typeof repairTicketSchema>;

export const RECORD_SCHEMAS = {
  repairEvent: repairEventSchema,
  repairTicket: repairTicketSchema,
} as const;
export type RecordType = keyof typeof RECORD_SCHEMAS;
export const RECORD_TYPES = Object.keys(RECORD_SCHEMAS) as RecordType[];
export interface RecordOf {
  repairEvent: RepairEvent;
  repairTicket: RepairTicket;
}

export function isRecordType(t: unknown): t is RecordType {
  return typeof t === 'string' && Object.hasOwn(RECORD_SCHEMAS, t);
}

/** The fields a mutation may carry for a type: any subset, each valid, no unknown keys. */
const PARTIAL_SCHEMAS = {
  repairEvent: z.partial(repairEventSchema),
  repairTicket: z.partial(repairTicketSchema),
} as const;

export function partialSchema(type: RecordType) {
  return PARTIAL_SCHEMAS[type];
}
