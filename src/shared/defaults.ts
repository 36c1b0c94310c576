/**
 * What every record type looks like before a field was written — the values a row merged
 * from partial changes, or written by an older app, reads with — kept apart from the zod
 * schemas so that the phone's first screen can read records without loading zod.
 */
import type { HealthCheck, Thresholds } from './health.ts';
import type { Household, Resident } from './household.ts';
import { stableStringify } from './merge.ts';
import type { Need, NeedLog } from './need.ts';
import type { RecordOf, RecordType, RepairEvent, RepairTicket } from './records.ts';
import { CURRENT_FACTOR_SET } from './repair-impact.ts';
import type { Visit } from './visit.ts';

/** What a record looks like before any of its own fields were written (a pulled partial row). */
export const DEFAULT_VISIT_INTERVAL_DAYS = 30;

export const BASE_DEFAULTS = { teamId: '', createdAt: '', createdBy: '', updatedAt: '', deleted: false } as const;

export const REPAIR_EVENT_DEFAULTS: Omit<RepairEvent, 'id'> = {
  ...BASE_DEFAULTS,
  title: '',
  date: '',
  site: '',
  status: 'open',
  volunteerCount: 0,
  volunteerHours: 0,
};

export const REPAIR_TICKET_DEFAULTS: Omit<RepairTicket, 'id'> = {
  ...BASE_DEFAULTS,
  eventId: null,
  householdId: null,
  needId: null,
  mode: 'event',
  number: '',
  category: 'miscPowered',
  item: '',
  brand: '',
  model: '',
  ageYears: null,
  weightKg: null,
  problem: '',
  residentName: '',
  residentPhone: '',
  status: 'waiting',
  outcome: null,
  barrier: null,
  nextStep: null,
  notes: '',
  partsUsed: '',
  repairedBy: '',
  feeTier: 'standard',
  materialsFen: 0,
  feeFen: 0,
  subsidyFen: 0,
  feeReason: '',
  factorSet: CURRENT_FACTOR_SET,
};

export const HOUSEHOLD_DEFAULTS: Omit<Household, 'id'> = {
  ...BASE_DEFAULTS,
  gridCode: '',
  compound: '',
  building: '',
  unit: '',
  room: '',
  headName: '',
  phone: '',
  tags: [],
  dialect: '',
  translator: '',
  emergencyName: '',
  emergencyPhone: '',
  emergencyRelation: '',
  visitIntervalDays: DEFAULT_VISIT_INTERVAL_DAYS,
  followUpOn: null,
  followUpReason: '',
  notes: '',
};

export const RESIDENT_DEFAULTS: Omit<Resident, 'id'> = {
  ...BASE_DEFAULTS,
  householdId: '',
  name: '',
  sex: null,
  birthYear: null,
  conditions: '',
  medicines: '',
  consent: 'none',
  consentBy: null,
  consentByName: '',
  consentAt: null,
  consentRecordedBy: '',
  consentWithdrawnAt: null,
};

export const NEED_DEFAULTS: Omit<Need, 'id'> = {
  ...BASE_DEFAULTS,
  householdId: '',
  visitId: null,
  healthCheckId: null,
  category: 'other',
  urgency: 'normal',
  description: '',
  route: 'volunteers',
  department: '',
  assignee: '',
  status: 'open',
  resolution: '',
  resolvedAt: null,
  evaluation: null,
  repairTicketId: null,
};

export const NEED_LOG_DEFAULTS: Omit<NeedLog, 'id'> = {
  ...BASE_DEFAULTS,
  needId: '',
  at: '',
  byName: '',
  action: 'created',
  status: 'open',
  note: '',
};

export const VISIT_DEFAULTS: Omit<Visit, 'id'> = {
  ...BASE_DEFAULTS,
  householdId: '',
  at: '',
  byName: '',
  kind: 'routine',
  outcome: 'met',
  gas: 'notChecked',
  wiring: 'notChecked',
  smokeAlarm: 'notChecked',
  walkways: 'notChecked',
  notes: '',
  followUpOn: null,
};

export const HEALTH_CHECK_DEFAULTS: Omit<HealthCheck, 'id'> = {
  ...BASE_DEFAULTS,
  residentId: '',
  householdId: '',
  at: '',
  byName: '',
  systolic: null,
  diastolic: null,
  pulse: null,
  glucose: null,
  glucoseContext: null,
  temperature: null,
  weight: null,
  spo2: null,
  mood: '',
  falls: null,
  medication: null,
  notes: '',
  thresholdVersion: '',
  level: 'normal',
  flags: [],
};

export const DEFAULT_THRESHOLDS: Thresholds = {
  bpLowSys: 90,
  bpLowDia: 60,
  bpHighNormalSys: 120,
  bpHighNormalDia: 80,
  bpGrade1Sys: 140,
  bpGrade1Dia: 90,
  bpGrade2Sys: 160,
  bpGrade2Dia: 100,
  bpGrade3Sys: 180,
  bpGrade3Dia: 110,
  pulseUrgentLow: 40,
  pulseLow: 50,
  pulseHigh: 100,
  pulseUrgentHigh: 130,
  glucoseUrgentLow: 3.0,
  glucoseLow: 3.9,
  glucoseFastingHigh: 7.0,
  glucoseRandomHigh: 11.1,
  glucoseUrgentHigh: 16.7,
  tempFever: 37.3,
  tempHighFever: 39.0,
  spo2Urgent: 90,
  spo2Low: 95,
};

/** FNV-1a, 32 bits: a short, stable name for a set of thresholds (not a security hash). */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * A threshold set's version is its content: two coordinators who set the same numbers name
 * the same version, and a check's `thresholdVersion` says exactly what it was judged with.
 */
export function thresholdsVersion(t: Thresholds): string {
  return `t${fnv1a(stableStringify(t))}`;
}
export const DEFAULT_THRESHOLDS_VERSION = thresholdsVersion(DEFAULT_THRESHOLDS);

/**
 * Each type's values for fields no phone has written yet: a row merged from partial
 * mutations, or written by an older app version, reads as a complete record.
 */
export const RECORD_DEFAULTS: { [T in RecordType]: Omit<RecordOf[T], 'id'> } = {
  repairEvent: REPAIR_EVENT_DEFAULTS,
  repairTicket: REPAIR_TICKET_DEFAULTS,
  household: HOUSEHOLD_DEFAULTS,
  resident: RESIDENT_DEFAULTS,
  visit: VISIT_DEFAULTS,
  need: NEED_DEFAULTS,
  needLog: NEED_LOG_DEFAULTS,
  healthCheck: HEALTH_CHECK_DEFAULTS,
  healthThresholds: { ...BASE_DEFAULTS, values: DEFAULT_THRESHOLDS, version: DEFAULT_THRESHOLDS_VERSION },
};

/** A stored row's fields as a complete record of its type. */
export function withDefaults<T extends RecordType>(type: T, fields: Record<string, unknown>): RecordOf[T] {
  return { ...RECORD_DEFAULTS[type], ...fields } as RecordOf[T];
}

export const RECORD_TYPES = Object.keys(RECORD_DEFAULTS) as RecordType[];

export function isRecordType(t: unknown): t is RecordType {
  return typeof t === 'string' && Object.hasOwn(RECORD_DEFAULTS, t);
}
