/**
 * The team's settings on the phone (shared/team-settings.ts): its grids for the household
 * form and the department for an urgent medical need, as the last sync brought them.
 */
import { liveQuery } from 'dexie';
import { withDefaults } from '../shared/record-defaults.ts';
import type { TeamSettings } from '../shared/team-settings.ts';
import { localDb, type LinliDb } from './db.ts';
import type { Observable } from './observable.ts';

export type { TeamSettings };

export async function teamSettings(db: LinliDb, teamId: string): Promise<TeamSettings> {
  const row = await db.teamSettings.get(teamId);
  return withDefaults('teamSettings', row ?? { id: teamId });
}

export function observeTeamSettings(): Observable<TeamSettings> {
  return liveQuery(async () => {
    const db = localDb();
    const user = await db.getMeta('user');
    return teamSettings(db, user?.teamId ?? '');
  });
}
