/**
 * Households and their residents on the phone, as the grid worker reads them: found fast by
 * any part of a name, a phone number, an address or a grid code (index look-ups on words
 * derived when each row is written, a page at a time — never a scan of every household), the
 * same-address warning, one household with everything about it; and their saves.
 */
import { Dexie, liveQuery } from 'dexie';
import { dwellingKey, sameDwelling, searchKeys } from '../shared/address.ts';
import type { Household, HouseholdTag, Resident } from '../shared/household.ts';
import { isOpenNeed, type Need } from '../shared/need.ts';
import { withDefaults } from '../shared/record-defaults.ts';
import { dueState, localDay, type Due } from '../shared/due.ts';
import type { Visit } from '../shared/visit.ts';
import { localDb, type LinliDb, type LocalRow } from './db.ts';
import type { Observable } from './observable.ts';
import { localFields } from './records.ts';
import { householdIds, mergedEnd } from './rollups.ts';
import { isLive, rowSyncStates, type RowSync } from './row-sync.ts';

export type { Household, HouseholdTag, Resident, Visit, Need, Due };

export const HOUSEHOLD_PAGE = 30;

export function asHousehold(row: LocalRow<'household'>): Household {
  return withDefaults('household', localFields(row));
}
export function asResident(row: LocalRow<'resident'>): Resident {
  return withDefaults('resident', localFields(row));
}

export interface HouseholdQuery {
  text: string;
  tags: readonly HouseholdTag[];
  grid: string;
  limit: number;
}

export interface HouseholdListItem {
  household: Household;
  residents: string[];
  dueOn: string;
  sync: RowSync;
}

export interface HouseholdPage {
  items: HouseholdListItem[];
  more: boolean;
}

/**
 * One page of households for a query. With words: the households whose derived search words
 * start with them, then those of residents who match, from the two indexes; with only
 * filters: the tag index or the grid index; with nothing: by grid and address.
 */
export async function findHouseholds(q: HouseholdQuery, db: LinliDb = localDb()): Promise<HouseholdPage> {
  const wanted = (h: LocalRow<'household'>) =>
    isLive(h) && (!q.grid || h.gridCode === q.grid) && q.tags.every((t) => h.tags?.includes(t));
  const limit = q.limit + 1;
  let rows: LocalRow<'household'>[];
  const keys = searchKeys(q.text);
  if (keys.length > 0) {
    rows = await db.household.where('$terms').startsWithAnyOf(keys).distinct().filter(wanted).limit(limit).toArray();
    if (rows.length < limit) {
      const seen = new Set(rows.map((h) => h.id));
      const viaResidents = await db.resident.where('$terms').startsWithAnyOf(keys).distinct().filter(isLive).limit(limit * 2).toArray();
      const ids = [...new Set(viaResidents.map((r) => r.householdId).filter((id): id is string => Boolean(id) && !seen.has(id!)))];
      const more = (await db.household.bulkGet(ids)).filter((h): h is LocalRow<'household'> => Boolean(h) && wanted(h!));
      rows = [...rows, ...more].slice(0, limit);
    }
  } else if (q.tags.length > 0) {
    rows = await db.household.where('tags').equals(q.tags[0]!).filter(wanted).limit(limit).toArray();
    rows.sort((a, b) => ((a.gridCode ?? '') + (a.$addressKey ?? '')).localeCompare((b.gridCode ?? '') + (b.$addressKey ?? ''), 'zh-CN', { numeric: true }));
  } else if (q.grid) {
    rows = await db.household.where('[gridCode+$addressKey]').between([q.grid, Dexie.minKey], [q.grid, Dexie.maxKey]).filter(wanted).limit(limit).toArray();
  } else {
    rows = await db.household.orderBy('[gridCode+$addressKey]').filter(wanted).limit(limit).toArray();
  }
  const more = rows.length > q.limit;
  const page = rows.slice(0, q.limit);
  const ids = page.map((h) => h.id);
  const [residents, sync] = await Promise.all([db.resident.where('householdId').anyOf(ids).toArray(), rowSyncStates(db, ids)]);
  const names = new Map<string, string[]>();
  for (const r of residents) if (isLive(r) && r.householdId) names.set(r.householdId, [...(names.get(r.householdId) ?? []), r.name ?? '']);
  return {
    more,
    items: page.map((row) => ({ household: asHousehold(row), residents: names.get(row.id) ?? [], dueOn: row.$dueOn ?? '', sync: sync.get(row.id) ?? 'synced' })),
  };
}

