/**
 * The registry of record types: for each, its zod schema (zod/mini: the same schemas serve
 * the phone, where bundle size matters, and the server, which re-parses every mutation), the
 * values of fields not yet written, the rows it points at, whether it is a fact that stays as
 * recorded, and what the coordinator's reports take from it. The server's push and pull, its
 * report tables and the phone's store all read this one table; a new record type is its
 * domain module plus an entry here (and its defaults in `record-defaults.ts`, which the first
 * screen reads without zod).
 *
 * A record travels as a map of fields. Every mutation carries only the fields it changed,
 * so the server validates each field it receives against the record's schema made partial;
 * a complete record is what the device's form builds before it saves. Error messages are
 * catalogue keys (`v.*`), translated where they are shown.
 */
import * as z from 'zod/mini';
import { healthCheckSchema, healthThresholdsSchema } from './health.ts';
import { householdSchema, residentSchema } from './household.ts';
import { needLogSchema, needSchema } from './need.ts';
import { RECORD_DEFAULTS, type RecordOf, type RecordType } from './record-defaults.ts';
import { repairEventSchema, repairTicketSchema } from './repair.ts';
import {
  askPageReport,
  certificateReport,
  eventReport,
  healthReport,
  householdReport,
  needLogReport,
  needReport,
  redemptionReport,
  requestReport,
  serviceReport,
  ticketReport,
  visitReport,
  type ReportSpec,
} from './report-facts.ts';
import { attendanceSchema, certificateSchema, pointsRuleSchema, redemptionSchema, serviceRecordSchema, volunteerSchema } from './hours.ts';
import { teamSettingsSchema } from './team-settings.ts';
import { requestSchema } from './request.ts';
import { visitSchema } from './visit.ts';

export { isRecordType, RECORD_DEFAULTS, RECORD_TYPES, withDefaults, type RecordOf, type RecordType } from './record-defaults.ts';

/** The fields of `R` whose value is another row's id (or null). */
type IdFields<R> = { [K in keyof R]-?: R[K] extends string | null ? K : never }[keyof R] & string;

export interface RecordSpec<T extends RecordType> {
  schema: z.ZodMiniType<RecordOf[T]>;
  /** Any subset of the fields, each valid, no unknown keys: what one mutation may carry. */
  partial: z.ZodMiniType<Partial<RecordOf[T]>>;
  defaults: Omit<RecordOf[T], 'id'>;
  /** The fields a row needs before it is a record: those whose default is not a valid value. */
  required: readonly string[];
  /** Fields that hold another row's id, with the type (or the types) that row must be. */
  references: Partial<Record<IdFields<RecordOf[T]>, RecordType | readonly RecordType[]>>;
  /**
   * A fact (a visit, a reading, a step in a need's history): once stored, what it recorded
   * stays as recorded — two phones at one door make two visits, never one overwritten.
   */
  appendOnly: boolean;
  /**
   * Its id is named by its content (an attendance: its event and volunteer), so two phones
   * may each create the same row: the second's creation fields (who, when) are the first's.
   */
  namedId?: true;
  report: ReportSpec<RecordOf[T]> | null;
}

function spec<T extends RecordType>(
  type: T,
  schema: z.ZodMiniObject & z.ZodMiniType<RecordOf[T]>,
  rest: Pick<RecordSpec<T>, 'references' | 'appendOnly' | 'report' | 'namedId'>,
): RecordSpec<T> {
  const shape = schema._zod.def.shape as Record<string, z.ZodMiniType>;
  const defaults = RECORD_DEFAULTS[type] as Record<string, unknown>;
  // a field whose default would not do (an id, a ticket's number, a visit's time) must be written
  const required = Object.keys(shape).filter((k) => !shape[k]!.safeParse(defaults[k]).success);
  return {
    schema,
    partial: z.partial(schema) as unknown as z.ZodMiniType<Partial<RecordOf[T]>>,
    defaults: RECORD_DEFAULTS[type],
    required,
    ...rest,
  };
}

