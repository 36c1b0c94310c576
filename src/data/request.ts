/**
 * Residents' requests on the coordinator's phone (待受理), and the wish board (微心愿) on a
 * volunteer's, from the phone's own rows, offline: each incoming request with the households
 * already at the address the resident typed (the same-dwelling warning); the accepted wishes
 * no one has claimed yet, and those this volunteer claimed.
 */
import { liveQuery } from 'dexie';
import type { Household } from '../shared/household.ts';
import type { Need } from '../shared/need.ts';
import { withDefaults } from '../shared/record-defaults.ts';
import type { ResidentRequest } from '../shared/request.ts';
import { localDb, type LinliDb } from './db.ts';
import { householdsAtAddress } from './household.ts';
import type { Observable } from './observable.ts';
import { localFields } from './records.ts';
import { isLive } from './row-sync.ts';

export type { ResidentRequest };

export interface IncomingRequest {
  request: ResidentRequest;
  /** Households already registered at the typed address. */
  sameDwelling: Household[];
}

export interface RequestLists {
  incoming: IncomingRequest[];
  /** Answered ones, newest first (the last 50). */
  answered: ResidentRequest[];
}

export async function requestLists(db: LinliDb = localDb()): Promise<RequestLists> {
  const rows = (await db.request.filter(isLive).toArray()).map((r) => withDefaults('request', localFields(r)));
  rows.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const incoming: IncomingRequest[] = [];
  for (const request of rows.filter((r) => r.status === 'received').reverse()) {
    incoming.push({ request, sameDwelling: await householdsAtAddress({ compound: '', building: request.building, unit: request.unit, room: request.room }, undefined, db) });
  }
  return { incoming, answered: rows.filter((r) => r.status !== 'received').slice(0, 50) };
}

export function observeRequests(): Observable<RequestLists> {
  return liveQuery(() => requestLists());
}

export interface Wish {
  need: Need;
  request: ResidentRequest | null;
  household: Household | null;
}

export interface WishBoard {
  /** Accepted wishes no one has claimed, oldest first. */
  open: Wish[];
  /** Claimed by this account and not yet done. */
  mine: Wish[];
  /** Claimed by someone else: who has it. */
  taken: Wish[];
}

/** The wish board: needs that came from a resident's 微心愿, as this phone holds them. */
export async function wishBoard(db: LinliDb = localDb()): Promise<WishBoard> {
  const user = await db.getMeta('user');
  const requests = (await db.request.filter((r) => isLive(r) && r.kind === 'wish' && r.status === 'accepted').toArray()).map((r) => withDefaults('request', localFields(r)));
  const needs = await db.need.bulkGet(requests.map((r) => r.needId ?? ''));
  const homes = await db.household.bulkGet(needs.map((n) => n?.householdId ?? ''));
  const board: WishBoard = { open: [], mine: [], taken: [] };
  requests.forEach((request, i) => {
    const row = needs[i];
    if (!row || !isLive(row)) return;
    const need = withDefaults('need', localFields(row));
    const wish = { need, request, household: homes[i] ? withDefaults('household', localFields(homes[i]!)) : null };
    if (!need.claimedBy && need.status === 'open') board.open.push(wish);
    else if (need.claimedBy && need.claimedBy === user?.id) {
      if (need.status === 'inProgress') board.mine.push(wish);
    } else if (need.claimedBy && (need.status === 'inProgress' || need.status === 'resolved')) board.taken.push(wish);
  });
  board.open.sort((a, b) => a.need.createdAt.localeCompare(b.need.createdAt));
  return board;
}

export function observeWishBoard(): Observable<WishBoard> {
  return liveQuery(() => wishBoard());
}
