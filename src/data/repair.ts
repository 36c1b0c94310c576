/**
 * Repair events and their tickets on the device: live lists as the screens read them, each
 * row with whether the server has it yet; an event's day summary (offline, the same function
 * the server runs); and the saves — events, tickets numbered for their paper tag (`B-017`,
 * unique across phones taking items in offline at once), deletions as tombstones.
 */
import { liveQuery } from 'dexie';
import { withDefaults } from '../shared/record-defaults.ts';
import type { RepairEvent, RepairTicket } from '../shared/repair.ts';
import type { RepairCategoryKey } from '../shared/repair-impact.ts';

import type { RepairSummary } from '../shared/repair-summary.ts';
import { localDb, type LocalRow } from './db.ts';
import type { Observable } from './observable.ts';
import { localFields } from './records.ts';
import { isLive, rowSyncStates, type RowSync } from './row-sync.ts';

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

/** How many of this phone's tickets are in each category: the intake puts the most used first. */
export function observeCategoryUse(): Observable<Partial<Record<RepairCategoryKey, number>>> {
  return liveQuery(async () => {
    const counts: Partial<Record<RepairCategoryKey, number>> = {};
    await localDb()
      .repairTicket.filter(isLive)
      .each((row) => {
        const c = row.category as RepairCategoryKey | undefined;
        if (c) counts[c] = (counts[c] ?? 0) + 1;
      });
    return counts;
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

