/**
 * Visits (走访): an append-only record of one knock on one door — two workers visiting the
 * same household offline make two visits, never one overwritten. When a household is next
 * due is in `due.ts`.
 */
import * as z from 'zod/mini';
import { baseFields, dateSchema, idSchema, instantSchema, text } from './schema-kit.ts';

export { addDays, compareDue, daysBetween, dueState, localDay, routineDueOn, type Due, type DueInput } from './due.ts';

export const VISIT_KINDS = ['routine', 'followUp', 'specialNeed', 'safetyCheck', 'health'] as const;
export type VisitKind = (typeof VISIT_KINDS)[number];
export const VISIT_OUTCOMES = ['met', 'notHome', 'declined'] as const;
export type VisitOutcome = (typeof VISIT_OUTCOMES)[number];
export const SAFETY_ITEMS = ['gas', 'wiring', 'smokeAlarm', 'walkways'] as const;
export type SafetyItem = (typeof SAFETY_ITEMS)[number];
export const SAFETY_RESULTS = ['notChecked', 'ok', 'problem'] as const;
const safety = z.enum(SAFETY_RESULTS, 'v.choice');

export const visitSchema = z.strictObject({
  ...baseFields,
  householdId: idSchema,
  /** When the door was knocked on. */
  at: instantSchema,
  /** Who visited, as their team knows them (createdBy holds the account). */
  byName: text(60),
  kind: z.enum(VISIT_KINDS, 'v.choice'),
  outcome: z.enum(VISIT_OUTCOMES, 'v.choice'),
  gas: safety,
  wiring: safety,
  smokeAlarm: safety,
  walkways: safety,
  /** What was seen. */
  notes: text(2000),
  /** A follow-up this visit asked for. */
  followUpOn: z.nullable(dateSchema),
  /** A fact is never edited; hiding it (deleted) says why, and the server keeps it and an audit line. */
  deletedReason: text(200),
});
export type Visit = z.infer<typeof visitSchema>;
