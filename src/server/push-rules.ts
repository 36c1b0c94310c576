/**
 * What the server checks of a pushed mutation beyond its fields' shapes — the server is the
 * authority, whatever a phone (old, careless or hostile) sends:
 *
 * - who may write what: a team's own rows, thresholds only by its coordinators;
 * - the rows it points at: of the right type, in the same team — or not here yet, and then
 *   the mutation waits (is deferred) instead of being refused for good;
 * - facts stay as recorded: a visit, a health check, a step of a need is never changed once
 *   stored — only hidden, with a reason — and who registered a record, or a ticket's number,
 *   never changes;
 * - who did it is the session's (`authorship`), not what the phone says;
 * - what the whole row must satisfy once merged: health data only with the resident's
 *   consent at the reading's time, readings that are humanly possible, instants not in the
 *   future, threshold sets ordered and named by their content;
 * - figures derived from others are the server's: a check's level and flags against the
 *   thresholds it names, a ticket's subsidy — a phone that derived them differently is told
 *   to update (`derived_mismatch`), and the fee's override needs its reason.
 *
 * A refusal is per mutation, with a code the phone shows in the volunteer's language; the
 * rest of the batch goes on.
 */
import { createHash } from 'node:crypto';
import { attendanceName, uuidFromSha1 } from '../shared/attendance-id.ts';
import { DEFAULT_ROUNDING_MINUTES, serviceHours } from '../shared/hours.ts';
import { FUTURE_INSTANT_TOLERANCE_MS } from '../shared/protocol.ts';
import {
  classify,
  consentCovers,
  plausibility,
  thresholdErrors,
  thresholdsVersion,
  DEFAULT_THRESHOLDS,
  DEFAULT_THRESHOLDS_VERSION,
  type Thresholds,
} from '../shared/health.ts';
import type { MessageKey } from '../shared/i18n/format.ts';
import type { Fields } from '../shared/merge.ts';
import { RECORDS, referenceFields, withDefaults, type RecordType } from '../shared/registry.ts';
import { isProposedCharge, subsidyFor } from '../shared/repair-fees.ts';
import { FACTOR_SETS, isMiscCategory } from '../shared/repair-impact.ts';
import type { Actor } from './app-env.ts';
import { mayHideFact, type Role } from '../shared/roles.ts';

/** Ids a mutation (or the row it merges into) points at, to load before judging it. */
export function referencedIds(type: RecordType, fields: Fields): string[] {
  const out: string[] = [];
  for (const key of referenceFields(type)) {
    const v = fields[key];
    if (typeof v === 'string') out.push(v);
  }
  return out;
}

export interface RowView {
  teamId: string;
  type: string;
  fields: Fields;
}

export type RefusalCode = 'forbidden' | 'consent_required' | 'validation' | 'derived_mismatch' | 'immutable' | 'orphan';
export type Refusal = { code: RefusalCode; detail?: MessageKey };
/** Not refused, not applied: it points at (or writes) a row whose first complete change has not arrived. */
export const WAIT = 'wait' as const;
export type Judgement = Refusal | typeof WAIT | null;

/** Before the merge: the caller's right to write this type. */
export function checkAccess(type: RecordType, rowId: string, teamId: string, role: Role, fields: Fields = {}): Refusal | null {
  // One threshold set per team, set by its coordinators: its row id is the team's id.
  if (type === 'healthThresholds' && (role === 'volunteer' || rowId !== teamId)) return { code: 'forbidden' };
  // the team's grids and its urgent department: one row per team, a coordinator's to set
  if (type === 'teamSettings' && (role === 'volunteer' || rowId !== teamId)) return { code: 'forbidden' };
  // linking a roster entry to a sign-in account is a coordinator's act: it decides whose hours they are
  if (type === 'volunteer' && typeof fields.userId === 'string' && role === 'volunteer') return { code: 'forbidden' };
  // a resident's request is the coordinator's to accept or decline
  if (type === 'request' && role === 'volunteer') return { code: 'forbidden' };
  // hours are confirmed by a coordinator, never claimed; points are the team's to grant and spend
  if ((type === 'serviceRecord' || type === 'pointsRule' || type === 'redemption') && role === 'volunteer') return { code: 'forbidden' };
  // merging two registrations of one dwelling is a coordinator's act, and never into itself
  if (type === 'household' && typeof fields.mergedInto === 'string') {
    if (role === 'volunteer') return { code: 'forbidden' };
    if (fields.mergedInto === rowId) return { code: 'validation', detail: 'v.reference' };
  }
  return null;
}

