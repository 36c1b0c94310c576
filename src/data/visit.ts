/**
 * Visits on the phone: recording one (append-only — two workers at the same door offline
 * make two visits, never one overwritten) together with the needs found at the door, in one
 * transaction where everything is validated before anything is written; and today's work,
 * the due list, read from the due-day and follow-up indexes.
 */
import { liveQuery } from 'dexie';
import { compareDue, localDay } from '../shared/due.ts';
import type { Household } from '../shared/household.ts';
import type { Need } from '../shared/need.ts';
import { withDefaults } from '../shared/record-defaults.ts';
import { localDb, type LinliDb } from './db.ts';
import { asHousehold, householdDue } from './household.ts';
import type { Observable } from './observable.ts';
import { localFields } from './records.ts';
import { isLive } from './row-sync.ts';
import type { Due } from '../shared/due.ts';

export interface DueItem {
  household: Household;
  due: Due;
  lastMetAt: string | null;
}

export interface DueList {
  households: DueItem[];
  /** How many more households are due than the list shows. */
  moreHouseholds: number;
  urgentNeeds: { need: Need; household: Household | null }[];
}

export const DUE_LIST_LIMIT = 100;

/**
 * Today's work: households due by their interval or a follow-up asked for (follow-ups and
 * the longest overdue first), and urgent needs still open. Read from the due-day and
 * follow-up indexes, and only as many households as the list shows: the due-day index holds
 * live households only (a deleted one has no due day) in the order the list wants, so the
 * first rows of its range are the longest overdue, and how many more there are is the
 * index's own count — a street's register all due costs what a hundred do.
 */
export async function dueList(today = localDay(Date.now()), db: LinliDb = localDb()): Promise<DueList> {
  const dueRange = () => db.household.where('$dueOn').between('0000-00-00', today, true, true);
  const [byFollowUp, dueCount, open] = await Promise.all([
    db.household.where('followUpOn').belowOrEqual(today).filter(isLive).toArray(),
    dueRange().count(),
    // a need handed over to a home repair is the repair's to finish, not one to act on
    db.need
      .where('status')
      .anyOf(['open', 'assigned', 'inProgress'])
      .filter((n) => isLive(n) && n.urgency === 'urgent' && !(n.repairTicketId && n.status === 'inProgress'))
      .toArray(),
  ]);
  const followUps = new Set(byFollowUp.map((h) => h.id));
  const room = Math.max(0, DUE_LIST_LIMIT - byFollowUp.length);
  const byInterval =
    room === 0
      ? []
      : await dueRange()
          .filter((h) => isLive(h) && !followUps.has(h.id))
          .limit(room)
          .toArray();
  // a household due both ways is counted once
  const both = byFollowUp.filter((h) => h.$dueOn && h.$dueOn >= '0000-00-00' && h.$dueOn <= today).length;
  const total = dueCount + byFollowUp.length - both;
  const items: DueItem[] = [...byFollowUp, ...byInterval].map((row) => {
    const household = asHousehold(row);
    const lastMetAt = row.$lastMetAt ?? null;
    return {
      household,
      lastMetAt,
      due: householdDue(household, lastMetAt, today),
    };
  });
  items.sort((a, b) => compareDue(a.due, b.due));
  const needHouseholds = await db.household.bulkGet(open.map((n) => n.householdId ?? ''));
  const urgentNeeds = open
    .map((n, i) => ({ need: withDefaults('need', localFields(n)), household: needHouseholds[i] ? asHousehold(needHouseholds[i]!) : null }))
    .sort((a, b) => (a.need.createdAt < b.need.createdAt ? -1 : 1));
  const households = items.slice(0, DUE_LIST_LIMIT);
  return { households, moreHouseholds: Math.max(0, total - households.length), urgentNeeds };
}

export function observeDueList(): Observable<DueList> {
  return liveQuery(() => dueList());
}
