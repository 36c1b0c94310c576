/**
 * Saving repair events and tickets: drafts validated against the shared schemas, then one
 * atomic write each. A ticket is numbered for its paper tag (`B-017`) when first written —
 * the phone's letter and its own counter, so phones taking items in offline at one event
 * never clash — and a deletion is a tombstone. Run by the writer (writes.ts), never loaded
 * with the first screen.
 */
import type { RepairEvent, RepairTicket } from '../shared/repair.ts';
import { HOME_TICKET_PREFIX, repairEventSchema, repairTicketSchema } from '../shared/repair.ts';
import { isProposedCharge, proposedCharge } from '../shared/repair-fees.ts';
import { CURRENT_FACTOR_SET, isMiscCategory } from '../shared/repair-impact.ts';
import { localDb, type LinliDb, type LocalRow, type MetaRow } from './db.ts';
import { writeInTransaction } from './records.ts';
import { actor, changedFields, defined, fieldErrors, saving, type FieldErrors, type SaveResult } from './save.ts';
import { StorageError } from './storage-error.ts';
import { asEvent, asTicket } from './repair.ts';

export interface EventDraft {
  id: string;
  title: string;
  date: string;
  site: string;
  status: RepairEvent['status'];
  /** A repair day unless said (a visiting round, a health-check day…). */
  kind?: RepairEvent['kind'];
  volunteerCount?: number;
  volunteerHours?: number;
}

/** Creates or edits an event; `draft.id` is made when the form opens, so a double save writes one event. */
export function saveRepairEvent(draft: EventDraft, db: LinliDb = localDb()): Promise<SaveResult<RepairEvent>> {
  return saving(db, ['repairEvent'], () => saveEvent(draft, db));
}

async function saveEvent(draft: EventDraft, db: LinliDb): Promise<SaveResult<RepairEvent>> {
  const [{ user, clock, now }, existing] = await Promise.all([actor(db), db.repairEvent.get(draft.id)]);
  const candidate = {
    ...(existing ? asEvent(existing) : { teamId: user.teamId, createdAt: now, createdBy: user.id, deleted: false, kind: 'repair' as const, volunteerCount: 0, volunteerHours: 0 }),
    ...defined(draft),
    updatedAt: now,
  };
  const parsed = repairEventSchema.safeParse(candidate);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues) };
  const changed = changedFields(existing, parsed.data);
  if (existing && Object.keys(changed).length === 0) return { ok: true, record: asEvent(existing) };
  const row = await writeInTransaction(db, 'repairEvent', draft.id, changed, { current: existing, clock });
  return { ok: true, record: asEvent(row) };
}

/**
 * What a form hands over: the intake fields when a ticket is taken in, any of the others
 * (outcome, fees, details) when it is worked on. Missing fields keep their stored value.
 */
export type TicketDraft = Pick<RepairTicket, 'id' | 'eventId'> &
  Partial<Omit<RepairTicket, 'id' | 'eventId' | 'number' | 'teamId' | 'createdAt' | 'createdBy' | 'updatedAt' | 'deleted'>>;

/** Checks that span fields, which a per-field schema cannot see. */
function ticketRules(t: RepairTicket): FieldErrors {
  const errors: FieldErrors = {};
  if (!isProposedCharge(t) && !t.feeReason.trim()) errors.feeReason = 'v.feeReason';
  if (isMiscCategory(t.category) && t.outcome === 'fixed' && t.weightKg === null) errors.weightKg = 'v.weightForMisc';
  return errors;
}

export const TICKET_NUMBER_DIGITS = 3;

export function formatTicketNumber(letter: string, n: number, home = false): string {
  return `${home ? HOME_TICKET_PREFIX : ''}${letter}-${String(n).padStart(TICKET_NUMBER_DIGITS, '0')}`;
}

/** This phone's ticket counters at an event (one per letter it has used there). */
function eventCounters(db: LinliDb, eventId: string | null): Promise<MetaRow[]> {
  return db.meta.where('key').startsWith(`ticketCounter:${eventId ?? ''}:`).toArray();
}

/**
 * Next number for this device's letter at an event, inside the saving transaction: a counter
 * in meta (read with the save's other reads), so a save costs the same on the 500th ticket
 * as on the first. Where the counter is missing (this phone's first ticket at the event),
 * the tickets already stored are counted once from the index. Returns the number and the
 * counter's write, for the caller to await with its own writes.
 */
