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
import type { Visit } from '../shared/visit.ts';
import { withDefaults } from '../shared/record-defaults.ts';
import { localDb, type LinliDb, type LocalRow } from './db.ts';
import { asHousehold, householdDue } from './household.ts';
import { needRules, preparedLog, type NeedInput } from './need.ts';
import type { Observable } from './observable.ts';
import { localFields } from './records.ts';
import { refreshRollups } from './rollups.ts';
import { isLive } from './row-sync.ts';
import { actor, commit, prepare, saving, type Editable, type FieldErrors } from './save.ts';
import type { Due } from '../shared/due.ts';

export type VisitDraft = { id: string; householdId: string } & Partial<Omit<Editable<Visit>, 'householdId' | 'byName'>> & { needs: NeedInput[] };

export type VisitResult = { ok: true; visit: Visit; needs: Need[] } | { ok: false; errors: FieldErrors; needErrors: FieldErrors[] };

/**
 * Records a visit and the needs found on it. A visit where someone was met settles a
 * follow-up that was due; a follow-up asked for on this visit is set on the household.
 */
export function recordVisit(draft: VisitDraft, db: LinliDb = localDb()): Promise<VisitResult> {
  return saving(db, ['visit', 'household', 'need', 'needLog'], async () => {
    const { user } = await actor(db);
    const now = new Date().toISOString();
    const ctx = { user, now };
    const { needs, ...fields } = draft;
    const visit = await prepare(db, 'visit', draft.id, { at: now, ...fields, byName: user.name }, ctx);
    const preparedNeeds = await Promise.all(
      needs.map((n) => prepare(db, 'need', n.id, { ...n, householdId: draft.householdId, visitId: draft.id, status: 'open' }, { ...ctx, rules: needRules })),
    );
    const needErrors = preparedNeeds.map((p) => (p.ok ? {} : p.errors));
    if (!visit.ok || needErrors.some((e) => Object.keys(e).length > 0)) return { ok: false, errors: visit.ok ? {} : visit.errors, needErrors };

    // A save retried after a failure that may have committed it (the writer worker lost
    // mid-save) finds its needs already there: their first history line is not written twice.
    const existed = new Set((await db.need.bulkGet(needs.map((n) => n.id))).filter((r) => r && isLive(r)).map((r) => r!.id));
    const saved = await commit(db, visit.prepared);
    const savedNeeds: Need[] = [];
    for (const p of preparedNeeds) {
      if (!p.ok) continue;
      const need = await commit(db, p.prepared);
      savedNeeds.push(need);
      if (!existed.has(need.id)) await commit(db, await preparedLog(db, need.id, { action: 'created', status: 'open' }, ctx));
    }
    const household = await db.household.get(draft.householdId);
    if (household) {
      const today = localDay(now);
      let followUp: Partial<Household> | null = null;
      if (saved.followUpOn) followUp = { followUpOn: saved.followUpOn, followUpReason: saved.notes.slice(0, 200) };
      else if (saved.outcome === 'met' && household.followUpOn && household.followUpOn <= today) followUp = { followUpOn: null, followUpReason: '' };
      if (followUp) {
        const p = await prepare(db, 'household', draft.householdId, followUp, ctx);
        if (p.ok) await commit(db, p.prepared);
      }
    }
    await refreshRollups(db, [{ type: 'visit', rowId: draft.id }]);
    return { ok: true, visit: saved, needs: savedNeeds };
  });
}

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
 * follow-up indexes, so only the due households are read.
 */
export async function dueList(today = localDay(Date.now()), db: LinliDb = localDb()): Promise<DueList> {
  const [byInterval, byFollowUp, open] = await Promise.all([
    db.household.where('$dueOn').between('0000-00-00', today, true, true).filter(isLive).toArray(),
    db.household.where('followUpOn').belowOrEqual(today).filter(isLive).toArray(),
    db.need.where('status').anyOf(['open', 'assigned', 'inProgress']).filter((n) => isLive(n) && n.urgency === 'urgent').toArray(),
  ]);
  const rows = new Map<string, LocalRow<'household'>>();
  for (const h of [...byInterval, ...byFollowUp]) rows.set(h.id, h);
  const items: DueItem[] = [...rows.values()].map((row) => {
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
  return { households: items.slice(0, DUE_LIST_LIMIT), moreHouseholds: Math.max(0, items.length - DUE_LIST_LIMIT), urgentNeeds };
}

export function observeDueList(): Observable<DueList> {
  return liveQuery(() => dueList());
}
