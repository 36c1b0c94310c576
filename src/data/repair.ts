/**
 * Repair events and their tickets on the device: live lists as the screens read them, each
 * row with whether the server has it yet; an event's day summary (offline, the same function
 * the server runs); and the saves — events, tickets numbered for their paper tag (`B-017`,
 * unique across phones taking items in offline at once), deletions as tombstones.
 */
import { liveQuery } from 'dexie';
import { withDefaults } from '../shared/record-defaults.ts';
import type { RepairEvent, RepairTicket } from '../shared/repair.ts';
import { repairEventSchema, repairTicketSchema } from '../shared/repair.ts';
import { proposedCharge } from '../shared/repair-fees.ts';
import { CURRENT_FACTOR_SET, isMiscCategory } from '../shared/repair-impact.ts';

import { summarizeRepairs, type RepairSummary } from '../shared/repair-summary.ts';
import { localDb, type LinliDb, type LocalRow, type MetaRow } from './db.ts';
import type { Observable } from './observable.ts';
import { localFields, writeInTransaction } from './records.ts';
import { isLive, rowSyncStates, type RowSync } from './row-sync.ts';
import { actor, changedFields, defined, fieldErrors, saving, type FieldErrors, type SaveResult } from './save.ts';
import { StorageError } from './storage-error.ts';

export type { RowSync };

export type { RepairEvent, RepairTicket, RepairSummary };

/** A complete event from a stored row (fields not yet synced in get defaults). */
export function asEvent(row: LocalRow<'repairEvent'>): RepairEvent {
  return withDefaults('repairEvent', localFields(row));
}

export function asTicket(row: LocalRow<'repairTicket'>): RepairTicket {
  return withDefaults('repairTicket', localFields(row));
}

export interface EventListItem {
  event: RepairEvent;
  tickets: number;
  sync: RowSync;
}

export function observeEvents(): Observable<EventListItem[]> {
  return liveQuery(async () => {
    const db = localDb();
    const events = (await db.repairEvent.orderBy('date').reverse().toArray()).filter(isLive).map(asEvent);
    const sync = await rowSyncStates(db, events.map((e) => e.id));
    const items: EventListItem[] = [];
    for (const event of events) {
      const tickets = (await db.repairTicket.where('eventId').equals(event.id).toArray()).filter(isLive).length;
      items.push({ event, tickets, sync: sync.get(event.id) ?? 'synced' });
    }
    return items;
  });
}

export function observeEvent(id: string): Observable<{ event: RepairEvent; sync: RowSync } | null> {
  return liveQuery(async () => {
    const db = localDb();
    const row = await db.repairEvent.get(id);
    if (!row || !isLive(row)) return null;
    const sync = await rowSyncStates(db, [id]);
    return { event: asEvent(row), sync: sync.get(id) ?? 'synced' };
  });
}

export interface TicketListItem {
  ticket: RepairTicket;
  sync: RowSync;
}

export function observeTickets(eventId: string): Observable<TicketListItem[]> {
  return liveQuery(async () => {
    const db = localDb();
    const tickets = (await db.repairTicket.where('[eventId+number]').between([eventId, ''], [eventId, '\uffff']).toArray())
      .filter(isLive)
      .map(asTicket);
    const sync = await rowSyncStates(db, tickets.map((t) => t.id));
    return tickets.map((ticket) => ({ ticket, sync: sync.get(ticket.id) ?? 'synced' }));
  });
}

export function observeTicket(id: string): Observable<TicketListItem | null> {
  return liveQuery(async () => {
    const db = localDb();
    const row = await db.repairTicket.get(id);
    if (!row || !isLive(row)) return null;
    const sync = await rowSyncStates(db, [id]);
    return { ticket: asTicket(row), sync: sync.get(id) ?? 'synced' };
  });
}


/** The day's figures for an event, from the tickets on this phone — works offline. */
export function observeEventSummary(eventId: string): Observable<RepairSummary | null> {
  return liveQuery(() => eventSummary(eventId));
}

