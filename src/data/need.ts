/**
 * Needs on the phone: one need with its household and its history, and the steps of the
 * double closed loop — each step one transaction that changes the need's fields and appends
 * who took it and when to the history. A repair need becomes a home repair ticket (上门维修)
 * in one tap, linked both ways.
 */
import { liveQuery } from 'dexie';
import { Dexie } from 'dexie';
import { needLogEntry, type Need, type NeedLog, type NeedLogEntry } from '../shared/need.ts';
import { withDefaults } from '../shared/record-defaults.ts';
import type { RepairTicket } from '../shared/repair.ts';
import { localDb, type LinliDb } from './db.ts';
import { asHousehold } from './household.ts';
import type { Observable } from './observable.ts';
import { localFields } from './records.ts';
import { isLive, rowSync, type RowSync } from './row-sync.ts';
import type { Household } from '../shared/household.ts';

export type { Need, NeedLog };

export interface NeedDetail {
  need: Need;
  sync: RowSync;
  household: Household | null;
  /** Oldest first; each line read by `needLogEntry`, with the number of the ticket it names. */
  history: (NeedLog & { entry: NeedLogEntry; ticketNumber: string })[];
  ticket: Pick<RepairTicket, 'id' | 'number'> | null;
}

export async function needDetail(id: string, db: LinliDb = localDb()): Promise<NeedDetail | null> {
  const row = await db.need.get(id);
  if (!row || !isLive(row)) return null;
  const need = withDefaults('need', localFields(row));
  const [household, logs, ticket, sync] = await Promise.all([
    db.household.get(need.householdId),
    db.needLog.where('[needId+at]').between([id, Dexie.minKey], [id, Dexie.maxKey]).toArray(),
    need.repairTicketId ? db.repairTicket.get(need.repairTicketId) : undefined,
    rowSync(db, id),
  ]);
  return {
    need,
    sync,
    household: household && isLive(household) ? asHousehold(household) : null,
    history: logs.filter(isLive).map((l) => {
      const log = withDefaults('needLog', localFields(l));
      const entry = needLogEntry(log);
      return { ...log, entry, ticketNumber: entry.ticketId && entry.ticketId === ticket?.id ? (ticket.number ?? '') : entry.ticketNumber };
    }),
    ticket: ticket && isLive(ticket) ? { id: ticket.id, number: ticket.number ?? '' } : null,
  };
}

export function observeNeed(id: string): Observable<NeedDetail | null> {
  return liveQuery(() => needDetail(id));
}

