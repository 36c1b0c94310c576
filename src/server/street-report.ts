/**
 * The street office's report (issue 24): a period's headline figures beside the previous
 * period's, and the dashboard's figures for the detail pages — all from the server's own
 * report tables, in the team's calendar. What each figure means is in
 * `shared/street-report.ts`. Residents' names, addresses and health flags (the attention
 * list) are in it only when a coordinator asks; the route audits that.
 */
import { sql } from 'kysely';
import type { Dashboard } from '../shared/dashboard.ts';
import { previousPeriod, type Headline, type StreetReport } from '../shared/street-report.ts';
import { SAFETY_ITEMS } from '../shared/visit.ts';
import { healthDashboard, needsDashboard, rangeOf, requestsDashboard, statusAt, visitsDashboard, type Range } from './care-dashboard.ts';
import { repairDashboard } from './dashboard.ts';
import type { Db } from './db.ts';
import { pointsDashboard, serviceTotals } from './hours-report.ts';

/** The coordinator's dashboard for a range (the screen's and the report's detail pages). */
export async function dashboardFor(db: Db, teamId: string, from: string, to: string, timeZone: string, now: number): Promise<Dashboard> {
  const span = rangeOf(from, to, timeZone);
  return {
    repairs: await repairDashboard(db, teamId, from, to, timeZone),
    visits: await visitsDashboard(db, teamId, span),
    needs: await needsDashboard(db, teamId, span, now),
    health: await healthDashboard(db, teamId, span),
    points: await pointsDashboard(db, teamId, span),
    requests: await requestsDashboard(db, teamId, span, now),
  };
}

/**
 * Safety items found a problem in the range — once per household and item — and of those,
 * the ones whose last check up to the range's end found them fine.
 */
export async function hazardsIn(db: Db, teamId: string, r: Range): Promise<{ found: number; removed: number }> {
  const visits = await sql<{ household_id: string; at_ms: number; problems: string; checked_ok: string }>`
    select household_id, at_ms, problems, checked_ok from visit_fact
    where team_id = ${teamId} and deleted = 0 and at_ms < ${r.endMs}
      and household_id in (select household_id from visit_fact where team_id = ${teamId} and deleted = 0
                           and problems <> '' and at_ms >= ${r.fromMs} and at_ms < ${r.endMs})
    order by at_ms, row_id
  `.execute(db);
  const found = new Set<string>();
  const last = new Map<string, 'problem' | 'ok'>();
  for (const v of visits.rows) {
    const inRange = Number(v.at_ms) >= r.fromMs;
    const problems = v.problems ? v.problems.split(',') : [];
    for (const item of SAFETY_ITEMS) {
      const key = `${v.household_id}:${item}`;
      if (problems.includes(item)) {
        if (inRange) found.add(key);
        last.set(key, 'problem');
      } else if (v.checked_ok.split(',').includes(item)) last.set(key, 'ok');
    }
  }
  let removed = 0;
  for (const key of found) if (last.get(key) === 'ok') removed++;
  return { found: found.size, removed };
}

async function headline(db: Db, teamId: string, from: string, to: string, timeZone: string, now: number, d?: Dashboard): Promise<Headline> {
  const span = rangeOf(from, to, timeZone);
  const dash = d ?? (await dashboardFor(db, teamId, from, to, timeZone, now));
  const asOf = Math.min(now, span.endMs);
  const received = await statusAt(db, teamId, asOf, span.fromMs);
  const resolvedOfReceived = received.filter((g) => g.status === 'resolved').reduce((sum, g) => sum + g.n, 0);
  const receivedCount = received.reduce((sum, g) => sum + g.n, 0);
  const hazards = await hazardsIn(db, teamId, span);
  const service = await serviceTotals(db, teamId, from, to);
  const evaluations = dash.needs.evaluations;
  const evaluated = evaluations.satisfied + evaluations.neutral + evaluations.unsatisfied;
  const { repairs, visits, health } = dash;
  return {
    servedTimes: repairs.tickets + visits.byOutcome.met + health.checks,
    volunteers: service.volunteers,
    volunteerHours: service.hours,
    repairItems: repairs.tickets,
    repairsFixed: repairs.byOutcome.fixed,
    fixedRate: repairs.fixedRate,
    co2eKg: repairs.co2eKg,
    wasteKg: repairs.wasteKg,
    householdsDue: visits.dueInRange,
    householdsDueVisited: visits.dueVisited,
    householdsVisited: visits.householdsVisited,
    hazardsFound: hazards.found,
    hazardsRemoved: hazards.removed,
    needsReceived: receivedCount,
    requestsReceived: dash.requests.received,
    needsResolvedOfReceived: resolvedOfReceived,
    resolutionRate: receivedCount === 0 ? null : resolvedOfReceived / receivedCount,
    needsEvaluated: evaluated,
    satisfactionRate: evaluated === 0 ? null : evaluations.satisfied / evaluated,
    healthChecks: health.checks,
    residentsChecked: health.residentsChecked,
    residentsFlagged: health.residentsFlagged,
    residentsFollowedUp: health.residentsFlagged - health.notFollowedUp,
  };
}

export interface ReportRequest {
  teamId: string;
  teamName: string;
  preparedBy: string;
  from: string;
  to: string;
  timeZone: string;
  now: number;
  personal: boolean;
}

export async function streetReport(db: Db, q: ReportRequest): Promise<StreetReport> {
  const detail = await dashboardFor(db, q.teamId, q.from, q.to, q.timeZone, q.now);
  const previous = previousPeriod(q.from, q.to);
  return {
    teamName: q.teamName,
    preparedBy: q.preparedBy,
    madeAt: q.now,
    timeZone: q.timeZone,
    period: { from: q.from, to: q.to },
    previousPeriod: previous,
    current: await headline(db, q.teamId, q.from, q.to, q.timeZone, q.now, detail),
    previous: await headline(db, q.teamId, previous.from, previous.to, q.timeZone, q.now),
    // personal data only when asked for; the overdrafts name volunteers and are no street-office matter
    detail: {
      ...detail,
      health: q.personal ? detail.health : { ...detail.health, attention: [] },
      points: { overdrafts: [] },
    },
    personal: q.personal,
  };
}