export function observeHouseholds(q: HouseholdQuery): Observable<HouseholdPage> {
  return liveQuery(() => findHouseholds(q));
}

/** The grid codes in use, for the filter. */
export function observeGrids(): Observable<string[]> {
  return liveQuery(async () => {
    const keys = (await localDb().household.orderBy('[gridCode+$addressKey]').uniqueKeys()) as unknown as [string, string][];
    return [...new Set(keys.map((k) => k[0]))];
  });
}

/** Households already at this address — on this phone or already synced to it — other than `selfId`. */
export async function householdsAtAddress(
  draft: Pick<Household, 'compound' | 'building' | 'unit' | 'room'>,
  selfId?: string,
  db: LinliDb = localDb(),
): Promise<Household[]> {
  if (!draft.building.trim() || !draft.room.trim()) return [];
  const rows = await db.household.where('$dwellingKey').equals(dwellingKey(draft)).toArray();
  return rows.filter((h) => h.id !== selfId && isLive(h) && sameDwelling(draft, asHousehold(h))).map(asHousehold);
}

/** Where a household stands today, in this phone's calendar. */
export function householdDue(h: Household, lastMetAt: string | null, today: string): Due {
  return dueState(
    { registeredOn: h.createdAt ? localDay(h.createdAt) : today, intervalDays: h.visitIntervalDays, lastMetOn: lastMetAt ? localDay(lastMetAt) : null, followUpOn: h.followUpOn },
    today,
  );
}

export interface HouseholdDetail {
  household: Household;
  sync: RowSync;
  residents: { resident: Resident; sync: RowSync; lastLevel: string | null }[];
  visits: { visit: Visit; sync: RowSync }[];
  needs: { need: Need; sync: RowSync }[];
  /** Home repairs (上门维修) for this household. */
  tickets: { id: string; number: string; status: string; problem: string }[];
  lastMetAt: string | null;
  due: Due;
}

/** A household merged into another opens as the one it went into; its records are those of every registration merged into it. */
export async function householdDetail(requested: string, db: LinliDb = localDb()): Promise<HouseholdDetail | null> {
  const row = await db.household.get(await mergedEnd(db, requested));
  if (!row || !isLive(row)) return null;
  const id = row.id;
  const ids = await householdIds(db, id);
  const [residents, visitLists, needs, tickets] = await Promise.all([
    db.resident.where('householdId').anyOf(ids).filter(isLive).toArray(),
    Promise.all(ids.map((h) => db.visit.where('[householdId+at]').between([h, Dexie.minKey], [h, Dexie.maxKey]).filter(isLive).toArray())),
    db.need.where('householdId').anyOf(ids).filter(isLive).toArray(),
    db.repairTicket.where('householdId').anyOf(ids).filter(isLive).toArray(),
  ]);
  const visits = visitLists.flat().sort((a, b) => ((a.at ?? '') < (b.at ?? '') ? 1 : -1));
  const sync = await rowSyncStates(db, [id, ...residents.map((r) => r.id), ...visits.map((v) => v.id), ...needs.map((n) => n.id)]);
  const household = asHousehold(row);
  const lastMetAt = row.$lastMetAt ?? null;
  const today = localDay(Date.now());
  const needItems = needs.map((n) => ({ need: withDefaults('need', localFields(n)), sync: sync.get(n.id) ?? 'synced' }));
  // open first, urgent first, newest first
  needItems.sort(
    (a, b) =>
      Number(isOpenNeed(b.need.status)) - Number(isOpenNeed(a.need.status)) ||
      Number(b.need.urgency === 'urgent') - Number(a.need.urgency === 'urgent') ||
      (a.need.createdAt < b.need.createdAt ? 1 : -1),
  );
  return {
    household,
    sync: sync.get(id) ?? 'synced',
    residents: residents.map((r) => ({ resident: asResident(r), sync: sync.get(r.id) ?? 'synced', lastLevel: r.$lastLevel ?? null })),
    visits: visits.map((v) => ({ visit: withDefaults('visit', localFields(v)), sync: sync.get(v.id) ?? 'synced' })),
    needs: needItems,
    tickets: tickets.map((tk) => ({ id: tk.id, number: tk.number ?? '', status: tk.status ?? 'waiting', problem: tk.problem ?? '' })),
    lastMetAt,
    due: householdDue(household, lastMetAt, today),
  };
}

export function observeHousehold(id: string): Observable<HouseholdDetail | null> {
  return liveQuery(() => householdDetail(id));
}

