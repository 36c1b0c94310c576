/** A coordinator sets the team's grids, urgent department, hours rounding and repair fee rule; they reach every phone of the team with its next sync. Run by the writer (writes.ts). */
import type { TeamSettings } from '../shared/team-settings.ts';
import { localDb, type LinliDb } from './db.ts';
import { actor, putRecord, saving, type SaveResult } from './save.ts';

export function saveTeamSettings(
  settings: Pick<TeamSettings, 'grids' | 'urgentDepartment'> & Partial<Pick<TeamSettings, 'hoursRoundingMinutes' | 'serviceFeeIfNotFixed'>>,
  db: LinliDb = localDb(),
): Promise<SaveResult<TeamSettings>> {
  return saving(db, ['teamSettings'], async () => {
    const { user, now } = await actor(db);
    if (user.role === 'volunteer') return { ok: false, errors: { form: 'error.forbidden' } };
    return putRecord(db, 'teamSettings', user.teamId, { ...settings, urgentDepartment: settings.urgentDepartment.trim() }, { user, now });
  });
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A new page code: ten random letters (50 bits), so a link cannot be guessed from another. */
export function newAskCode(): string {
  return [...crypto.getRandomValues(new Uint8Array(10))].map((b) => CROCKFORD[b & 31]).join('');
}

/**
 * The residents' request page (issue 22): opened (with a code made here the first time),
 * closed, or given a new code — the old link and poster then take nothing.
 */
export function setAskPage(change: { open: boolean; newCode?: boolean }, db: LinliDb = localDb()): Promise<SaveResult<TeamSettings>> {
  return saving(db, ['teamSettings'], async () => {
    const { user, now } = await actor(db);
    if (user.role === 'volunteer') return { ok: false, errors: { form: 'error.forbidden' } };
    const current = await db.teamSettings.get(user.teamId);
    const askCode = change.newCode || !current?.askCode ? newAskCode() : current.askCode;
    return putRecord(db, 'teamSettings', user.teamId, { askCode, askOpen: change.open }, { user, now });
  });
}
