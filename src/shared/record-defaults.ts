/**
 * Every record type, and what each looks like before a field was written — the values a row
 * merged from partial changes, or written by an older app, reads with. Kept apart from the
 * zod schemas (`registry.ts`) so that the phone's first screen can read records without
 * loading zod; it takes only their types.
 */
import type { HealthCheck, HealthThresholds } from './health.ts';
import { DEFAULT_THRESHOLDS, DEFAULT_THRESHOLDS_VERSION } from './health-defaults.ts';
import type { Household, Resident } from './household.ts';
import type { Need, NeedLog } from './need.ts';
import type { RepairEvent, RepairTicket } from './repair.ts';
import { FIRST_FACTOR_SET } from './repair-impact.ts';
import type { Attendance, Certificate, PointsRule, Redemption, ServiceRecord, Volunteer } from './hours.ts';
import type { TeamSettings } from './team-settings.ts';
import type { ResidentRequest } from './request.ts';
import type { Visit } from './visit.ts';

/** The record types that sync, each with its complete shape. */
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
  teamSettings: TeamSettings;
  volunteer: Volunteer;
  attendance: Attendance;
  serviceRecord: ServiceRecord;
  pointsRule: PointsRule;
  redemption: Redemption;
  certificate: Certificate;
  request: ResidentRequest;
}
export type RecordType = keyof RecordOf;

/** What a record looks like before any of its own fields were written (a pulled partial row). */
export const DEFAULT_VISIT_INTERVAL_DAYS = 30;

export const BASE_DEFAULTS = { teamId: '', createdAt: '', createdBy: '', updatedAt: '', deleted: false } as const;

export const REPAIR_EVENT_DEFAULTS: Omit<RepairEvent, 'id'> = {
  ...BASE_DEFAULTS,
  kind: 'repair',
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
  factorSet: FIRST_FACTOR_SET,
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
  translatorPhone: '',
  emergencyName: '',
  emergencyPhone: '',
  emergencyRelation: '',
  doctorName: '',
  doctorPhone: '',
  visitIntervalDays: DEFAULT_VISIT_INTERVAL_DAYS,
  followUpOn: null,
  followUpReason: '',
  followUpReasonCode: null,
  notes: '',
  mergedInto: null,
};

export const RESIDENT_DEFAULTS: Omit<Resident, 'id'> = {
  ...BASE_DEFAULTS,
  householdId: '',
  name: '',
  sex: null,
  birthYear: null,
  conditions: '',
  medicines: '',
  phone: '',
  dialect: '',
  relation: '',
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
  descriptionFlags: [],
  requestId: null,
  claimedBy: '',
};

export const NEED_LOG_DEFAULTS: Omit<NeedLog, 'id'> = {
  ...BASE_DEFAULTS,
  needId: '',
  at: '',
  byName: '',
  action: 'created',
  status: 'open',
  note: '',
  assignee: '',
  evaluation: null,
  ticketId: null,
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
  deletedReason: '',
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
  deletedReason: '',
};

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
  teamSettings: {
    ...BASE_DEFAULTS,
    grids: [],
    urgentDepartment: '',
    hoursRoundingMinutes: 30,
    askCode: '',
    askOpen: false,
    serviceFeeIfNotFixed: false,
  },
  volunteer: { ...BASE_DEFAULTS, name: '', phone: '', org: '', volunteerNumber: '', userId: null, notes: '' },
  attendance: {
    ...BASE_DEFAULTS,
    volunteerId: '',
    eventId: '',
    date: '',
    checkInAt: null,
    checkOutAt: null,
    adjustedHours: null,
    adjustReason: '',
  },
  serviceRecord: {
    ...BASE_DEFAULTS,
    attendanceId: '',
    volunteerId: '',
    eventId: '',
    date: '',
    computedHours: 0,
    hours: 0,
    reason: '',
    corrects: null,
    confirmedBy: '',
    points: 0,
    pointsRuleId: null,
  },
  pointsRule: { ...BASE_DEFAULTS, pointsPerHour: 0, effectiveFrom: '', note: '' },
  redemption: { ...BASE_DEFAULTS, volunteerId: '', points: 0, item: '', at: '', byName: '' },
  certificate: { ...BASE_DEFAULTS, volunteerId: '', from: '', to: '', serial: '', totalHours: 0, activities: 0, byName: '' },
  request: {
    ...BASE_DEFAULTS,
    kind: 'other',
    building: '',
    unit: '',
    room: '',
    phone: '',
    callName: '',
    description: '',
    goodTime: '',
    code: '',
    status: 'received',
    householdId: null,
    needId: null,
    acceptedAt: null,
    declineReason: '',
    declinedAt: null,
  },
};

/** A stored row's fields as a complete record of its type. */
export function withDefaults<T extends RecordType>(type: T, fields: Record<string, unknown>): RecordOf[T] {
  return { ...RECORD_DEFAULTS[type], ...fields } as RecordOf[T];
}

export const RECORD_TYPES = Object.keys(RECORD_DEFAULTS) as RecordType[];

export function isRecordType(t: unknown): t is RecordType {
  return typeof t === 'string' && Object.hasOwn(RECORD_DEFAULTS, t);
}
