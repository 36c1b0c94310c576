/**
 * The figures: the coordinator's dashboard for a date range (aggregated in SQL over the
 * report tables, in the team's calendar), and one repair day's summary for any member of
 * its team (the same `summarizeRepairs` the phone runs).
 */
import { Hono } from 'hono';
import { idSchema } from '../../shared/schema-kit.ts';
import { ApiError } from '../api-error.ts';
import type { AppEnv, RouteDeps } from '../app-env.ts';
import { healthDashboard, needsDashboard, rangeOf, requestsDashboard, visitsDashboard } from '../care-dashboard.ts';
import { repairDashboard } from '../dashboard.ts';
import { eventSummary } from '../repair-report.ts';
import { pointsDashboard } from '../hours-report.ts';
import { reportScope, teamInScope } from '../scope.ts';

export function reportRoutes({ db, settings, now, auth }: RouteDeps): Hono<AppEnv> {
  const r = new Hono<AppEnv>();

  r.get('/dashboard', auth, async (c) => {
    const { teamId, from, to } = await reportScope(c, db);
    const span = rangeOf(from, to, settings.timeZone);
    return c.json({
      repairs: await repairDashboard(db, teamId, from, to, settings.timeZone),
      visits: await visitsDashboard(db, teamId, span),
      needs: await needsDashboard(db, teamId, span, now()),
      health: await healthDashboard(db, teamId, span),
      points: await pointsDashboard(db, teamId, span),
      requests: await requestsDashboard(db, teamId, span),
    });
  });

  r.get('/repair/events/:id/summary', auth, async (c) => {
    const id = c.req.param('id');
    if (!idSchema.safeParse(id).success) throw new ApiError(404, 'not_found');
    const summary = await eventSummary(db, await teamInScope(c, db), id);
    if (!summary) throw new ApiError(404, 'not_found');
    return c.json({ summary });
  });
  return r;
}
