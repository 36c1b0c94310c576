/** A coordinator sets the team's grids and urgent department; they reach every phone of the team with its next sync. Run by the writer (writes.ts). */
import type { TeamSettings } from '../shared/team-settings.ts';
import { localDb, type LinliDb } from './db.ts';
import { actor, putRecord, saving, type SaveResult } from './save.ts';

export function saveTeamSettings(
  settings: Pick<TeamSettings, 'grids' | 'urgentDepartment'> & Partial<Pick<TeamSettings, 'hoursRoundingMinutes'>>,
  db: LinliDb = localDb(),
): Promise<SaveResult<TeamSettings>> {
  return saving(db, ['teamSettings'], async () => {
    const { user, now } = await actor(db);
    if (user.role === 'volunteer') return { ok: false, errors: { form: 'error.forbidden' } };
    return putRecord(db, 'teamSettings', user.teamId, { ...settings, urgentDepartment: settings.urgentDepartment.trim() }, { user, now });
  });
}
