/**
 * Whose data a request may reach — the one place that decides it: the caller's own team, or
 * for an admin the team it asks for (`?team=`, which must exist); the coordinator's screens
 * (dashboard, exports, people and devices) for coordinators and admins only; and a report's
 * date range, checked once.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { describeIssues } from '../shared/i18n/index.ts';
import { ApiError } from './api-error.ts';
import type { AppEnv } from './app-env.ts';
import type { Db } from './db.ts';
import { dateRangeSchema } from './repair-report.ts';

/** The team in scope: the caller's, or for an admin the `?team=` asked for. */
export async function teamInScope(c: Context<AppEnv>, db: Db): Promise<string> {
  const actor = c.get('actor');
  const asked = c.req.query('team');
  if (asked === undefined || asked === actor.teamId) return actor.teamId;
  if (actor.role !== 'admin') throw new ApiError(403, 'forbidden');
  const team = await db.selectFrom('team').select('id').where('id', '=', asked).executeTakeFirst();
  if (!team) throw new ApiError(404, 'not_found');
  return team.id;
}

export function isCoordinator(role: string): boolean {
  return role === 'coordinator' || role === 'admin';
}

/** Coordinators and admins only; volunteers are answered 403. */
export const coordinatorOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!isCoordinator(c.get('actor').role)) throw new ApiError(403, 'forbidden');
  await next();
};

export interface ReportScope {
  teamId: string;
  teamName: string;
  from: string;
  to: string;
}

/** A coordinator's report over a date range: the team in scope, its name, and the range (`from` ≤ `to`, real days). */
export async function reportScope(c: Context<AppEnv>, db: Db): Promise<ReportScope> {
  if (!isCoordinator(c.get('actor').role)) throw new ApiError(403, 'forbidden');
  const teamId = await teamInScope(c, db);
  const range = dateRangeSchema.safeParse({ from: c.req.query('from'), to: c.req.query('to') });
  if (!range.success) throw new ApiError(400, 'validation', { detail: describeIssues(c.get('locale'), range.error.issues) });
  const team = await db.selectFrom('team').select('name').where('id', '=', teamId).executeTakeFirst();
  if (!team) throw new ApiError(404, 'not_found');
  return { teamId, teamName: team.name, ...range.data };
}
