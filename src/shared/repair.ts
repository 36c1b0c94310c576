/**
 * Repair days (乐修匠, DOMAIN.md): the repair event and the repair ticket — their schemas, the
 * ORDS-aligned outcomes and barriers, and the moves a ticket may make from each status. Fees
 * are in `repair-fees.ts`, impact factors in `repair-impact.ts`, a day's figures in
 * `repair-summary.ts`.
 */
import * as z from 'zod/mini';
import { baseFields, dateSchema, fen, idSchema, phoneSchema, requiredText, text } from './schema-kit.ts';
import { FEE_TIERS } from './repair-fees.ts';
import { REPAIR_CATEGORY_KEYS } from './repair-impact.ts';

export const REPAIR_EVENT_STATUSES = ['planned', 'open', 'closed'] as const;
/**
 * What a team's activity is: a repair day, or — for the sign-in sheet and volunteers' hours —
 * a visiting round (走访), a health-check day (健康日) or another activity.
 */
export const EVENT_KINDS = ['repair', 'visits', 'health', 'other'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const repairEventSchema = z.strictObject({
  ...baseFields,
  kind: z.enum(EVENT_KINDS, 'v.choice'),
  title: requiredText(100),
  date: dateSchema,
  site: requiredText(200),
  status: z.enum(REPAIR_EVENT_STATUSES, 'v.choice'),
  /** For the summary: how many volunteers worked the day, and their hours in total. */
  volunteerCount: z.int('v.integer').check(z.gte(0, 'v.notNegative'), z.lte(1000, 'v.tooBig')),
  volunteerHours: z.number('v.number').check(z.gte(0, 'v.notNegative'), z.lte(10_000, 'v.tooBig')),
});
export type RepairEvent = z.infer<typeof repairEventSchema>;

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
/** `B-017` at a repair day; `H-B-003` for a home repair (上门维修), so the two never read alike. */
export const TICKET_NUMBER_RE = /^(H-)?[A-Z]{1,3}-\d{3,5}$/;
export const HOME_TICKET_PREFIX = 'H-';

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

export type TicketMoveLabel =
  'ticket.take' | 'ticket.markDone' | 'ticket.markCollected' | 'ticket.cancel' | 'ticket.markNoShow' | 'ticket.reopen';
export interface TicketMove {
  to: TicketStatus;
  label: TicketMoveLabel;
  /** The move the table takes most often from here: the big button. */
  primary?: boolean;
}

/**
 * The one-tap moves from each status: take it in hand, finish, hand back, or set aside
 * (cancelled, never came back) — and back to waiting from a move taken by mistake.
 */
export const TICKET_MOVES: Record<TicketStatus, readonly TicketMove[]> = {
  waiting: [
    { to: 'repairing', label: 'ticket.take', primary: true },
    { to: 'noShow', label: 'ticket.markNoShow' },
    { to: 'cancelled', label: 'ticket.cancel' },
  ],
  repairing: [
    { to: 'done', label: 'ticket.markDone', primary: true },
    { to: 'waiting', label: 'ticket.reopen' },
  ],
  done: [{ to: 'collected', label: 'ticket.markCollected', primary: true }],
  collected: [],
  cancelled: [{ to: 'waiting', label: 'ticket.reopen' }],
  noShow: [{ to: 'waiting', label: 'ticket.reopen' }],
};
