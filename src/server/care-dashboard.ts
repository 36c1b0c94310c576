/**
 * The coordinator's figures for door-to-door work and health checks over a date range, from
 * the report tables (facts.ts) — aggregated by the database, only the groups come back:
 *
 * - visits done against households due, households overdue at the end of the range, hazards
 *   found, visits per day;
 * - needs opened, resolved and closed in the range; still open by route and age; evaluations;
 * - readings by level, and the residents with high or urgent readings, urgent and not yet
 *   followed up first (a need raised from the reading, or a visit where someone was met
 *   after it, counts as followed up).
 *
 * Days are the team's calendar days (LINLI_TIMEZONE): a range is turned into the instants
 * where its first day starts and the day after its last begins.
 */
import { sql } from 'kysely';
import { HOUSEHOLD_DEFAULTS } from '../shared/record-defaults.ts';
import { NEED_AGE_BUCKETS, NEED_CATEGORIES, NEED_EVALUATIONS, NEED_ROUTES, ageBucket, type NeedRoute } from '../shared/need.ts';
import { SEVERITIES, isFlagCode, type FlagCode, type Severity } from '../shared/health.ts';
import { VISIT_KINDS, VISIT_OUTCOMES, addDays } from '../shared/visit.ts';
import type { AttentionRow, HealthDashboard, NeedsDashboard, RequestsDashboard, VisitsDashboard } from '../shared/dashboard.ts';
import type { Db } from './db.ts';

export const DAY_MS = 86_400_000;

/** The zone's offset from UTC at instant `t`, in ms. */
export function zoneOffsetMs(t: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(t));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - (t - (t % 1000));
}

/** The instant a calendar day starts in a zone. */
export function dayStartMs(day: string, timeZone: string): number {
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  const first = utcMidnight - zoneOffsetMs(utcMidnight, timeZone);
  // once more, for a zone whose offset changes between the two instants (summer time)
  return utcMidnight - zoneOffsetMs(first, timeZone);
}

export interface Range {
  from: string;
  to: string;
  fromMs: number;
  /** Where the day after `to` starts. */
  endMs: number;
  /** The zone's offset in the range, for grouping by day in SQL. */
  offsetMs: number;
}

export function rangeOf(from: string, to: string, timeZone: string): Range {
  const fromMs = dayStartMs(from, timeZone);
  return { from, to, fromMs, endMs: dayStartMs(addDays(to, 1), timeZone), offsetMs: zoneOffsetMs(fromMs, timeZone) };
}