/**
 * The rows `fields` points at: each must be a row of the team, of the type the registry names.
 * One that is not here at all may be on its way (in a later push, or another phone's): wait.
 */
export function checkReferences(type: RecordType, teamId: string, fields: Fields, lookup: (id: string) => RowView | undefined): Judgement {
  const wanted = RECORDS[type].references as Record<string, RecordType | readonly RecordType[]>;
  for (const [key, targetType] of Object.entries(wanted)) {
    const id = fields[key];
    if (typeof id !== 'string') continue;
    const target = lookup(id);
    if (!target) return WAIT;
    if (target.teamId !== teamId) return { code: 'forbidden' };
    if (!(typeof targetType === 'string' ? [targetType] : targetType).includes(target.type as RecordType))
      return { code: 'validation', detail: 'v.reference' };
    // a merge goes into a household that is still there: two coordinators merging A into B
    // and B into A offline make no circle, the later one is refused with the reason
    if (type === 'household' && key === 'mergedInto' && target.fields.deleted === true)
      return { code: 'validation', detail: 'v.mergeTarget' };
  }
  return null;
}

/** The fields a stored fact may still take: hiding it, with the reason. */
const FACT_CHANGES = new Set(['deleted', 'deletedReason', 'updatedAt']);
/** Fields no mutation changes once a row has them, besides a fact's. */
const IMMUTABLE: Partial<Record<RecordType, { field: string; detail: MessageKey }[]>> = {
  repairTicket: [{ field: 'number', detail: 'immutable.number' }],
  // one attendance is one volunteer at one event: its id is named by the two
  attendance: [
    { field: 'volunteerId', detail: 'immutable.attendance' },
    { field: 'eventId', detail: 'immutable.attendance' },
  ],
  // what the resident typed stays as they typed it
  request: (['kind', 'building', 'unit', 'room', 'phone', 'callName', 'description', 'goodTime', 'code'] as const).map((field) => ({
    field,
    detail: 'immutable.request' as const,
  })),
};

/**
 * A change to a stored row: a fact only hidden (by whoever recorded it or a coordinator),
 * never rewritten; who registered it, and a ticket's number, never changed.
 */
export function checkChange(type: RecordType, stored: Fields, fields: Fields, sender: Actor): Refusal | null {
  const changes = Object.keys(fields).filter((k) => JSON.stringify(fields[k]) !== JSON.stringify(stored[k]));
  if (RECORDS[type].appendOnly) {
    if (changes.some((k) => !FACT_CHANGES.has(k))) return { code: 'immutable', detail: 'immutable.fact' };
    const hiding = changes.includes('deleted') || changes.includes('deletedReason');
    if (hiding && !mayHideFact(sender.role, sender.userId, stored.createdBy)) return { code: 'forbidden' };
  }
  if (changes.includes('createdBy')) return { code: 'immutable', detail: 'immutable.createdBy' };
  // nor undone by one: a volunteer cannot unlink a roster entry from its account either
  if (type === 'volunteer' && changes.includes('userId') && sender.role === 'volunteer') return { code: 'forbidden' };
  for (const { field, detail } of IMMUTABLE[type] ?? []) if (changes.includes(field) && stored[field]) return { code: 'immutable', detail };
  // accepted or declined once: a second coordinator's other answer, made offline, is refused with the reason
  if (type === 'request' && changes.includes('status') && stored.status !== 'received')
    return { code: 'validation', detail: 'request.handled' };
  // a wish claimed by one volunteer is not taken by another's claim made offline: the first claim stands
  // nor let go of by anyone but the one who has it (or a coordinator)
  if (type === 'need' && changes.includes('claimedBy') && stored.claimedBy && stored.claimedBy !== sender.userId) {
    if (fields.claimedBy || sender.role === 'volunteer') return { code: 'validation', detail: 'need.claimed' };
  }
  return null;
}

