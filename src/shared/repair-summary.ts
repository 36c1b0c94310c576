/**
 * What a repair day achieved, from its tickets. The same function runs on the phone (offline,
 * from local rows) and on the server (from synced rows), so the two agree by construction
 * once they hold the same rows.
 */
import type { RepairEvent, RepairTicket, TicketStatus } from './repair.ts';
import { addImpact, emptyImpact, roundImpact, ticketImpactExact } from './repair-impact.ts';

export interface RepairSummary {
  /** Items taken in, not counting cancelled ones and no-shows. */
  items: number;
  byStatus: Record<TicketStatus, number>;
  fixed: number;
  repairable: number;
  endOfLife: number;
  unknown: number;
  /** fixed / (fixed + repairable + end of life); null before any outcome is known. */
  fixedRate: number | null;
  /**
   * Distinct residents: by household, else phone, else name. Items with none of these may be
   * anyone's — six anonymous items are not six people — so they add no one unless no one else
   * is known (then one); `peopleAtLeast` says the figure is a lower bound.
   */
  peopleServed: number;
  peopleAtLeast: boolean;
  co2eKg: number;
  wasteKg: number;
  /** Charged on tickets the resident has collected. */
  feesFen: number;
  /** Paid by the fund on tickets the resident has collected. */
  subsidiesFen: number;
  volunteers: number;
  volunteerHours: number;
  /** Where the volunteers and hours come from: the sign-in sheet, the totals typed for the event, or (no hours) who repaired. */
  volunteersFrom: 'attendance' | 'typed' | 'repairers';
}

type SummaryTicket = Pick<
  RepairTicket,
  | 'id'
  | 'status'
  | 'outcome'
  | 'category'
  | 'weightKg'
  | 'factorSet'
  | 'householdId'
  | 'residentPhone'
  | 'residentName'
  | 'feeFen'
  | 'subsidyFen'
  | 'repairedBy'
  | 'deleted'
>;

export function emptyStatusCounts(): Record<TicketStatus, number> {
  return { waiting: 0, repairing: 0, done: 0, collected: 0, cancelled: 0, noShow: 0 };
}

/** Who brought the item, as far as the ticket says: null when it says nothing. */
function residentKey(t: SummaryTicket): string | null {
  if (t.householdId) return `h:${t.householdId}`;
  const phone = t.residentPhone.replace(/\D/g, '');
  if (phone) return `p:${phone}`;
  const name = t.residentName.trim();
  if (name) return `n:${name}`;
  return null;
}

/**
 * A repair day's figures. The volunteers and their hours come from its sign-in sheet when
 * anyone checked in (`sheet`, `service-hours.ts`); the totals typed by hand stay for days
 * without one.
 */
export function summarizeRepairs(
  tickets: readonly SummaryTicket[],
  event?: Pick<RepairEvent, 'volunteerCount' | 'volunteerHours'>,
  sheet?: { volunteers: number; hours: number },
): RepairSummary {
  const byStatus = emptyStatusCounts();
  const people = new Set<string>();
  const repairers = new Set<string>();
  let fixed = 0,
    repairable = 0,
    endOfLife = 0,
    unknown = 0,
    fees = 0,
    subsidies = 0,
    items = 0,
    anonymous = 0;
  let impact = emptyImpact();
  for (const t of tickets) {
    if (t.deleted) continue;
    byStatus[t.status] = (byStatus[t.status] ?? 0) + 1;
    if (t.status === 'cancelled' || t.status === 'noShow') continue;
    items++;
    const who = residentKey(t);
    if (who) people.add(who);
    else anonymous++;
    if (t.repairedBy.trim()) repairers.add(t.repairedBy.trim());
    if (t.outcome === 'fixed') fixed++;
    else if (t.outcome === 'repairable') repairable++;
    else if (t.outcome === 'endOfLife') endOfLife++;
    else if (t.outcome === 'unknown') unknown++;
    // summed exactly, rounded once below: the dashboard and the exports round the same way
    impact = addImpact(impact, ticketImpactExact(t));
    if (t.status === 'collected') {
      fees += t.feeFen;
      subsidies += t.subsidyFen;
    }
  }
  const judged = fixed + repairable + endOfLife;
  return {
    items,
    byStatus,
    fixed,
    repairable,
    endOfLife,
    unknown,
    fixedRate: judged === 0 ? null : fixed / judged,
    peopleServed: people.size + (people.size === 0 && anonymous > 0 ? 1 : 0),
    peopleAtLeast: anonymous > 0,
    ...roundImpact(impact),
    feesFen: fees,
    subsidiesFen: subsidies,
    ...volunteersOf(repairers.size, event, sheet),
  };
}

function volunteersOf(
  repairers: number,
  event: Pick<RepairEvent, 'volunteerCount' | 'volunteerHours'> | undefined,
  sheet: { volunteers: number; hours: number } | undefined,
): Pick<RepairSummary, 'volunteers' | 'volunteerHours' | 'volunteersFrom'> {
  if (sheet && sheet.volunteers > 0) return { volunteers: sheet.volunteers, volunteerHours: sheet.hours, volunteersFrom: 'attendance' };
  if (event?.volunteerCount) return { volunteers: event.volunteerCount, volunteerHours: event.volunteerHours, volunteersFrom: 'typed' };
  return { volunteers: repairers, volunteerHours: event?.volunteerHours ?? 0, volunteersFrom: 'repairers' };
}