function dayOf(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

const n = (v: unknown) => Number(v ?? 0);

export async function visitsDashboard(db: Db, teamId: string, r: Range): Promise<VisitsDashboard> {
  const groups = await db
    .selectFrom('visit_fact')
    .select((eb) => [
      sql<number>`floor((at_ms + ${r.offsetMs}) / ${DAY_MS})`.as('day'),
      'outcome',
      'kind',
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number>('hazard').as('hazards'),
    ])
    .where('team_id', '=', teamId)
    .where('deleted', '=', 0)
    .where('at_ms', '>=', r.fromMs)
    .where('at_ms', '<', r.endMs)
    .groupBy(['day', 'outcome', 'kind'])
    .execute();
  const byOutcome = Object.fromEntries(VISIT_OUTCOMES.map((k) => [k, 0])) as VisitsDashboard['byOutcome'];
  const byKind = Object.fromEntries(VISIT_KINDS.map((k) => [k, 0])) as VisitsDashboard['byKind'];
  const days = new Map<string, { day: string; visits: number; met: number }>();
  let visits = 0;
  let hazards = 0;
  for (const g of groups) {
    const count = n(g.n);
    visits += count;
    hazards += n(g.hazards);
    if (g.outcome in byOutcome) byOutcome[g.outcome as keyof typeof byOutcome] += count;
    if (g.kind in byKind) byKind[g.kind as keyof typeof byKind] += count;
    const day = dayOf(n(g.day));
    const d = days.get(day) ?? { day, visits: 0, met: 0 };
    d.visits += count;
    if (g.outcome === 'met') d.met += count;
    days.set(day, d);
  }

  // Due: the next visit falls `interval` days after the last one where someone was met, or
  // on the day of registration; in ms, a visit at any hour of day X is due on X + interval.
  const met = (cond: ReturnType<typeof sql>) => sql`(select household_id, max(at_ms) as last_ms from visit_fact
      where team_id = ${teamId} and deleted = 0 and outcome = 'met' and ${cond} group by household_id)`;
  const dueMs = (alias: string) =>
    // bigint: on PostgreSQL an integer times 86,400,000 overflows past 24 days
    sql`coalesce(${sql.ref(`${alias}.last_ms`)} + cast(h.interval_days as bigint) * ${DAY_MS}, h.registered_ms, 0)`;
  const row = await sql<{
    households: number;
    due_in_range: number;
    due_visited: number;
    due_at_end: number;
    overdue_at_end: number;
    visited: number;
  }>`
    select count(*) as households,
      sum(case when ${dueMs('b')} < ${r.endMs} or (h.follow_up_on is not null and h.follow_up_on <= ${r.to}) then 1 else 0 end) as due_in_range,
      sum(case when (${dueMs('b')} < ${r.endMs} or (h.follow_up_on is not null and h.follow_up_on <= ${r.to})) and i.last_ms is not null then 1 else 0 end) as due_visited,
      sum(case when ${dueMs('e')} < ${r.endMs} then 1 else 0 end) as due_at_end,
      sum(case when ${dueMs('e')} < ${r.endMs - DAY_MS} then 1 else 0 end) as overdue_at_end,
      sum(case when i.last_ms is not null then 1 else 0 end) as visited
    from household_fact h
    left join ${met(sql`at_ms < ${r.fromMs}`)} b on b.household_id = h.row_id
    left join ${met(sql`at_ms < ${r.endMs}`)} e on e.household_id = h.row_id
    left join ${met(sql`at_ms >= ${r.fromMs} and at_ms < ${r.endMs}`)} i on i.household_id = h.row_id
    where h.team_id = ${teamId} and h.deleted = 0 and coalesce(h.registered_ms, 0) < ${r.endMs}
  `.execute(db);
  const h = row.rows[0];
  return {
    visits,
    byOutcome,
    byKind,
    householdsVisited: n(h?.visited),
    households: n(h?.households),
    dueInRange: n(h?.due_in_range),
    dueVisited: n(h?.due_visited),
    dueAtEnd: n(h?.due_at_end),
    overdueAtEnd: n(h?.overdue_at_end),
    hazards,
    days: [...days.values()].sort((a, b) => (a.day < b.day ? -1 : 1)),
  };
}

export async function needsDashboard(db: Db, teamId: string, r: Range, now: number): Promise<NeedsDashboard> {
  const opened = await db
    .selectFrom('need_fact')
    .select((eb) => ['route', 'category', 'urgency', eb.fn.countAll<number>().as('n')])
    .where('team_id', '=', teamId)
    .where('deleted', '=', 0)
    .where('created_ms', '>=', r.fromMs)
    .where('created_ms', '<', r.endMs)
    .groupBy(['route', 'category', 'urgency'])
    .execute();
  const finished = await finishedInRange(db, teamId, r);
  const asOf = Math.min(now, r.endMs);
  const open = await openAt(db, teamId, asOf);

  const openedByRoute = Object.fromEntries(NEED_ROUTES.map((k) => [k, 0])) as Record<NeedRoute, number>;
  const byCategory = new Map<string, number>(NEED_CATEGORIES.map((c) => [c, 0]));
  let total = 0;
  let urgentOpened = 0;
  for (const g of opened) {
    const count = n(g.n);
    total += count;
    if (g.route in openedByRoute) openedByRoute[g.route as NeedRoute] += count;
    byCategory.set(g.category, (byCategory.get(g.category) ?? 0) + count);
    if (g.urgency === 'urgent') urgentOpened += count;
  }
  const evaluations = Object.fromEntries(NEED_EVALUATIONS.map((k) => [k, 0])) as NeedsDashboard['evaluations'];
  let resolved = 0;
  let closed = 0;
  for (const f of finished) {
    if (f.status === 'resolved') resolved++;
    else closed++;
    if (f.evaluation && f.evaluation in evaluations) evaluations[f.evaluation as keyof typeof evaluations]++;
  }
  const stillOpen = Object.fromEntries(
    NEED_ROUTES.map((route) => [route, Object.fromEntries(NEED_AGE_BUCKETS.map((b) => [b, 0]))]),
  ) as NeedsDashboard['stillOpen'];
  let stillOpenUrgent = 0;
  for (const g of open) {
    if (!(g.route in stillOpen)) continue;
    stillOpen[g.route as NeedRoute][ageBucket(n(g.age))] += n(g.n);
    if (g.urgency === 'urgent') stillOpenUrgent += n(g.n);
  }
  return {
    opened: total,
    openedByRoute,
    openedByCategory: [...byCategory]
      .map(([category, count]) => ({ category, n: count }))
      .filter((c) => c.n > 0)
      .sort((a, b) => b.n - a.n),
    urgentOpened,
    resolved,
    closed,
    evaluations,
    stillOpen,
    stillOpenUrgent,
  };
}

const OPEN_STATUSES = ['open', 'assigned', 'inProgress'];

/**
 * The team's needs open at instant `t`, grouped by route, urgency and age then (see `statusAt`).
 */
async function openAt(db: Db, teamId: string, t: number) {
  return (await statusAt(db, teamId, t)).filter((g) => OPEN_STATUSES.includes(g.status));
}

/**
 * The team's needs as they stood at instant `t` — those created from `createdFrom` on, or all
 * — grouped by status then, route, urgency and age then. Each need's status is the one its
 * last step before `t` left it in (`need_log_fact`): a need resolved or closed after `t` was
 * open, one resolved before `t` and reopened after was not. A need with no step before `t`
 * was open then unless its own fields say it was finished before `t` (rows written before
 * needs kept a history). The route is the need's route now: a reroute leaves no route in
 * the history.
 */
export async function statusAt(db: Db, teamId: string, t: number, createdFrom = Number.MIN_SAFE_INTEGER) {
  const open = sql.join(OPEN_STATUSES);
  return (
    await sql<{ status: string; route: string; urgency: string; age: number; n: number }>`
    with last_step as (
      select need_id, status,
        row_number() over (partition by need_id order by at_ms desc, row_id desc) as k
      from need_log_fact
      where team_id = ${teamId} and deleted = 0 and at_ms < ${t}
    ),
    dated as (
      select n.route, n.urgency, floor((${t} - n.created_ms) / ${DAY_MS}) as age,
        case when s.status is not null then s.status
             when n.status in (${open}) or n.resolved_ms >= ${t} then 'open'
             else n.status end as status
      from need_fact n
      left join last_step s on s.need_id = n.row_id and s.k = 1
      where n.team_id = ${teamId} and n.deleted = 0 and n.created_ms >= ${createdFrom} and n.created_ms < ${t}
    )
    select status, route, urgency, age, count(*) as n from dated group by 1, 2, 3, 4
  `.execute(db)
  ).rows.map((g) => ({ ...g, age: n(g.age), n: n(g.n) }));
}

/**
 * Needs resolved or closed in the range, each once, as its last such step in the range left
 * it (resolved, reopened and closed in one month counts as closed), with the resident's
 * evaluation. From the history; a need with none, by its own fields.
 */
async function finishedInRange(db: Db, teamId: string, r: Range): Promise<{ status: string; evaluation: string | null }[]> {
  const steps = await sql<{ need_id: string; action: string; evaluation: string | null }>`
    select l.need_id, l.action, n.evaluation from need_log_fact l
    join need_fact n on n.row_id = l.need_id and n.deleted = 0
    where l.team_id = ${teamId} and l.deleted = 0 and l.action in ('resolved', 'closed')
      and l.at_ms >= ${r.fromMs} and l.at_ms < ${r.endMs}
    order by l.at_ms, l.row_id
  `.execute(db);
  const last = new Map<string, { status: string; evaluation: string | null }>();
  for (const s of steps.rows) last.set(s.need_id, { status: s.action, evaluation: s.evaluation });
  const unlogged = await sql<{ status: string; evaluation: string | null }>`
    select n.status, n.evaluation from need_fact n
    where n.team_id = ${teamId} and n.deleted = 0 and n.status in ('resolved', 'closed')
      and n.resolved_ms >= ${r.fromMs} and n.resolved_ms < ${r.endMs}
      and not exists (select 1 from need_log_fact l where l.need_id = n.row_id and l.deleted = 0)
  `.execute(db);
  return [...last.values(), ...unlogged.rows];
}

export const ATTENTION_LIMIT = 50;

export async function healthDashboard(db: Db, teamId: string, r: Range): Promise<HealthDashboard> {
  const levels = await db
    .selectFrom('health_fact')
    .select((eb) => ['level', eb.fn.countAll<number>().as('n')])
    .where('team_id', '=', teamId)
    .where('deleted', '=', 0)
    .where('at_ms', '>=', r.fromMs)
    .where('at_ms', '<', r.endMs)
    .groupBy('level')
    .execute();
  const distinct = await db
    .selectFrom('health_fact')
    .select(sql<number>`count(distinct resident_id)`.as('n'))
    .where('team_id', '=', teamId)
    .where('deleted', '=', 0)
    .where('at_ms', '>=', r.fromMs)
    .where('at_ms', '<', r.endMs)
    .executeTakeFirst();
  const byLevel = Object.fromEntries(SEVERITIES.map((k) => [k, 0])) as Record<Severity, number>;
  let checks = 0;
  for (const g of levels) {
    checks += n(g.n);
    if (g.level in byLevel) byLevel[g.level as Severity] += n(g.n);
  }

  // Per resident, the most severe then latest flagged reading, and whether anyone followed it up.
  const flagged = await sql<{ row_id: string; resident_id: string; household_id: string; level: string; followed: number }>`
    with ranked as (
      select f.row_id, f.team_id, f.resident_id, f.household_id, f.level, f.at_ms,
        row_number() over (partition by f.resident_id order by case f.level when 'urgent' then 0 else 1 end, f.at_ms desc) as k
      from health_fact f
      where f.team_id = ${teamId} and f.deleted = 0 and f.level in ('abnormal', 'urgent')
        and f.at_ms >= ${r.fromMs} and f.at_ms < ${r.endMs}
    ),
    chosen as (
      select row_id, team_id, resident_id, household_id, level, at_ms,
        -- only for each resident's chosen reading: a need raised from it, or a visit where
        -- someone was met after it
        case when exists (select 1 from need_fact nf where nf.health_check_id = ranked.row_id and nf.deleted = 0)
               or exists (select 1 from visit_fact vf where vf.team_id = ranked.team_id and vf.household_id = ranked.household_id
                          and vf.deleted = 0 and vf.outcome = 'met' and vf.at_ms > ranked.at_ms)
             then 1 else 0 end as followed
      from ranked where k = 1
    )
    select row_id, resident_id, household_id, level, followed from chosen
    order by case level when 'urgent' then 0 else 1 end, followed, at_ms desc
  `.execute(db);
  const residentsFlagged = flagged.rows.length;
  const notFollowedUp = flagged.rows.filter((f) => !n(f.followed)).length;
  const top = flagged.rows.slice(0, ATTENTION_LIMIT);
  const ids = [...new Set(top.flatMap((f) => [f.row_id, f.resident_id, f.household_id]))];
  const records = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < ids.length; i += 300) {
    const rows = await db
      .selectFrom('record')
      .select(['row_id', 'fields'])
      .where('team_id', '=', teamId)
      .where('row_id', 'in', ids.slice(i, i + 300))
      .execute();
    for (const row of rows) records.set(row.row_id, JSON.parse(row.fields) as Record<string, unknown>);
  }
  const attention: AttentionRow[] = top.map((f) => {
    const check = records.get(f.row_id) ?? {};
    const resident = records.get(f.resident_id) ?? {};
    const household = { ...HOUSEHOLD_DEFAULTS, ...records.get(f.household_id) };
    return {
      residentId: f.resident_id,
      residentName: typeof resident.name === 'string' ? resident.name : '',
      householdId: f.household_id,
      household: {
        gridCode: household.gridCode,
        compound: household.compound,
        building: household.building,
        unit: household.unit,
        room: household.room,
      },
      checkId: f.row_id,
      at: typeof check.at === 'string' ? check.at : '',
      level: f.level as Severity,
      flags: (Array.isArray(check.flags) ? (check.flags as unknown[]) : []).filter(
        (x): x is FlagCode => typeof x === 'string' && isFlagCode(x),
      ),
      followedUp: Boolean(n(f.followed)),
    };
  });
  return { checks, residentsChecked: n(distinct?.n), byLevel, residentsFlagged, notFollowedUp, attention };
}