/**
 * Who did it, from the session: the account that registers a record; the name on a visit, a
 * check, a step of a need; who recorded a resident's consent. The phone's values are for
 * display until these arrive.
 */
export function authorship(type: RecordType, isNew: boolean, fields: Fields, actor: Actor): Fields {
  const out: Fields = {};
  if (isNew) {
    out.createdBy = actor.userId;
    if (type === 'visit' || type === 'healthCheck' || type === 'needLog' || type === 'redemption' || type === 'certificate')
      out.byName = actor.name;
    if (type === 'serviceRecord') out.confirmedBy = actor.name;
  }
  if (type === 'resident' && ('consent' in fields || 'consentAt' in fields)) out.consentRecordedBy = actor.name;
  if (type === 'need' && typeof fields.claimedBy === 'string' && fields.claimedBy) out.claimedBy = actor.userId;
  return out;
}

/** The figures the server works out itself from the merged row, where the row's own are off (a phone's change to an input, not to them). */
export function derivedFields(type: RecordType, merged: Fields): Fields {
  if (type !== 'repairTicket') return {};
  const t = withDefaults('repairTicket', merged);
  const subsidy = subsidyFor(t.materialsFen, t.feeFen);
  return t.subsidyFen === subsidy ? {} : { subsidyFen: subsidy };
}

export interface RowContext {
  lookup: (id: string) => RowView | undefined;
  /** Who sends it (from the session). */
  actor?: Pick<Actor, 'userId' | 'teamId' | 'role'>;
  /** The team's threshold set of a version, as the server has seen it (undefined: not yet). */
  thresholdsOf: (version: string) => Thresholds | undefined;
  now: number;
}

const INSTANTS = ['createdAt', 'at', 'consentAt', 'consentWithdrawnAt', 'resolvedAt'] as const;

/** After the merge: what the whole row must satisfy. `fields` is the mutation's own. */
export function checkMerged(type: RecordType, merged: Fields, fields: Fields, ctx: RowContext): Judgement {
  for (const k of INSTANTS) {
    const v = fields[k];
    if (typeof v === 'string' && Date.parse(v) - ctx.now > FUTURE_INSTANT_TOLERANCE_MS) return { code: 'validation', detail: 'v.future' };
  }
  if (RECORDS[type].appendOnly && merged.deleted === true && !String(merged.deletedReason ?? '').trim()) {
    return { code: 'validation', detail: 'v.deletedReason' };
  }
  if (type === 'healthCheck') return checkReading(merged, fields, ctx);
  if (type === 'repairTicket') return checkTicket(merged, fields);
  if (type === 'serviceRecord') return checkServiceRecord(merged, ctx);
  if (type === 'attendance') {
    const { id, eventId, volunteerId, checkInAt, checkOutAt } = withDefaults('attendance', merged);
    // one attendance per volunteer per event: its id must be the name of the two, as the phone makes it
    if (typeof id === 'string' && id !== attendanceIdOf(eventId, volunteerId)) return { code: 'validation', detail: 'v.attendanceId' };
    if (checkOutAt && (!checkInAt || Date.parse(checkOutAt) < Date.parse(checkInAt)))
      return { code: 'validation', detail: 'v.checkOutBeforeIn' };
    // the day is the event's, not the phone's to choose (certificates and the hours export will read it)
    const event = ctx.lookup(eventId);
    if ('date' in fields && event?.type === 'repairEvent' && fields.date !== event.fields.date)
      return { code: 'validation', detail: 'v.attendanceDate' };
    const { adjustedHours, adjustReason, date } = withDefaults('attendance', merged);
    if (adjustedHours !== null && !adjustReason.trim()) return { code: 'validation', detail: 'hours.reasonRequired' };
    if (event && event.type !== 'repairEvent') return checkWorkTime(event, volunteerId, date, ctx);
  }
  if (type === 'certificate') return checkCertificate(merged, ctx);
  if (type === 'request') return checkRequest(merged);
  if (type === 'needLog' && merged.action === 'claimed') {
    // the history says who claimed a wish only for the one whose claim stood
    const need = ctx.lookup(String(merged.needId));
    if (!need || need.type !== 'need') return WAIT;
    if (ctx.actor && need.fields.claimedBy !== ctx.actor.userId) return { code: 'validation', detail: 'need.claimed' };
  }
  if (type === 'healthThresholds') {
    const { values, version } = merged as { values?: Thresholds; version?: string };
    if (!values) return { code: 'validation', detail: 'v.required' };
    const errors = Object.values(thresholdErrors(values));
    if (errors.length > 0) return { code: 'validation', detail: errors[0]! };
    if (version !== thresholdsVersion(values)) return { code: 'validation', detail: 'v.invalid' };
  }
  return null;
}

