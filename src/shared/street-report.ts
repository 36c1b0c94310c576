/**
 * The report for the street office (街道) and the programme's funders: the headline figures
 * of a period beside the previous period's, as the server computes them and the phone
 * prints them. What a figure means is fixed here, once:
 *
 * - 服务人次 (times residents were served): repair items taken in + home visits where someone
 *   was met + health checks;
 * - volunteers and hours: the confirmed service records of the period (the last confirmation
 *   of each attendance stands);
 * - households visited against those due: of the households due in the period, how many had a
 *   visit where someone was met;
 * - hazards found: safety items (gas, wiring, smoke alarm, walkways) found a problem in the
 *   period, once per household and item; removed: of those, the ones a later visit up to the
 *   period's end found fine;
 * - needs received in the period, and of them resolved by its end (办结率 = resolved ÷
 *   received); satisfaction over the evaluations of needs finished in the period;
 * - residents flagged by a health check, and of them followed up.
 *
 * The previous period is the month before a whole month (or months), else the same number of
 * days just before.
 */
import type { Dashboard } from './dashboard.ts';

export interface Headline {
  servedTimes: number;
  volunteers: number;
  volunteerHours: number;
  repairItems: number;
  repairsFixed: number;
  fixedRate: number | null;
  co2eKg: number;
  wasteKg: number;
  householdsDue: number;
  householdsDueVisited: number;
  householdsVisited: number;
  hazardsFound: number;
  hazardsRemoved: number;
  needsReceived: number;
  requestsReceived: number;
  needsResolvedOfReceived: number;
  resolutionRate: number | null;
  needsEvaluated: number;
  satisfactionRate: number | null;
  healthChecks: number;
  residentsChecked: number;
  residentsFlagged: number;
  residentsFollowedUp: number;
}

export interface Period {
  from: string;
  to: string;
}

export interface StreetReport {
  teamName: string;
  /** Who asked for it: the signed-in user's name, from the session. */
  preparedBy: string;
  /** When the server made it (ms); printed in the team's calendar. */
  madeAt: number;
  timeZone: string;
  period: Period;
  previousPeriod: Period;
  current: Headline;
  previous: Headline;
  /** The detail pages: the dashboard's figures for the period; the attention list only when asked for. */
  detail: Dashboard;
  /** Whether residents' names, addresses and health flags are in it (internal use only). */
  personal: boolean;
}

const DAY_MS = 86_400_000;

function dayNumber(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / DAY_MS;
}
function dayOf(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}
function lastOfMonth(year: number, month: number): string {
  return dayOf(Date.UTC(year, month, 0) / DAY_MS);
}

/** The period a report compares with: the whole months before whole months, else as many days just before. */
export function previousPeriod(from: string, to: string): Period {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number, number];
  if (fd === 1 && to === lastOfMonth(ty, tm)) {
    const months = (ty - fy) * 12 + (tm - fm) + 1;
    const start = new Date(Date.UTC(fy, fm - 1 - months, 1));
    return { from: start.toISOString().slice(0, 10), to: dayOf(dayNumber(from) - 1) };
  }
  const days = dayNumber(to) - dayNumber(from) + 1;
  return { from: dayOf(dayNumber(from) - days), to: dayOf(dayNumber(from) - 1) };
}

/** The month a day is in, as a period. */
export function monthOf(day: string): Period {
  const [y, m] = day.split('-').map(Number) as [number, number];
  return { from: `${day.slice(0, 7)}-01`, to: lastOfMonth(y, m) };
}
