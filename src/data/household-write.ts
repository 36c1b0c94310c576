/**
 * Saving door-to-door records: a household, a resident, and a visit together with the needs
 * it found — one transaction, everything validated before anything is written, each need
 * with the first entry of its history. A visit is always a new record (append-only): two
 * workers at the same door offline make two visits, never one overwritten.
 */
import type { Household, Resident } from '../shared/household.ts';
import type { Need, NeedAction, NeedCategory, NeedRoute } from '../shared/need.ts';
import type { Visit } from '../shared/visit.ts';
import { localDay } from '../shared/due.ts';
import { localDb, type LinliDb, type SignedInUser } from './db.ts';
import { newId } from './records.ts';
import { refreshRollups } from './rollups.ts';
import { isLive } from './row-sync.ts';
import { actor, commit, prepare, putRecord, saving, type FieldErrors, type Prepared, type SaveResult } from './save.ts';

/** Who writes, and when: every record of one save carries the same instant. */
export interface SaveContext {
  user: SignedInUser;
  now: string;
}

type Editable<T> = Omit<T, 'id' | 'teamId' | 'createdAt' | 'createdBy' | 'updatedAt' | 'deleted'>;

export type HouseholdDraft = { id: string } & Partial<Editable<Household>>;
export type ResidentDraft = { id: string; householdId: string } & Partial<Omit<Editable<Resident>, 'householdId'>>;

/** Creates or edits a household; the id is made when the form opens, so a double save writes one. */
export function saveHousehold(draft: HouseholdDraft, db: LinliDb = localDb()): Promise<SaveResult<Household>> {
  return saving(db, ['household'], async () => {
    const { user } = await actor(db);
    const result = await putRecord(db, 'household', draft.id, draft, { user, now: new Date().toISOString() });
    if (result.ok) await refreshRollups(db, [{ type: 'household', rowId: draft.id }]);
    return result;
  });
}

export function saveResident(draft: ResidentDraft, db: LinliDb = localDb()): Promise<SaveResult<Resident>> {
  return saving(db, ['resident'], async () => {
    const { user } = await actor(db);
    return putRecord(db, 'resident', draft.id, draft, { user, now: new Date().toISOString() });
  });
}

export interface NeedInput {
  id: string;
  category: NeedCategory;
  urgency: Need['urgency'];
  description: string;
  route: NeedRoute;
  department: string;
}

export type VisitDraft = { id: string; householdId: string } & Partial<Omit<Editable<Visit>, 'householdId' | 'byName'>> & { needs: NeedInput[] };

export type VisitResult = { ok: true; visit: Visit; needs: Need[] } | { ok: false; errors: FieldErrors; needErrors: FieldErrors[] };

/** A department route needs the department's name. */
export function needRules(n: Need): FieldErrors {
  return n.route === 'department' && !n.department.trim() ? { department: 'v.departmentRequired' } : {};
}

/** Writes a new need and the first entry of its history. Inside a transaction over need, needLog. */
export async function createNeed(db: LinliDb, input: NeedInput & { householdId: string; visitId: string | null; healthCheckId: string | null }, ctx: SaveContext) {
  const p = await prepare(db, 'need', input.id, { ...input, status: 'open' }, { ...ctx, rules: needRules });
  if (!p.ok) return p;
  const need = await commit(db, p.prepared);
  await commit(db, await preparedLog(db, need.id, 'created', 'open', '', ctx));
  return { ok: true as const, need };
}

export async function preparedLog(
  db: LinliDb,
  needId: string,
  action: NeedAction,
  status: Need['status'],
  note: string,
  ctx: SaveContext,
  logId: string = newId(),
): Promise<Prepared<'needLog'>> {
  const p = await prepare(db, 'needLog', logId, { needId, at: ctx.now, byName: ctx.user.name, action, status, note: note.slice(0, 1000) }, ctx);
  if (!p.ok) throw new Error(`need history entry refused: ${JSON.stringify(p.errors)}`);
  return p.prepared;
}

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
      if (!existed.has(need.id)) await commit(db, await preparedLog(db, need.id, 'created', 'open', '', ctx));
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
