/**
 * Recording a visit (append-only: two workers at the same door offline make two visits,
 * never one overwritten) with the needs found at the door, in one transaction where
 * everything is validated before anything is written. Run by the writer (writes.ts).
 */
import { localDay } from '../shared/due.ts';
import type { Household } from '../shared/household.ts';
import type { Need } from '../shared/need.ts';
import type { Visit } from '../shared/visit.ts';
import { localDb, type LinliDb } from './db.ts';
import { refreshRollups } from './rollups.ts';
import { isLive } from './row-sync.ts';
import { actor, commit, hideFact, prepare, saving, type Editable, type FieldErrors, type SaveResult } from './save.ts';
import { needRules, preparedLog, type NeedInput } from './need-save.ts';

export type VisitDraft = { id: string; householdId: string } & Partial<Omit<Editable<Visit>, 'householdId' | 'byName'>> & { needs: NeedInput[] };

export type VisitResult = { ok: true; visit: Visit; needs: Need[] } | { ok: false; errors: FieldErrors; needErrors: FieldErrors[] };

/**
 * Records a visit and the needs found on it. A visit where someone was met settles a
 * follow-up that was due; a follow-up asked for on this visit is set on the household.
 */
export function recordVisit(draft: VisitDraft, db: LinliDb = localDb()): Promise<VisitResult> {
  return saving(db, ['visit', 'household', 'need', 'needLog'], async () => {
    const { user, now } = await actor(db);
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

/** A visit recorded by mistake (the wrong household, twice): hidden with the reason, kept for the audit. */
export function hideVisit(id: string, reason: string, db: LinliDb = localDb()): Promise<SaveResult<Visit>> {
  return hideFact(db, 'visit', id, reason);
}
