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
import { baseFields, dateSchema, fen, idSchema, phoneSchema, requiredText, text } from './schema-kit.ts';
import { healthCheckSchema, healthThresholdsSchema, type HealthCheck, type HealthThresholds } from './health.ts';
import { householdSchema, residentSchema, type Household, type Resident } from './household.ts';
import { needLogSchema, needSchema, type Need, type NeedLog } from './need.ts';
import { visitSchema, type Visit } from './visit.ts';
import { FEE_TIERS } from './repair-fees.ts';
import { REPAIR_CATEGORY_KEYS } from './repair-impact.ts';

export { idSchema, dateSchema, instantSchema } from './schema-kit.ts';

export const REPAIR_EVENT_STATUSES = ['planned', 'open', 'closed'] as const;
export const repairEventSchema = z.strictObject({
  ...baseFields,
  title: requiredText(100),
  date: dateSchema,
  site: requiredText(200),
  status: z.enum(REPAIR_EVENT_STATUSES, 'v.choice'),
  /** For the summary: how many volunteers worked the day, and their hours in total. */
  volunteerCount: z.int('v.integer').check(z.gte(0, 'v.notNegative'), z.lte(1000, 'v.tooBig')),
  volunteerHours: z.number('v.number').check(z.gte(0, 'v.notNegative'), z.lte(10_000, 'v.tooBig')),
});
export type RepairEvent = z.infer<typeof repairEventSchema>;

export type { HealthCheck, HealthThresholds, Household, Need, NeedLog, Resident, Visit };

export const TICKET_STATUSES = ['waiting', 'repairing', 'done', 'collected', 'cancelled', 'noShow'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TICKET_MODES = ['event', 'home'] as const;
/** ORDS v0.3 repair_status, in our spelling (`ORDS_STATUS` in the export maps them). */
export const REPAIR_OUTCOMES = ['fixed', 'repairable', 'endOfLife', 'unknown'] as const;
export type RepairOutcome = (typeof REPAIR_OUTCOMES)[number];
/** ORDS v0.3 repair_barrier_if_end_of_life. */
export const REPAIR_BARRIERS = [
  'partsUnavailable',
  'partsTooExpensive',
  'cannotOpen',
  'noInformation',
  'lackOfEquipment',
  'tooWornOut',
] as const;
export type RepairBarrier = (typeof REPAIR_BARRIERS)[number];
export const REPAIR_NEXT_STEPS = ['needsPart', 'comeBack', 'professional'] as const;
export type RepairNextStep = (typeof REPAIR_NEXT_STEPS)[number];
/** `B-017`: the device's letter(s), a dash, a counter — written on the paper tag. */
export const TICKET_NUMBER_RE = /^[A-Z]{1,3}-\d{3,5}$/;

export const repairTicketSchema = z.strictObject({
  ...baseFields,
  eventId: z.nullable(idSchema),
  householdId: z.nullable(idSchema),
  /** The visit's need this home repair came from (上门维修), linked both ways. */
  needId: z.nullable(idSchema),
  mode: z.enum(TICKET_MODES, 'v.choice'),
  number: z.string().check(z.regex(TICKET_NUMBER_RE, 'v.ticketNumber')),
  category: z.enum(REPAIR_CATEGORY_KEYS, 'v.choice'),
  item: text(100),
  brand: text(60),
  model: text(60),
  /** Approximate age in years, for ORDS product_age. */
  ageYears: z.nullable(z.number('v.number').check(z.gte(0, 'v.notNegative'), z.lte(150, 'v.tooBig'))),
  /** Estimated weight, asked for the miscellaneous categories only. */
  weightKg: z.nullable(z.number('v.number').check(z.gt(0, 'v.positive'), z.lte(500, 'v.tooBig'))),
  problem: requiredText(1000),
  residentName: text(60),
  residentPhone: phoneSchema,
  status: z.enum(TICKET_STATUSES, 'v.choice'),
  outcome: z.nullable(z.enum(REPAIR_OUTCOMES, 'v.choice')),
  barrier: z.nullable(z.enum(REPAIR_BARRIERS, 'v.choice')),
  nextStep: z.nullable(z.enum(REPAIR_NEXT_STEPS, 'v.choice')),
  notes: text(2000),
  partsUsed: text(500),
  repairedBy: text(100),
  feeTier: z.enum(FEE_TIERS, 'v.choice'),
  materialsFen: fen,
  /** What the resident is charged. */
  feeFen: fen,
  /** What the community fund pays. */
  subsidyFen: fen,
  /** Why the charge differs from the tier's proposal. */
  feeReason: text(200),
  /** The impact factor set this ticket is judged with (`repair-impact.ts`). */
  factorSet: text(40),
});
export type RepairTicket = z.infer<typeof repairTicketSchema>;

export { isRecordType, RECORD_DEFAULTS, RECORD_TYPES, REPAIR_EVENT_DEFAULTS, REPAIR_TICKET_DEFAULTS, withDefaults } from './defaults.ts';

export const RECORD_SCHEMAS = {
  repairEvent: repairEventSchema,
  repairTicket: repairTicketSchema,
  household: householdSchema,
  resident: residentSchema,
  visit: visitSchema,
  need: needSchema,
  needLog: needLogSchema,
  healthCheck: healthCheckSchema,
  healthThresholds: healthThresholdsSchema,
} as const;
export type RecordType = keyof typeof RECORD_SCHEMAS;
export interface RecordOf {
  repairEvent: RepairEvent;
  repairTicket: RepairTicket;
  household: Household;
  resident: Resident;
  visit: Visit;
  need: Need;
  needLog: NeedLog;
  healthCheck: HealthCheck;
  healthThresholds: HealthThresholds;
}

/** The fields a mutation may carry for a type: any subset, each valid, no unknown keys. */
const PARTIAL_SCHEMAS = {
  repairEvent: z.partial(repairEventSchema),
  repairTicket: z.partial(repairTicketSchema),
  household: z.partial(householdSchema),
  resident: z.partial(residentSchema),
  visit: z.partial(visitSchema),
  need: z.partial(needSchema),
  needLog: z.partial(needLogSchema),
  healthCheck: z.partial(healthCheckSchema),
  healthThresholds: z.partial(healthThresholdsSchema),
} as const;

export function partialSchema(type: RecordType) {
  return PARTIAL_SCHEMAS[type];
}
