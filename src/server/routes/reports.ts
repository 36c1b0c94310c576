/**
 * The figures: the coordinator's dashboard for a date range (aggregated in SQL over the
 * report tables, in the team's calendar), the street office's report (the period beside the
 * previous one, personal data only when asked for), and one repair day's summary for any
 * member of its team (the same `summarizeRepairs` the phone runs).
 */
import { Hono } from 'hono';
import { translate } from '../../shared/i18n/index.ts';
import { idSchema } from '../../shared/schema-kit.ts';
import { ApiError } from '../api-error.ts';
import type { AppEnv, RouteDeps } from '../app-env.ts';
import { eventSummary } from '../repair-report.ts';
import { dashboardFor, streetReport } from '../street-report.ts';
import { reportScope, teamInScope } from '../scope.ts';

export function reportRoutes({ db, settings, now, auth }: RouteDeps): Hono<AppEnv> {
  const r = new Hono<AppEnv>();

  r.get('/dashboard', auth, async (c) => {
    const { teamId, from, to } = await reportScope(c, db);
    return c.json(await dashboardFor(db, teamId, from, to, settings.timeZone, now()));
  });

  // the street office's report; `personal=1` puts the attention list (names, addresses, health flags) in it, audited
  r.get('/report', auth, async (c) => {
    const scope = await reportScope(c, db);
    const asked = c.req.query('personal');
    if (asked !== undefined && asked !== '0' && asked !== '1')
      throw new ApiError(400, 'validation', { detail: `personal: ${translate(c.get('locale'), 'v.choice')}` });
    const personal = asked === '1';
    const actor = c.get('actor');
    const report = await streetReport(db, {
      ...scope,
      preparedBy: actor.name || actor.username,
      timeZone: settings.timeZone,
      now: now(),
      personal,
    });
    if (personal)
      await db
        .insertInto('audit')
        .values({
          at: now(),
          user_id: actor.userId,
          team_id: scope.teamId,
          action: 'report.personal',
          detail: JSON.stringify({ from: scope.from, to: scope.to, rows: report.detail.health.attention.length }),
        })
        .execute();
    return c.json(report);
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