/**
 * Whether fields, each already valid on its own (the partial schema, or the server's own
 * values), make a whole record with the defaults: every required field is there. The same
 * answer as parsing the whole schema — the schemas check fields, never fields against each
 * other — for a fraction of the work the server does on every new row.
 */
export function isWholeRecord(type: RecordType, fields: Record<string, unknown>): boolean {
  return RECORDS[type].required.every((k) => fields[k] !== undefined);
}

/**
 * What volunteers' time is recorded against: an activity the team runs (a repair day, a
 * visiting round…), or a visit or home repair done on one's own.
 */
export const ACTIVITY_TYPES = ['repairEvent', 'visit', 'repairTicket'] as const satisfies readonly RecordType[];

export const RECORDS: { [T in RecordType]: RecordSpec<T> } = {
  repairEvent: spec('repairEvent', repairEventSchema, { references: {}, appendOnly: false, report: eventReport }),
  repairTicket: spec('repairTicket', repairTicketSchema, {
    references: { eventId: 'repairEvent', householdId: 'household', needId: 'need' },
    appendOnly: false,
    report: ticketReport,
  }),
  household: spec('household', householdSchema, { references: { mergedInto: 'household' }, appendOnly: false, report: householdReport }),
  resident: spec('resident', residentSchema, { references: { householdId: 'household' }, appendOnly: false, report: null }),
  visit: spec('visit', visitSchema, { references: { householdId: 'household' }, appendOnly: true, report: visitReport }),
  need: spec('need', needSchema, {
    references: {
      householdId: 'household',
      visitId: 'visit',
      healthCheckId: 'healthCheck',
      repairTicketId: 'repairTicket',
      requestId: 'request',
    },
    appendOnly: false,
    report: needReport,
  }),
  needLog: spec('needLog', needLogSchema, {
    references: { needId: 'need', ticketId: 'repairTicket' },
    appendOnly: true,
    report: needLogReport,
  }),
  healthCheck: spec('healthCheck', healthCheckSchema, {
    references: { residentId: 'resident', householdId: 'household' },
    appendOnly: true,
    report: healthReport,
  }),
  healthThresholds: spec('healthThresholds', healthThresholdsSchema, { references: {}, appendOnly: false, report: null }),
  teamSettings: spec('teamSettings', teamSettingsSchema, { references: {}, appendOnly: false, report: askPageReport }),
  volunteer: spec('volunteer', volunteerSchema, { references: {}, appendOnly: false, report: null }),
  attendance: spec('attendance', attendanceSchema, {
    references: { volunteerId: 'volunteer', eventId: ACTIVITY_TYPES },
    appendOnly: false,
    report: null,
    namedId: true,
  }),
  serviceRecord: spec('serviceRecord', serviceRecordSchema, {
    references: {
      attendanceId: 'attendance',
      volunteerId: 'volunteer',
      eventId: ACTIVITY_TYPES,
      corrects: 'serviceRecord',
      pointsRuleId: 'pointsRule',
    },
    appendOnly: true,
    report: serviceReport,
  }),
  pointsRule: spec('pointsRule', pointsRuleSchema, { references: {}, appendOnly: true, report: null }),
  redemption: spec('redemption', redemptionSchema, {
    references: { volunteerId: 'volunteer' },
    appendOnly: true,
    report: redemptionReport,
  }),
  request: spec('request', requestSchema, {
    references: { householdId: 'household', needId: 'need' },
    appendOnly: false,
    report: requestReport,
  }),
  certificate: spec('certificate', certificateSchema, {
    references: { volunteerId: 'volunteer' },
    appendOnly: true,
    report: certificateReport,
  }),
};

/** The reference fields of a type, in a fixed order. */
export function referenceFields(type: RecordType): string[] {
  return Object.keys(RECORDS[type].references);
}