export async function eventSummary(eventId: string, db: LinliDb = localDb()): Promise<RepairSummary | null> {
  const row = await db.repairEvent.get(eventId);
  if (!row || !isLive(row)) return null;
  const tickets = (await db.repairTicket.where('eventId').equals(eventId).toArray()).map(asTicket);
  return summarizeRepairs(tickets, asEvent(row));
}

/** Home repairs (上门维修, no event) still to be done or collected, oldest first — for the repair tab. */
export function observeHomeRepairs(): Observable<TicketListItem[]> {
  return liveQuery(async () => {
    const db = localDb();
    const rows = await db.repairTicket
      .where('householdId')
      .above('')
      .filter((t) => isLive(t) && !t.eventId && t.status !== 'collected' && t.status !== 'cancelled' && t.status !== 'noShow')
      .toArray();
    const tickets = rows.map(asTicket).sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
    const sync = await rowSyncStates(db, tickets.map((t) => t.id));
    return tickets.map((ticket) => ({ ticket, sync: sync.get(ticket.id) ?? 'synced' }));
  });
}

export interface EventDraft {
  id: string;
  title: string;
  date: string;
  site: string;
  status: RepairEvent['status'];
  volunteerCount?: number;
  volunteerHours?: number;
}

/** Creates or edits an event; `draft.id` is made when the form opens, so a double save writes one event. */
export function saveRepairEvent(draft: EventDraft, db: LinliDb = localDb()): Promise<SaveResult<RepairEvent>> {
  return saving(db, ['repairEvent'], () => saveEvent(draft, db));
}

async function saveEvent(draft: EventDraft, db: LinliDb): Promise<SaveResult<RepairEvent>> {
  const [{ user, clock }, existing] = await Promise.all([actor(db), db.repairEvent.get(draft.id)]);
  const now = new Date().toISOString();
  const candidate = {
    ...(existing ? asEvent(existing) : { teamId: user.teamId, createdAt: now, createdBy: user.id, deleted: false, volunteerCount: 0, volunteerHours: 0 }),
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
  if (t.feeFen !== proposedCharge(t.feeTier, t.materialsFen) && !t.feeReason.trim()) errors.feeReason = 'v.feeReason';
  if (isMiscCategory(t.category) && t.outcome === 'fixed' && t.weightKg === null) errors.weightKg = 'v.weightForMisc';
  return errors;
}

export const TICKET_NUMBER_DIGITS = 3;

export function formatTicketNumber(letter: string, n: number): string {
  return `${letter}-${String(n).padStart(TICKET_NUMBER_DIGITS, '0')}`;
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
async function nextTicketNumber(db: LinliDb, eventId: string | null, letter: string, counters: readonly MetaRow[]): Promise<{ number: string; write: Promise<unknown> }> {
  const key = `ticketCounter:${eventId ?? ''}:${letter}` as const;
  let last = counters.find((c) => c.key === key)?.value as number | undefined;
  if (last === undefined) {
    const prefix = `${letter}-`;
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
  return { number: formatTicketNumber(letter, last + 1), write: db.meta.put({ key, value: last + 1 }) };
}

export function saveRepairTicket(draft: TicketDraft, db: LinliDb = localDb()): Promise<SaveResult<RepairTicket>> {
  return saving(db, ['repairTicket'], () => saveTicketInTransaction(draft, db));
}

/** `saveRepairTicket` inside a transaction the caller holds (with repairTicket, outbox and meta). */
export async function saveTicketInTransaction(draft: TicketDraft, db: LinliDb): Promise<SaveResult<RepairTicket>> {
  // two round trips in all: everything the save reads, then everything it writes
  const [{ user, letter, clock }, existing, counters] = await Promise.all([actor(db), db.repairTicket.get(draft.id), eventCounters(db, draft.eventId)]);
  if (!existing && !letter) throw new StorageError('failed', 'no device letter');
  const now = new Date().toISOString();
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
  const numbered = existing?.number ? null : await nextTicketNumber(db, draft.eventId, letter ?? 'A', counters);
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
    await writeInTransaction(db, type, id, { deleted: true, updatedAt: new Date().toISOString() }, { current });
  });
}