async function nextTicketNumber(
  db: LinliDb,
  eventId: string | null,
  letter: string,
  counters: readonly MetaRow[],
  home: boolean,
): Promise<{ number: string; write: Promise<unknown> }> {
  const key = `ticketCounter:${eventId ?? ''}:${home ? HOME_TICKET_PREFIX : ''}${letter}` as const;
  let last = counters.find((c) => c.key === key)?.value as number | undefined;
  if (last === undefined) {
    const prefix = `${home ? HOME_TICKET_PREFIX : ''}${letter}-`;
    const keys = await db.repairTicket
      .where('[eventId+number]')
      .between([eventId ?? '', prefix], [eventId ?? '', `${prefix}\uffff`])
      .keys();
    last = 0;
    for (const k of keys) {
      // Numbers past 999 grow a digit, so compare as numbers, not as strings.
      const n = Number(String((k as unknown as [string, string])[1]).slice(prefix.length));
      if (Number.isInteger(n) && n > last) last = n;
    }
  }
  return { number: formatTicketNumber(letter, last + 1, home), write: db.meta.put({ key, value: last + 1 }) };
}

export function saveRepairTicket(draft: TicketDraft, db: LinliDb = localDb()): Promise<SaveResult<RepairTicket>> {
  return saving(db, ['repairTicket'], () => saveTicketInTransaction(draft, db));
}

/** `saveRepairTicket` inside a transaction the caller holds (with repairTicket, outbox and meta). */
export async function saveTicketInTransaction(draft: TicketDraft, db: LinliDb): Promise<SaveResult<RepairTicket>> {
  // two round trips in all: everything the save reads, then everything it writes
  const [{ user, letter, clock, now }, existing, counters] = await Promise.all([actor(db), db.repairTicket.get(draft.id), eventCounters(db, draft.eventId)]);
  if (!existing && !letter) throw new StorageError('failed', 'no device letter');
  const candidate = {
    ...(existing
      ? asTicket(existing)
      : {
          ...asTicket({ id: draft.id } as LocalRow<'repairTicket'>),
          teamId: user.teamId,
          createdAt: now,
          createdBy: user.id,
          deleted: false,
          mode: draft.householdId && !draft.eventId ? ('home' as const) : ('event' as const),
          factorSet: CURRENT_FACTOR_SET,
          feeFen: proposedCharge(draft.feeTier ?? 'standard', draft.materialsFen ?? 0),
          number: formatTicketNumber(letter ?? 'A', 1),
        }),
    ...defined(draft),
    updatedAt: now,
  };
  // Barrier and next step belong to one outcome each: switching outcome clears the other.
  if (candidate.outcome !== 'endOfLife') candidate.barrier = null;
  if (candidate.outcome !== 'repairable') candidate.nextStep = null;
  const parsed = repairTicketSchema.safeParse(candidate);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues) };
  const broken = ticketRules(parsed.data);
  if (Object.keys(broken).length > 0) return { ok: false, errors: broken };
  const { number: _placeholder, ...rest } = parsed.data;
  void _placeholder;
  const changed = changedFields(existing, rest);
  if (existing && Object.keys(changed).length === 0) return { ok: true, record: asTicket(existing) };
  // The number is given once, when the row is first written, and never changes.
  const numbered = existing?.number ? null : await nextTicketNumber(db, draft.eventId, letter ?? 'A', counters, parsed.data.mode === 'home');
  const [row] = await Promise.all([
    writeInTransaction(db, 'repairTicket', draft.id, numbered ? { ...changed, number: numbered.number } : changed, { current: existing, clock }),
    numbered?.write,
  ]);
  return { ok: true, record: asTicket(row) };
}

/**
 * Deletes an event or a ticket as a tombstone — `deleted: true` with its own clock — so the
 * delete syncs like any edit and a late edit from another phone cannot bring the row back.
 */
export function deleteRepairRecord(type: 'repairEvent' | 'repairTicket', id: string, db: LinliDb = localDb()): Promise<void> {
  return saving(db, [type], async () => {
    const current = await db.recordTable(type).get(id);
    if (!current || current.deleted === true) return;
    const { now } = await actor(db);
    await writeInTransaction(db, type, id, { deleted: true, updatedAt: now }, { current });
  });
}
