/**
 * Households and their residents (DOMAIN.md): their schemas (defaults in `record-defaults.ts`). The rules of
 * addresses, phones and search words are in `address.ts` (no zod: the first screen uses them).
 */
import * as z from 'zod/mini';
import { baseFields, dateSchema, idSchema, instantSchema, phoneSchema, requiredText, text } from './schema-kit.ts';

/** 独居 alone, 随迁 migrant elderly, 残疾 disabled, 低保 low income, 特困 extreme poverty, 空巢 empty nest. */
export const HOUSEHOLD_TAGS = ['alone', 'migrant', 'disabled', 'lowIncome', 'extremePoverty', 'emptyNest'] as const;
export type HouseholdTag = (typeof HOUSEHOLD_TAGS)[number];

export const householdSchema = z.strictObject({
  ...baseFields,
  /** 网格: the grid a worker is responsible for, e.g. `A3`. */
  gridCode: requiredText(20),
  /** The compound or street (小区 / 街道), optional where the grid is one compound. */
  compound: text(100),
  building: requiredText(20),
  unit: text(20),
  room: requiredText(20),
  headName: requiredText(60),
  phone: phoneSchema,
  tags: z.array(z.enum(HOUSEHOLD_TAGS, 'v.choice')).check(z.maxLength(HOUSEHOLD_TAGS.length, 'v.tooMany')),
  /** Home dialect, for migrant elderly who speak only it. */
  dialect: text(40),
  /** Who can translate (a 老乡, a neighbour, a volunteer). */
  translator: text(100),
  /** The translator's phone: a phone field, so it can be tapped to call. */
  translatorPhone: phoneSchema,
  emergencyName: text(60),
  emergencyPhone: phoneSchema,
  emergencyRelation: text(20),
  /** The family doctor (家庭医生) the household signed with, where known: a call from an urgent reading. */
  doctorName: text(60),
  doctorPhone: phoneSchema,
  visitIntervalDays: z.int('v.integer').check(z.gte(1, 'v.positive'), z.lte(365, 'v.tooBig')),
  /** A follow-up visit asked for (by a visit or an urgent health reading), and why. */
  followUpOn: z.nullable(dateSchema),
  followUpReason: text(200),
  /** The reason Linli wrote itself (an urgent health reading), as a code read in the reader's language; the text stays for older apps. */
  followUpReasonCode: z.nullable(z.enum(['healthUrgent'], 'v.choice')),
  notes: text(2000),
  /**
   * A second registration of the same dwelling, merged by a coordinator into this household:
   * it is deleted, and its visits, needs, residents and checks — kept as recorded, still
   * naming it — are read as the household's it was merged into.
   */
  mergedInto: z.nullable(idSchema),
});
export type Household = z.infer<typeof householdSchema>;

export const SEXES = ['female', 'male'] as const;
export const CONSENT_STATES = ['none', 'given', 'withdrawn'] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];
export const CONSENT_GIVERS = ['self', 'family'] as const;

export const residentSchema = z.strictObject({
  ...baseFields,
  householdId: idSchema,
  name: requiredText(60),
  sex: z.nullable(z.enum(SEXES, 'v.choice')),
  birthYear: z.nullable(z.int('v.integer').check(z.gte(1900, 'v.birthYear'), z.lte(2100, 'v.birthYear'))),
  conditions: text(500),
  medicines: text(500),
  /** The resident's own phone, home dialect and relation to the head of household (本人, 老伴, 儿子 …). */
  phone: phoneSchema,
  dialect: text(40),
  relation: text(20),
  /**
   * Consent to keep health data (sensitive personal information): who gave it (the resident
   * or a family member, named), when, and who recorded it. Withdrawing keeps the history.
   */
  consent: z.enum(CONSENT_STATES, 'v.choice'),
  consentBy: z.nullable(z.enum(CONSENT_GIVERS, 'v.choice')),
  consentByName: text(60),
  consentAt: z.nullable(instantSchema),
  consentRecordedBy: text(60),
  consentWithdrawnAt: z.nullable(instantSchema),
});
export type Resident = z.infer<typeof residentSchema>;