/**
 * Requests received in the range: answered how, resolved how fast (as the needs they became
 * stood at the range's end, by their history), evaluated how.
 */
export async function requestsDashboard(db: Db, teamId: string, r: Range, now = Date.now()): Promise<RequestsDashboard> {
  const rows = await db
    .selectFrom('request_fact as q')
    .leftJoin('need_fact as n', 'n.row_id', 'q.need_id')
    .select([
      'q.status as status',
      'q.created_ms as created_ms',
      'q.need_id as need_id',
      'n.status as need_status',
      'n.resolved_ms as resolved_ms',
      'n.evaluation as evaluation',
    ])
    .where('q.team_id', '=', teamId)
    .where('q.deleted', '=', 0)
    .where('q.created_ms', '>=', r.fromMs)
    .where('q.created_ms', '<', r.endMs)
    .execute();
  const asOf = Math.min(now, r.endMs);
  const needIds = [...new Set(rows.flatMap((x) => (x.need_id ? [x.need_id] : [])))];
  // each need's last step before the end, and when it was last resolved by then
  const last = new Map<string, { status: string; resolvedMs: number | null }>();
  for (let i = 0; i < needIds.length; i += 300) {
    const steps = await db
      .selectFrom('need_log_fact')
      .select(['need_id', 'status', 'action', 'at_ms'])
      .where('team_id', '=', teamId)
      .where('deleted', '=', 0)
      .where('need_id', 'in', needIds.slice(i, i + 300))
      .where('at_ms', '<', asOf)
      .orderBy('at_ms')
      .orderBy('row_id')
      .execute();
    for (const st of steps) {
      const before = last.get(st.need_id);
      last.set(st.need_id, { status: st.status, resolvedMs: st.action === 'resolved' ? n(st.at_ms) : (before?.resolvedMs ?? null) });
    }
  }
  const out: RequestsDashboard = {
    received: rows.length,
    accepted: 0,
    declined: 0,
    resolved: 0,
    medianHoursToResolve: null,
    evaluations: { satisfied: 0, neutral: 0, unsatisfied: 0 },
  };
  const hours: number[] = [];
  for (const row of rows) {
    if (row.status === 'accepted') out.accepted++;
    if (row.status === 'declined') out.declined++;
    const stepped = row.need_id ? last.get(row.need_id) : undefined;
    // a need with no history: by its own fields, finished before the end
    const resolvedAt = stepped
      ? stepped.status === 'resolved'
        ? stepped.resolvedMs
        : null
      : row.need_status === 'resolved' && row.resolved_ms !== null && n(row.resolved_ms) < asOf
        ? n(row.resolved_ms)
        : null;
    if (row.status === 'accepted' && resolvedAt !== null) {
      out.resolved++;
      hours.push((resolvedAt - n(row.created_ms)) / 3_600_000);
    }
    if (row.evaluation === 'satisfied' || row.evaluation === 'neutral' || row.evaluation === 'unsatisfied')
      out.evaluations[row.evaluation]++;
  }
  hours.sort((a, b) => a - b);
  if (hours.length > 0) {
    const mid = Math.floor(hours.length / 2);
    out.medianHoursToResolve = Math.round((hours.length % 2 ? hours[mid]! : (hours[mid - 1]! + hours[mid]!) / 2) * 10) / 10;
  }
  return out;
}