/** A reading — deleted or not — needs the resident's consent at its time, must be possible, and is judged as the server judges it. */
function checkReading(merged: Fields, fields: Fields, ctx: RowContext): Judgement {
  const check = withDefaults('healthCheck', merged);
  const resident = ctx.lookup(check.residentId);
  if (!resident || resident.type !== 'resident' || !consentCovers(resident.fields, check.at)) return { code: 'consent_required' };
  const errors = Object.values(plausibility(check));
  if (errors.length > 0) return { code: 'validation', detail: errors[0]! };
  if (!('level' in fields || 'flags' in fields || 'thresholdVersion' in fields)) return null;
  // an app from before thresholds had versions judged with the defaults
  const version = check.thresholdVersion || DEFAULT_THRESHOLDS_VERSION;
  const thresholds = version === DEFAULT_THRESHOLDS_VERSION ? DEFAULT_THRESHOLDS : ctx.thresholdsOf(version);
  // the set it names is a coordinator's change the server has not received yet
  if (!thresholds) return WAIT;
  const judged = classify(check, thresholds);
  const codes = (flags: readonly string[]) => [...flags].sort().join(',');
  if (judged.level !== check.level || codes(judged.flags.map((f) => f.code)) !== codes(check.flags)) {
    return { code: 'derived_mismatch', detail: 'derived.level' };
  }
  return null;
}

/**
 * A ticket: a subsidy that a change states together with its materials and charge must be
 * theirs, and one it states alone the stored row's (an old or hostile app's own figure is
 * refused; where a change states one input, `derivedFields` works the subsidy out); a charge
 * other than the tier's proposal needs a reason; a factor set the server knows; a fixed
 * miscellaneous item its weight.
 */
function checkTicket(merged: Fields, fields: Fields): Judgement {
  const { materialsFen, feeFen, subsidyFen } = fields;
  const t = withDefaults('repairTicket', merged);
  if (typeof subsidyFen === 'number') {
    const stated = typeof materialsFen === 'number' && typeof feeFen === 'number';
    // a subsidy changed with neither input: no app derives one from nothing
    const neither = materialsFen === undefined && feeFen === undefined;
    if (stated && subsidyFen !== subsidyFor(materialsFen, feeFen)) return { code: 'derived_mismatch', detail: 'derived.subsidy' };
    if (neither && subsidyFen !== subsidyFor(t.materialsFen, t.feeFen)) return { code: 'derived_mismatch', detail: 'derived.subsidy' };
  }
  if (!isProposedCharge(t) && !t.feeReason.trim()) return { code: 'validation', detail: 'v.feeReason' };
  if (!Object.hasOwn(FACTOR_SETS, t.factorSet)) return { code: 'validation', detail: 'v.factorSet' };
  if (isMiscCategory(t.category) && t.outcome === 'fixed' && t.weightKg === null) return { code: 'validation', detail: 'v.weightForMisc' };
  return null;
}

/**
 * Confirmed hours: of an attendance checked out, for its volunteer and event; the computed
 * hours are the server's own (the times and the team's rounding rule); hours other than
 * those need a reason, as does a correction, which corrects a record of the same attendance;
 * never one's own hours; never deleted.
 */
