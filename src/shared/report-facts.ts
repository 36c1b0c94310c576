/**
 * What the coordinator's reports take from each record: a typed row of just the fields the
 * dashboard counts, which the server writes into its report tables in the same transaction
 * as the record (`server/facts.ts`) and aggregates from indexes. Pure functions of a
 * complete record (defaults laid under what has synced); a row too partial to count gives
 * none. The keys are the report tables' columns.
 */
import type { HealthCheck } from './health.ts';
import type { Certificate, Redemption, ServiceRecord } from './hours.ts';
import type { ResidentRequest } from './request.ts';
import type { TeamSettings } from './team-settings.ts';
import type { Household } from './household.ts';
import type { Need, NeedLog } from './need.ts';
import type { RepairEvent, RepairTicket } from './repair.ts';
import type { Visit } from './visit.ts';
import { SAFETY_ITEMS } from './visit.ts';

interface FactBase {
  row_id: string;
  team_id: string;
  deleted: number;
}
export interface HouseholdFact extends FactBase {
  registered_ms: number | null;
  interval_days: number;
  follow_up_on: string | null;
}
export interface VisitFact extends FactBase {
  household_id: string;
  at_ms: number;
  kind: string;
  outcome: string;
  hazard: number;
  /** The safety items found a problem, and those found fine, comma-separated: a hazard is removed when a later visit finds its item fine. */
  problems: string;
  checked_ok: string;
}
export interface NeedFact extends FactBase {
  household_id: string;
  health_check_id: string | null;
  created_ms: number;
  category: string;
  urgency: string;
  route: string;
  status: string;
  resolved_ms: number | null;
  evaluation: string | null;
}
/** One step of a need's history: what its status was from `at_ms` on — so a past period's "still open" is as it was then. */
export interface NeedLogFact extends FactBase {
  need_id: string;
  at_ms: number;
  action: string;
  status: string;
}
export interface HealthFact extends FactBase {
  resident_id: string;
  household_id: string;
  at_ms: number;
  level: string;
}
export interface EventFact extends FactBase {
  /** The event's date as days since 1970-01-01. */
  day_num: number | null;
}
export interface TicketFact extends FactBase {
  event_id: string | null;
  created_ms: number;
  category: string;
  status: string;
  outcome: string | null;
  factor_set: string;
  fee_fen: number;
  subsidy_fen: number;
  weight_kg: number | null;
}

export interface ServiceFact extends FactBase {
  volunteer_id: string;
  attendance_id: string;
  event_id: string;
  date: string;
  hours: number;
  points: number;
  /** When confirmed: of one attendance's records, the last stands. */
  created_ms: number;
}
export interface RequestFact extends FactBase {
  created_ms: number;
  kind: string;
  status: string;
  need_id: string | null;
}
/** A team's public request page, by its code. */
export interface AskPageFact extends FactBase {
  code: string;
  open: number;
}
export interface CertificateFact extends FactBase {
  serial: string;
}
export interface RedemptionFact extends FactBase {
  volunteer_id: string;
  points: number;
  at_ms: number;
}

/** Each report table and the row type it holds. */
export interface ReportTables {
  household_fact: HouseholdFact;
  visit_fact: VisitFact;
  need_fact: NeedFact;
  need_log_fact: NeedLogFact;
  health_fact: HealthFact;
  event_fact: EventFact;
  ticket_fact: TicketFact;
  service_fact: ServiceFact;
  redemption_fact: RedemptionFact;
  certificate_fact: CertificateFact;
  request_fact: RequestFact;
  ask_page_fact: AskPageFact;
}
export type ReportTable = keyof ReportTables;

/** How one record type feeds one report table. */
export interface ReportSpec<R, Table extends ReportTable = ReportTable> {
  table: Table;
  fact(record: R, rowId: string, teamId: string): ReportTables[Table] | null;
}

function ms(instant: string | null | undefined): number | null {
  if (!instant) return null;
  const t = Date.parse(instant);
  return Number.isNaN(t) ? null : t;
}
const flag = (b: boolean) => (b ? 1 : 0);

export const householdReport: ReportSpec<Household, 'household_fact'> = {
  table: 'household_fact',
  fact: (h, rowId, teamId) => ({
    row_id: rowId,
    team_id: teamId,
    registered_ms: ms(h.createdAt),
    interval_days: h.visitIntervalDays,
    follow_up_on: h.followUpOn,
    deleted: flag(h.deleted),
  }),
};

export const visitReport: ReportSpec<Visit, 'visit_fact'> = {
  table: 'visit_fact',
  fact: (v, rowId, teamId) => {
    const at = ms(v.at);
    if (at === null || !v.householdId) return null;
    const problems = SAFETY_ITEMS.filter((k) => v[k] === 'problem');
    return {
      row_id: rowId,
      team_id: teamId,
      household_id: v.householdId,
      at_ms: at,
      kind: v.kind,
      outcome: v.outcome,
      hazard: flag(problems.length > 0),
      problems: problems.join(','),
      checked_ok: SAFETY_ITEMS.filter((k) => v[k] === 'ok').join(','),
      deleted: flag(v.deleted),
    };
  },
};

