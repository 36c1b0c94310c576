/**
 * The shapes of the coordinator's dashboard, as the server sends them and the phone reads
 * them (types only).
 */
import type { Severity, FlagCode } from './health.ts';
import type { NeedAgeBucket, NeedRoute, NEED_EVALUATIONS } from './need.ts';
import type { TicketStatus } from './repair.ts';
import type { VISIT_KINDS, VISIT_OUTCOMES } from './visit.ts';

export interface RepairDashboard {
  from: string;
  to: string;
  tickets: number;
  byStatus: Record<TicketStatus, number>;
  byOutcome: { fixed: number; repairable: number; endOfLife: number; unknown: number; none: number };
  fixedRate: number | null;
  co2eKg: number;
  wasteKg: number;
  feesFen: number;
  subsidiesFen: number;
  /** Per day with any ticket, oldest first. */
  days: { day: string; tickets: number; fixed: number; co2eKg: number }[];
  byCategory: { category: string; tickets: number; fixed: number }[];
}

export interface VisitsDashboard {
  visits: number;
  byOutcome: Record<(typeof VISIT_OUTCOMES)[number], number>;
  byKind: Record<(typeof VISIT_KINDS)[number], number>;
  householdsVisited: number;
  households: number;
  /** Households due at some point in the range (by the visits before it), and how many of them were visited in it. */
  dueInRange: number;
  dueVisited: number;
  /** At the end of the range: due on or before its last day, and due before it (overdue). */
  dueAtEnd: number;
  overdueAtEnd: number;
  hazards: number;
  days: { day: string; visits: number; met: number }[];
}

export interface NeedsDashboard {
  opened: number;
  openedByRoute: Record<NeedRoute, number>;
  openedByCategory: { category: string; n: number }[];
  urgentOpened: number;
  resolved: number;
  closed: number;
  evaluations: Record<(typeof NEED_EVALUATIONS)[number], number>;
  /** Open at the end of the range (or now, if sooner), by route and by how long they have been open. */
  stillOpen: Record<NeedRoute, Record<NeedAgeBucket, number>>;
  stillOpenUrgent: number;
}

export interface AttentionRow {
  residentId: string;
  residentName: string;
  householdId: string;
  household: { gridCode: string; compound: string; building: string; unit: string; room: string };
  checkId: string;
  at: string;
  level: Severity;
  flags: FlagCode[];
  followedUp: boolean;
}

export interface HealthDashboard {
  checks: number;
  residentsChecked: number;
  byLevel: Record<Severity, number>;
  /** Residents with a high or urgent reading in the range, and how many of them nobody followed up yet. */
  residentsFlagged: number;
  notFollowedUp: number;
  /** Those residents, one row each (their most severe, then latest, reading): urgent and not followed up first. */
  attention: AttentionRow[];
}

/** A redemption refused at sync for overdrawing (two phones spending the same points offline): for follow-up. */
export interface OverdraftRow {
  at: number;
  name: string;
  item: string;
  points: number;
  /** The balance the server held when it refused. */
  balance: number;
  byName: string;
}

/** Residents' requests (点单, 微心愿) received in the range, and what became of them. */
export interface RequestsDashboard {
  received: number;
  accepted: number;
  declined: number;
  /** Of those accepted, the needs resolved (办结), and how long from the request to that, in hours (median; null without any). */
  resolved: number;
  medianHoursToResolve: number | null;
  evaluations: Record<'satisfied' | 'neutral' | 'unsatisfied', number>;
}

export interface PointsDashboard {
  overdrafts: OverdraftRow[];
}

export interface Dashboard {
  repairs: RepairDashboard;
  visits: VisitsDashboard;
  needs: NeedsDashboard;
  health: HealthDashboard;
  points: PointsDashboard;
  requests: RequestsDashboard;
}