function checkServiceRecord(merged: Fields, ctx: RowContext): Judgement {
  const r = withDefaults('serviceRecord', merged);
  if (r.deleted) return { code: 'immutable', detail: 'immutable.fact' };
  const att = ctx.lookup(r.attendanceId);
  if (!att || att.type !== 'attendance') return WAIT;
  const a = withDefaults('attendance', att.fields);
  if (a.volunteerId !== r.volunteerId || a.eventId !== r.eventId || a.date !== r.date) return { code: 'validation', detail: 'v.reference' };
  if (!a.checkOutAt) return { code: 'validation', detail: 'hours.notCheckedOut' };
  const volunteer = ctx.lookup(r.volunteerId);
  if (volunteer && ctx.actor && volunteer.fields.userId === ctx.actor.userId) return { code: 'forbidden', detail: 'hours.ownHours' };
  const settings = ctx.actor ? ctx.lookup(ctx.actor.teamId) : undefined;
  const rounding =
    settings?.type === 'teamSettings' ? withDefaults('teamSettings', settings.fields).hoursRoundingMinutes : DEFAULT_ROUNDING_MINUTES;
  if (r.computedHours !== serviceHours(a.checkInAt, a.checkOutAt, rounding)) return { code: 'derived_mismatch' };
  if ((r.hours !== r.computedHours || r.corrects) && !r.reason.trim()) return { code: 'validation', detail: 'hours.reasonRequired' };
  if (r.corrects) {
    const earlier = ctx.lookup(r.corrects);
    if (!earlier || earlier.type !== 'serviceRecord') return WAIT;
    if (earlier.fields.attendanceId !== r.attendanceId) return { code: 'validation', detail: 'v.reference' };
  }
  return null;
}

/** Time from a work's instant to a day: a visit's or a home repair's day is its own, in whatever zone (±1 day of UTC). */
const WORK_DAY_SLACK_MS = 36 * 3_600_000;

/**
 * Time recorded for a visit or a home repair done alone: a volunteer records their own (their
 * roster entry is linked to their account), a coordinator anyone's; on the work's day.
 */
function checkWorkTime(work: RowView, volunteerId: string, date: string, ctx: RowContext): Judgement {
  const volunteer = ctx.lookup(volunteerId);
  if (ctx.actor?.role === 'volunteer' && (!volunteer || volunteer.fields.userId !== ctx.actor.userId))
    return { code: 'forbidden', detail: 'hours.ownWorkOnly' };
  const at = Date.parse(String(work.type === 'visit' ? work.fields.at : work.fields.createdAt));
  if (!(Math.abs(Date.parse(`${date}T12:00:00Z`) - at) <= WORK_DAY_SLACK_MS)) return { code: 'validation', detail: 'v.attendanceDate' };
  return null;
}

/** A request accepted names its household and its need; one declined says why, for the resident. */
function checkRequest(merged: Fields): Judgement {
  const r = withDefaults('request', merged);
  if (r.status === 'accepted' && (!r.householdId || !r.needId || !r.acceptedAt))
    return { code: 'validation', detail: 'request.acceptNeeds' };
  if (r.status === 'declined' && (!r.declineReason.trim() || !r.declinedAt)) return { code: 'validation', detail: 'request.declineReason' };
  return null;
}

/**
 * A certificate: for a period in order, issued by a coordinator — or by a volunteer for
 * their own roster entry (printing their own from their phone); never hidden.
 */
function checkCertificate(merged: Fields, ctx: RowContext): Judgement {
  const c = withDefaults('certificate', merged);
  if (c.deleted) return { code: 'immutable', detail: 'immutable.fact' };
  if (c.from > c.to) return { code: 'validation', detail: 'v.periodOrder' };
  if (ctx.actor?.role === 'volunteer') {
    const volunteer = ctx.lookup(c.volunteerId);
    if (!volunteer || volunteer.fields.userId !== ctx.actor.userId) return { code: 'forbidden' };
  }
  return null;
}

/** The attendance id the phone names (shared/attendance-id.ts), with Node's synchronous SHA-1. */
export function attendanceIdOf(eventId: string, volunteerId: string): string {
  return uuidFromSha1(createHash('sha1').update(attendanceName(eventId, volunteerId)).digest());
}
