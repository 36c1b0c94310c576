/**
 * The repairs panel of the coordinator's dashboard for a date range, aggregated in SQL over
 * the report tables (facts.ts): the database groups the team's tickets by day, category,
 * status, outcome and factor set and sums fees, subsidies and estimated weights; only those
 * few groups come back, and the impact factors (which depend on category, factor-set version
 * and, for a miscellaneous item, its weight) are applied to the groups here, exactly, with
 * one rounding per figure (`roundKg`, the same as the phone's summary and the exports).
 *
 * A ticket's day is its event's date (joined, so an edited event date moves its tickets); a
 * home repair's is the day it was taken in, in the team's time zone. The other panels are in
 * care-dashboard.ts.
 */
import { sql } from 'kysely';
import { TICKET_STATUSES, type TicketStatus } from '../shared/repair.ts';
import {
  addImpact,
  emptyImpact,
  isMiscCategory,
  roundImpact,
  roundKg,
  ticketImpactExact,
  type ImpactSum,
} from '../shared/repair-impact.ts';
import { emptyStatusCounts } from '../shared/repair-summary.ts';
import type { RepairDashboard } from '../shared/dashboard.ts';
import { DAY_MS, rangeOf } from './care-dashboard.ts';
import type { Db } from './db.ts';

interface Group {
  day: number | string;
  category: string;
  status: string;
  outcome: string | null;
  factor_set: string | null;
  n: number | string;
  fees: number | string | null;
  subsidies: number | string | null;
  weight: number | string | null;
}

export async function repairDashboard(db: Db, teamId: string, from: string, to: string, timeZone: string): Promise<RepairDashboard> {
  const { offsetMs } = rangeOf(from, to, timeZone);
  const fromDay = Date.parse(`${from}T00:00:00Z`) / DAY_MS;
  const toDay = Date.parse(`${to}T00:00:00Z`) / DAY_MS;
  // a ticket's day: its event's date, or for a home repair the day it was taken in (team's zone)
  const day = sql<number>`coalesce(e.day_num, floor((t.created_ms + ${offsetMs}) / ${DAY_MS}))`;
  const result = await sql<Group>`
    select ${day} as day, t.category, t.status, t.outcome, t.factor_set,
           t.weight_kg as weight, count(*) as n, sum(t.fee_fen) as fees, sum(t.subsidy_fen) as subsidies
    from ticket_fact t
    left join event_fact e on e.row_id = t.event_id
    where t.team_id = ${teamId} and t.deleted = 0 and (e.row_id is null or e.deleted = 0)
      and ${day} between ${fromDay} and ${toDay}
    group by 1, 2, 3, 4, 5, 6
  `.execute(db);

  const byStatus = emptyStatusCounts();
  const byOutcome = { fixed: 0, repairable: 0, endOfLife: 0, unknown: 0, none: 0 };
  const days = new Map<string, { day: string; tickets: number; fixed: number; co2e: ImpactSum }>();
  const categories = new Map<string, { category: string; tickets: number; fixed: number }>();
  let impact = emptyImpact();
  let tickets = 0,
    fees = 0,
    subsidies = 0;
  for (const g of result.rows) {
    const n = Number(g.n);
    const status = (TICKET_STATUSES as readonly string[]).includes(g.status) ? (g.status as TicketStatus) : 'waiting';
    byStatus[status] += n;
    if (status === 'cancelled' || status === 'noShow') continue;
    tickets += n;
    const outcome =
      g.outcome === 'fixed' || g.outcome === 'repairable' || g.outcome === 'endOfLife' || g.outcome === 'unknown' ? g.outcome : 'none';
    byOutcome[outcome] += n;
    // impact is linear in count (a group shares category, outcome, factor set and weight)
    const one = ticketImpactExact({
      category: g.category,
      outcome: g.outcome,
      weightKg: isMiscCategory(g.category) && g.weight !== null ? Number(g.weight) : null,
      factorSet: g.factor_set ?? '',
    });
    impact = addImpact(impact, one, n);
    if (status === 'collected') {
      fees += Number(g.fees ?? 0);
      subsidies += Number(g.subsidies ?? 0);
    }
    const dayText = new Date(Number(g.day) * DAY_MS).toISOString().slice(0, 10);
    const d = days.get(dayText) ?? { day: dayText, tickets: 0, fixed: 0, co2e: emptyImpact() };
    d.tickets += n;
    if (outcome === 'fixed') d.fixed += n;
    d.co2e = addImpact(d.co2e, one, n);
    days.set(dayText, d);
    const c = categories.get(g.category) ?? { category: g.category, tickets: 0, fixed: 0 };
    c.tickets += n;
    if (outcome === 'fixed') c.fixed += n;
    categories.set(g.category, c);
  }
  const judged = byOutcome.fixed + byOutcome.repairable + byOutcome.endOfLife;
  return {
    from,
    to,
    tickets,
    byStatus,
    byOutcome,
    fixedRate: judged === 0 ? null : byOutcome.fixed / judged,
    ...roundImpact(impact),
    feesFen: fees,
    subsidiesFen: subsidies,
    days: [...days.values()].sort((a, b) => (a.day < b.day ? -1 : 1)).map(({ co2e, ...d }) => ({ ...d, co2eKg: roundKg(co2e.co2e) })),
    byCategory: [...categories.values()].sort((a, b) => b.tickets - a.tickets),
  };
}
