/** Saving households and residents; the id is made when the form opens, so a double save writes one. Run by the writer (writes.ts). */
import type { Household, Resident } from '../shared/household.ts';
import { withDefaults } from '../shared/record-defaults.ts';
import { localDb, type LinliDb } from './db.ts';
import { localFields } from './records.ts';
import { refreshRollups } from './rollups.ts';
import { actor, commit, prepare, putRecord, saving, type Editable, type SaveResult } from './save.ts';

export type HouseholdDraft = { id: string } & Partial<Editable<Household>>;
export type ResidentDraft = { id: string; householdId: string } & Partial<Omit<Editable<Resident>, 'householdId'>>;

/**
 * Creates or edits a household; the id is made when the form opens, so a double save writes
 * one. With `headResidentId` (also made when the form opens), the head is registered as the
 * household's first resident in the same transaction — no name typed twice for a health check;
 * a second save finds that resident already there.
 */
export function saveHousehold(
  { headResidentId, ...draft }: HouseholdDraft & { headResidentId?: string | undefined },
  db: LinliDb = localDb(),
): Promise<SaveResult<Household>> {
  return saving(db, ['household', 'resident'], async () => {
    const { user, now } = await actor(db);
    const result = await putRecord(db, 'household', draft.id, draft, { user, now });
    if (!result.ok) return result;
    if (headResidentId && !(await db.resident.get(headResidentId))) {
      const h = result.record;
      const head = await prepare(db, 'resident', headResidentId, { householdId: h.id, name: h.headName, phone: h.phone }, { user, now });
      if (head.ok) await commit(db, head.prepared);
    }
    await refreshRollups(db, [{ type: 'household', rowId: draft.id }]);
    return result;
  });
}

export function saveResident(draft: ResidentDraft, db: LinliDb = localDb()): Promise<SaveResult<Resident>> {
  return saving(db, ['resident'], async () => {
    const { user, now } = await actor(db);
    return putRecord(db, 'resident', draft.id, draft, { user, now });
  });
}

/** Contact and care fields a merged registration may fill where the kept one is empty. */
const FILLABLE = ['compound', 'unit', 'phone', 'dialect', 'translator', 'translatorPhone', 'emergencyName', 'emergencyPhone', 'emergencyRelation', 'doctorName', 'doctorPhone'] as const;

/**
 * One dwelling registered twice: `dupId` is merged into `keepId`. The kept household takes
 * what only the other knew (a phone, the emergency contact, tags, the earlier follow-up,
 * its notes); the other is deleted and names the one it went into, so its visits, needs,
 * residents and checks — kept as recorded — are read as the kept household's, here, on
 * the server's reports, and on a phone that adds to it while offline. One transaction.
 */
export function mergeHouseholds(keepId: string, dupId: string, db: LinliDb = localDb()): Promise<SaveResult<Household>> {
  return saving(db, ['household', 'visit'], async () => {
    const { user, now } = await actor(db);
    if (user.role === 'volunteer') return { ok: false, errors: { form: 'household.mergeCoordinator' } };
    const [keepRow, dupRow] = await Promise.all([db.household.get(keepId), db.household.get(dupId)]);
    if (!keepRow || !dupRow || keepId === dupId || keepRow.deleted || dupRow.deleted) return { ok: false, errors: { form: 'household.notFound' } };
    const keep = withDefaults('household', localFields(keepRow));
    const dup = withDefaults('household', localFields(dupRow));
    const fill: Partial<Household> = {};
    for (const k of FILLABLE) if (!keep[k].trim() && dup[k].trim()) fill[k] = dup[k];
    const tags = [...new Set([...keep.tags, ...dup.tags])];
    if (tags.length !== keep.tags.length) fill.tags = tags;
    if (dup.followUpOn && (!keep.followUpOn || dup.followUpOn < keep.followUpOn)) Object.assign(fill, { followUpOn: dup.followUpOn, followUpReason: dup.followUpReason });
    if (dup.notes.trim() && !keep.notes.includes(dup.notes.trim())) fill.notes = [keep.notes.trim(), dup.notes.trim()].filter(Boolean).join('\n').slice(0, 2000);
    const kept = await putRecord(db, 'household', keepId, fill, { user, now });
    if (!kept.ok) return kept;
    const gone = await putRecord(db, 'household', dupId, { mergedInto: keepId, deleted: true }, { user, now });
    if (!gone.ok) return gone;
    await refreshRollups(db, [
      { type: 'household', rowId: keepId },
      { type: 'household', rowId: dupId },
    ]);
    return { ok: true, record: kept.record };
  });
}