export const needReport: ReportSpec<Need, 'need_fact'> = {
  table: 'need_fact',
  fact: (n, rowId, teamId) => {
    const created = ms(n.createdAt);
    if (created === null || !n.householdId) return null;
    return {
      row_id: rowId,
      team_id: teamId,
      household_id: n.householdId,
      health_check_id: n.healthCheckId,
      created_ms: created,
      category: n.category,
      urgency: n.urgency,
      route: n.route,
      status: n.status,
      resolved_ms: ms(n.resolvedAt),
      evaluation: n.evaluation,
      deleted: flag(n.deleted),
    };
  },
};

export const needLogReport: ReportSpec<NeedLog, 'need_log_fact'> = {
  table: 'need_log_fact',
  fact: (l, rowId, teamId) => {
    const at = ms(l.at);
    if (at === null || !l.needId) return null;
    return { row_id: rowId, team_id: teamId, need_id: l.needId, at_ms: at, action: l.action, status: l.status, deleted: flag(l.deleted) };
  },
};

export const healthReport: ReportSpec<HealthCheck, 'health_fact'> = {
  table: 'health_fact',
  fact: (c, rowId, teamId) => {
    const at = ms(c.at);
    if (at === null || !c.residentId) return null;
    return {
      row_id: rowId,
      team_id: teamId,
      resident_id: c.residentId,
      household_id: c.householdId,
      at_ms: at,
      level: c.level,
      deleted: flag(c.deleted),
    };
  },
};

export const eventReport: ReportSpec<RepairEvent, 'event_fact'> = {
  table: 'event_fact',
  fact: (e, rowId, teamId) => {
    const day = Date.parse(`${e.date}T00:00:00Z`);
    return { row_id: rowId, team_id: teamId, day_num: Number.isNaN(day) ? null : Math.round(day / 86_400_000), deleted: flag(e.deleted) };
  },
};

export const ticketReport: ReportSpec<RepairTicket, 'ticket_fact'> = {
  table: 'ticket_fact',
  fact: (t, rowId, teamId) => {
    const created = ms(t.createdAt);
    if (created === null) return null;
    return {
      row_id: rowId,
      team_id: teamId,
      event_id: t.eventId,
      created_ms: created,
      category: t.category,
      status: t.status,
      outcome: t.outcome,
      factor_set: t.factorSet,
      fee_fen: t.feeFen,
      subsidy_fen: t.subsidyFen,
      weight_kg: t.weightKg,
      deleted: flag(t.deleted),
    };
  },
};

export const serviceReport: ReportSpec<ServiceRecord, 'service_fact'> = {
  table: 'service_fact',
  fact: (r, rowId, teamId) => {
    const created = ms(r.createdAt);
    if (created === null || !r.attendanceId) return null;
    return {
      row_id: rowId,
      team_id: teamId,
      volunteer_id: r.volunteerId,
      attendance_id: r.attendanceId,
      event_id: r.eventId,
      date: r.date,
      hours: r.hours,
      points: r.points,
      created_ms: created,
      deleted: flag(r.deleted),
    };
  },
};

export const redemptionReport: ReportSpec<Redemption, 'redemption_fact'> = {
  table: 'redemption_fact',
  fact: (r, rowId, teamId) => {
    const at = ms(r.at);
    if (at === null || !r.volunteerId) return null;
    return { row_id: rowId, team_id: teamId, volunteer_id: r.volunteerId, points: r.points, at_ms: at, deleted: flag(r.deleted) };
  },
};

export const certificateReport: ReportSpec<Certificate, 'certificate_fact'> = {
  table: 'certificate_fact',
  fact: (c, rowId, teamId) => (c.serial ? { row_id: rowId, team_id: teamId, serial: c.serial, deleted: flag(c.deleted) } : null),
};

export const requestReport: ReportSpec<ResidentRequest, 'request_fact'> = {
  table: 'request_fact',
  fact: (r, rowId, teamId) => {
    const created = ms(r.createdAt);
    if (created === null) return null;
    return {
      row_id: rowId,
      team_id: teamId,
      created_ms: created,
      kind: r.kind,
      status: r.status,
      need_id: r.needId,
      deleted: flag(r.deleted),
    };
  },
};

export const askPageReport: ReportSpec<TeamSettings, 'ask_page_fact'> = {
  table: 'ask_page_fact',
  fact: (t, rowId, teamId) =>
    t.askCode ? { row_id: rowId, team_id: teamId, code: t.askCode, open: flag(t.askOpen), deleted: flag(t.deleted) } : null,
};
