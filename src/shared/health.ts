/**
 * Health checks of elderly residents (DOMAIN.md): the check record and the team's thresholds
 * as a synced record. What a reading means — plausibility, flags, consent — is in
 * `health-rules.ts`, which needs no schema.
 */
import * as z from 'zod/mini';
import { baseFields, idSchema, instantSchema, text } from './schema-kit.ts';
import {
  FALLS,
  GLUCOSE_CONTEXTS,
  MEDICATION,
  PLAUSIBLE,
  SEVERITIES,
  THRESHOLD_KEYS,
  type Reading,
  type ThresholdKey,
} from './health-rules.ts';

export * from './health-rules.ts';

const reading = (r: Reading) =>
  z.nullable(z.number('v.number').check(z.gte(PLAUSIBLE[r].min, `hv.${r}`), z.lte(PLAUSIBLE[r].max, `hv.${r}`)));

export const healthCheckSchema = z.strictObject({
  ...baseFields,
  residentId: idSchema,
  householdId: idSchema,
  /** When the readings were taken. */
  at: instantSchema,
  byName: text(60),
  systolic: reading('systolic'),
  diastolic: reading('diastolic'),
  pulse: reading('pulse'),
  glucose: reading('glucose'),
  glucoseContext: z.nullable(z.enum(GLUCOSE_CONTEXTS, 'v.choice')),
  temperature: reading('temperature'),
  weight: reading('weight'),
  spo2: reading('spo2'),
  mood: text(200),
  falls: z.nullable(z.enum(FALLS, 'v.choice')),
  medication: z.nullable(z.enum(MEDICATION, 'v.choice')),
  notes: text(1000),
  /** The team thresholds it was judged with, and the verdict then. */
  thresholdVersion: text(40),
  level: z.enum(SEVERITIES, 'v.choice'),
  flags: z.array(text(40)).check(z.maxLength(12, 'v.tooMany')),
  /** A fact is never edited; hiding it (deleted) says why, and the server keeps it and an audit line. */
  deletedReason: text(200),
});
export type HealthCheck = z.infer<typeof healthCheckSchema>;
export const thresholdsSchema = z.strictObject(
  Object.fromEntries(THRESHOLD_KEYS.map((k) => [k, z.number('v.number')])) as Record<ThresholdKey, z.ZodMiniNumber<number>>,
);

/** The team's thresholds as a synced record; its row id is the team's id, one per team. */
export const healthThresholdsSchema = z.strictObject({
  ...baseFields,
  values: thresholdsSchema,
  version: text(40),
});
export type HealthThresholds = z.infer<typeof healthThresholdsSchema>;
