/** Saving households and residents; the id is made when the form opens, so a double save writes one. Run by the writer (writes.ts). */
import type { Household, Resident } from '../shared/household.ts';
import { localDb, type LinliDb } from './db.ts';
import { refreshRollups } from './rollups.ts';
import { actor, putRecord, saving, type Editable, type SaveResult } from './save.ts';

export type HouseholdDraft = { id: string } & Partial<Editable<Household>>;
export type ResidentDraft = { id: string; householdId: string } & Partial<Omit<Editable<Resident>, 'householdId'>>;

/** Creates or edits a household; the id is made when the form opens, so a double save writes one. */
export function saveHousehold(draft: HouseholdDraft, db: LinliDb = localDb()): Promise<SaveResult<Household>> {
  return saving(db, ['household'], async () => {
    const { user, now } = await actor(db);
    const result = await putRecord(db, 'household', draft.id, draft, { user, now });
    if (result.ok) await refreshRollups(db, [{ type: 'household', rowId: draft.id }]);
    return result;
  });
}

export function saveResident(draft: ResidentDraft, db: LinliDb = localDb()): Promise<SaveResult<Resident>> {
  return saving(db, ['resident'], async () => {
    const { user, now } = await actor(db);
    return putRecord(db, 'resident', draft.id, draft, { user, now });
  });
}
