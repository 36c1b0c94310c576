/**
 * Repair events and their tickets on the device, as the screens read them: live lists, each
 * row with whether the server has it yet. Saving is in `repair-write.ts`.
 */
import { liveQuery } from 'dexie';
import type { RepairEvent, RepairTicket } from '../shared/records.ts';
import type { MessageKey } from '../shared/i18n/index.ts';
import { localDb, type LinliDb, type LocalRow } from './db.ts';
import type { Observable } from './observable.ts';

export type { RepairEvent, RepairTicket };

/** Where a row stands: only on this phone, on the server, or refused by it. */
export type RowSync = 'pending' | 'synced' | 'failed';

export type FieldErrors = Partial<Record<string, MessageKey>>;
export type SaveResult<T> = { ok: true; record: T } | { ok: false; errors: FieldErrors };

async function rowSyncStates(db: LinliDb, rowIds: string[]): Promise<Map<string, RowSync>> {
  const states = new Map<string, RowSync>();
  if (rowIds.length === 0) return states;
  // Index keys only, no records: the outbox and the refused list are short, a list may be long.
  const [pending, failed] = await Promise.all([db.outbox.orderBy('rowId').uniqueKeys(), db.failed.orderBy('rowId').uniqueKeys()]);
  const pendingRows = new Set(pending as string[]);
  const failedRows = new Set(failed as string[]);
  for (const id of rowIds) states.set(id, failedRows.has(id) ? 'failed' : pendingRows.has(id) ? 'pending' : 'synced');
  return states;
}

function isLive<T extends { deleted?: boolean | undefined }>(row: T): boolean {
  return row.deleted !== true;
}

/** A complete event from a stored row (fields not yet synced in get defaults). */
export function asEvent(row: LocalRow<'repairEvent'>): RepairEvent {
  const { $clocks: _clocks, ...fields } = row;
  return { title: '', date: '', site: '', status: 'open', teamId: '', createdAt: '', createdBy: '', updatedAt: '', deleted: false, ...fields } as RepairEvent;
}

export function asTicket(row: LocalRow<'repairTicket'>): RepairTicket {
  const { $clocks: _clocks, ...fields } = row;
  return {
    eventId: null,
    householdId: null,
    mode: 'event',
    number: '',
    category: '',
    item: '',
    brand: '',
    model: '',
    problem: '',
    residentName: '',
    residentPhone: '',
    status: 'waiting',
    notes: '',
    feeFen: 0,
    teamId: '',
    createdAt: '',
    createdBy: '',
    updatedAt: '',
    deleted: false,
    ...fields,
  } as RepairTicket;
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

