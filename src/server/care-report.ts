/**
 * The coordinator's spreadsheets of door-to-door work and health checks: the household
 * register, visits, needs and health checks — Chinese headers, UTF-8 with a BOM so Excel and
 * WPS open them, every cell safe from formula injection, times in the team's zone.
 *
 * These carry personal data (names, phones, health readings): the routes that serve them are
 * coordinator-only and audited.
 */
import { classify, DEFAULT_THRESHOLDS } from '../shared/health.ts';
import { formatAddress } from '../shared/address.ts';
import type { Household, Resident } from '../shared/household.ts';
import { zhCN } from '../shared/i18n/zh-CN.ts';
import { isOpenNeed } from '../shared/need.ts';
import { withDefaults, type RecordType } from '../shared/registry.ts';
import { dueState, localDay, SAFETY_ITEMS } from '../shared/visit.ts';
import { rangeOf } from './care-dashboard.ts';
import type { SelectQueryBuilder } from 'kysely';
import type { Db, Schema } from './db.ts';
import { csvResult, localTime, sortByParts, turn, type CsvResult } from './csv.ts';
import { translate } from '../shared/i18n/index.ts';
import { needDescription } from '../shared/need.ts';

const zh = zhCN as Record<string, string>;
const label = (key: string, fallback = '') => zh[key] ?? fallback;

/** PAGE rows a query at most: each page parsed apart, with a turn between, so a register never holds the thread. */
const PAGE = 250;

/** The team's live records of a type — those of `ids`, or all of them — read a page at a time. */
export async function rowsOf<T extends RecordType>(db: Db, teamId: string, type: T, ids?: string[]) {
  const out: ReturnType<typeof withDefaults<T>>[] = [];
  const base = db.selectFrom('record').select(['row_id', 'fields']).where('team_id', '=', teamId).where('type', '=', type);
  const keep = (page: { fields: string }[]) => {
    for (const r of page) {
      const row = withDefaults(type, JSON.parse(r.fields) as Record<string, unknown>);
      if (!row.deleted) out.push(row);
    }
  };
  if (ids) {
    for (let i = 0; i < ids.length; i += 400) {
      keep(await base.where('row_id', 'in', ids.slice(i, i + 400)).execute());
      await turn();
    }
    return out;
  }
  for (let last = ''; ;) {
    const page = await base.where('row_id', '>', last).orderBy('row_id').limit(PAGE).execute();
    keep(page);
    if (page.length < PAGE) return out;
    last = page.at(-1)!.row_id;
    await turn();
  }
}

/** Ids of the team's facts of one kind whose time falls in the range, oldest first. */
async function idsInRange(
  db: Db,
  teamId: string,
  table: 'visit_fact' | 'need_fact' | 'health_fact',
  from: string,
  to: string,
  timeZone: string,
): Promise<string[]> {
  const r = rangeOf(from, to, timeZone);
  const column = table === 'need_fact' ? 'created_ms' : 'at_ms';
  const rows = await db
    .selectFrom(table)
    .select('row_id')
    .where('team_id', '=', teamId)
    .where('deleted', '=', 0)
    .where(column, '>=', r.fromMs)
    .where(column, '<', r.endMs)
    .orderBy(column)
    .execute();
  return rows.map((x) => x.row_id);
}

const ADDRESS = { withUnit: label('household.addressLine'), noUnit: label('household.addressNoUnit') };

function place(h: Household | undefined): string[] {
  return h ? [h.gridCode, formatAddress(h, ADDRESS), h.headName] : ['', '', ''];
}

export function byId<T extends { id: string }>(xs: T[]): Map<string, T> {
  return new Map(xs.map((x) => [x.id, x]));
}

/**
 * A figure per household from a fact table (`n`: the last visit met, the open needs), a page
 * of households at a time in the index's order, with a turn between: one aggregate over a
 * district's visits held the thread for ~45 ms.
 */
async function perHousehold(
  db: Db,
  teamId: string,
  table: 'visit_fact' | 'need_fact',
  figure: (
    q: SelectQueryBuilder<Schema, 'visit_fact' | 'need_fact', { household_id: string }>,
  ) => SelectQueryBuilder<Schema, 'visit_fact' | 'need_fact', { household_id: string; n: unknown }>,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let last = ''; ;) {
    const base = db.selectFrom(table).select('household_id').where('team_id', '=', teamId).where('household_id', '>', last);
    const page = await figure(base).groupBy('household_id').orderBy('household_id').limit(PAGE).execute();
    for (const row of page) out.set(row.household_id, Number(row.n));
    if (page.length < PAGE) return out;
    last = page.at(-1)!.household_id;
    await turn();
  }
}

/** Every live household, with its residents, last visit, next due day and open needs. */
export async function householdsExport(db: Db, teamId: string, timeZone: string, now = Date.now()): Promise<CsvResult> {
  const households = await rowsOf(db, teamId, 'household');
  const residents = await rowsOf(db, teamId, 'resident');
  const residentsOf = new Map<string, Resident[]>();
  for (const r of residents) residentsOf.set(r.householdId, [...(residentsOf.get(r.householdId) ?? []), r]);
  const lastMet = await perHousehold(db, teamId, 'visit_fact', (q) =>
    q
      .select((eb) => eb.fn.max('at_ms').as('n'))
      .where('deleted', '=', 0)
      .where('outcome', '=', 'met'),
  );
  const openNeeds = await perHousehold(db, teamId, 'need_fact', (q) =>
    q
      .select((eb) => eb.fn.countAll().as('n'))
      .where('deleted', '=', 0)
      .where('status', 'in', ['open', 'assigned', 'inProgress']),
  );
  const today = localDay(now, timeZone);
  const sorted = sortByParts(households, (h) => [h.gridCode, h.building, h.unit, h.room]);
  const header = [
    'household.gridCode',
    'household.compound',
    'household.building',
    'household.unit',
    'household.room',
    'household.headName',
    'household.phone',
    'household.tags',
    'household.dialect',
    'household.translator',
    'household.emergencyName',
    'household.emergencyPhone',
    'household.emergencyRelation',
    'household.doctorName',
    'household.doctorPhone',
    'household.visitInterval',
    'household.residents',
    'household.lastMet',
    'household.nextDue',
    'household.openNeeds',
    'household.notes',
    'household.registeredAt',
  ].map((k) => label(k).replace(/[：:]?\s*\{\w+\}$/, ''));
  return csvResult(header, sorted, (h) => {
    const last = lastMet.get(h.id);
    const lastDay = last ? localDay(last, timeZone) : null;
    const due = dueState(
      {
        registeredOn: h.createdAt ? localDay(h.createdAt, timeZone) : today,
        intervalDays: h.visitIntervalDays,
        lastMetOn: lastDay,
        followUpOn: h.followUpOn,
      },
      today,
    );
    return [
      h.gridCode,
      h.compound,
      h.building,
      h.unit,
      h.room,
      h.headName,
      h.phone,
      h.tags.map((t) => label(`tag.${t}`, t)).join('、'),
      h.dialect,
      h.translator,
      h.emergencyName,
      h.emergencyPhone,
      h.emergencyRelation,
      h.doctorName,
      h.doctorPhone,
      String(h.visitIntervalDays),
      (residentsOf.get(h.id) ?? []).map((r) => r.name).join('、'),
      lastDay ?? '',
      h.followUpOn && h.followUpOn < due.dueOn ? h.followUpOn : due.dueOn,
      String(openNeeds.get(h.id) ?? 0),
      h.notes,
      localTime(h.createdAt, timeZone),
    ];
  });
}

export async function visitsExport(db: Db, teamId: string, from: string, to: string, timeZone: string): Promise<CsvResult> {
  const visits = await rowsOf(db, teamId, 'visit', await idsInRange(db, teamId, 'visit_fact', from, to, timeZone));
  const households = byId(await rowsOf(db, teamId, 'household', [...new Set(visits.map((v) => v.householdId))]));
  visits.sort((a, b) => (a.at < b.at ? -1 : 1));
  const header = [
    label('visit.at'),
    label('household.gridCode'),
    label('household.address'),
    label('household.headName'),
    label('visit.by'),
    label('visit.kind'),
    label('visit.outcome'),
    ...SAFETY_ITEMS.map((k) => label(`safety.${k}`)),
    label('visit.notes'),
    label('visit.followUpOn'),
  ];
  return csvResult(header, visits, (v) => [
    localTime(v.at, timeZone),
    ...place(households.get(v.householdId)),
    v.byName,
    label(`visitKind.${v.kind}`, v.kind),
    label(`visitOutcome.${v.outcome}`, v.outcome),
    ...SAFETY_ITEMS.map((k) => label(`safetyResult.${v[k]}`, v[k])),
    v.notes,
    v.followUpOn ?? '',
  ]);
}

export async function needsExport(
  db: Db,
  teamId: string,
  from: string,
  to: string,
  timeZone: string,
  now = Date.now(),
): Promise<CsvResult> {
  const needs = await rowsOf(db, teamId, 'need', await idsInRange(db, teamId, 'need_fact', from, to, timeZone));
  const households = byId(await rowsOf(db, teamId, 'household', [...new Set(needs.map((n) => n.householdId))]));
  const tickets = byId(
    await rowsOf(
      db,
      teamId,
      'repairTicket',
      needs.flatMap((n) => (n.repairTicketId ? [n.repairTicketId] : [])),
    ),
  );
  needs.sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
  const today = localDay(now, timeZone);
  const header = [
    label('need.createdAt'),
    label('household.gridCode'),
    label('household.address'),
    label('household.headName'),
    label('need.category'),
    label('need.urgency'),
    label('need.description'),
    label('need.route'),
    label('need.department'),
    label('need.assignee'),
    label('need.status'),
    label('need.resolution'),
    label('need.resolvedAt'),
    label('need.evaluation'),
    label('dashboard.stillOpen'),
    label('need.toRepair'),
    label('need.channel'),
  ];
  return csvResult(header, needs, (n) => {
    const created = n.createdAt ? localDay(n.createdAt, timeZone) : today;
    const days = Math.max(0, Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${created}T00:00:00Z`)) / 86_400_000));
    return [
      localTime(n.createdAt, timeZone),
      ...place(households.get(n.householdId)),
      label(`needCat.${n.category}`, n.category),
      label(`urgency.${n.urgency}`, n.urgency),
      needDescription(n, (key, params) => translate('zh-CN', key, params)),
      label(`route.${n.route}`, n.route),
      n.department,
      n.assignee,
      label(`needStatus.${n.status}`, n.status),
      n.resolution,
      localTime(n.resolvedAt, timeZone),
      n.evaluation ? label(`evaluation.${n.evaluation}`, n.evaluation) : '',
      isOpenNeed(n.status) ? label('need.age').replace('{days}', String(days)) : '',
      n.repairTicketId ? (tickets.get(n.repairTicketId)?.number ?? '') : '',
      label(`channel.${needChannel(n)}`),
    ];
  });
}

/** How a need came in: a resident's request, a visit, a health check, or entered otherwise. */
function needChannel(n: {
  requestId: string | null;
  visitId: string | null;
  healthCheckId: string | null;
}): 'request' | 'visit' | 'health' | 'other' {
  return n.requestId ? 'request' : n.visitId ? 'visit' : n.healthCheckId ? 'health' : 'other';
}

export async function healthExport(db: Db, teamId: string, from: string, to: string, timeZone: string): Promise<CsvResult> {
  const checks = await rowsOf(db, teamId, 'healthCheck', await idsInRange(db, teamId, 'health_fact', from, to, timeZone));
  const residents = byId(await rowsOf(db, teamId, 'resident', [...new Set(checks.map((c) => c.residentId))]));
  const households = byId(await rowsOf(db, teamId, 'household', [...new Set(checks.map((c) => c.householdId))]));
  checks.sort((a, b) => (a.at < b.at ? -1 : 1));
  const n = (v: number | null) => (v === null ? '' : String(v));
  const header = [
    label('check.at'),
    label('household.gridCode'),
    label('household.address'),
    label('resident.name'),
    label('resident.sex'),
    label('resident.birthYear'),
    label('check.by'),
    `${label('reading.systolic')} (mmHg)`,
    `${label('reading.diastolic')} (mmHg)`,
    `${label('reading.pulse')} (bpm)`,
    `${label('reading.glucose')} (mmol/L)`,
    label('check.glucoseWhen'),
    `${label('reading.temperature')} (°C)`,
    `${label('reading.weight')} (kg)`,
    `${label('reading.spo2')} (%)`,
    label('check.level'),
    label('check.flags'),
    label('check.mood'),
    label('check.falls'),
    label('check.medication'),
    label('check.notes'),
    label('check.thresholdVersion'),
  ];
  return csvResult(header, checks, (c) => {
    const r = residents.get(c.residentId);
    const [grid, address] = place(households.get(c.householdId));
    // the flags it was judged with; an older row without them is judged with the defaults
    const flags = c.flags.length > 0 || c.thresholdVersion ? c.flags : classify(c, DEFAULT_THRESHOLDS).flags.map((f) => f.code);
    return [
      localTime(c.at, timeZone),
      grid ?? '',
      address ?? '',
      r?.name ?? '',
      r?.sex ? label(`sex.${r.sex}`) : '',
      r?.birthYear ? String(r.birthYear) : '',
      c.byName,
      n(c.systolic),
      n(c.diastolic),
      n(c.pulse),
      n(c.glucose),
      c.glucoseContext ? label(`glucoseContext.${c.glucoseContext}`) : '',
      n(c.temperature),
      n(c.weight),
      n(c.spo2),
      label(`severity.${c.level}`, c.level),
      flags.map((f) => label(`flag.${f}`, f)).join('、'),
      c.mood,
      c.falls ? label(`falls.${c.falls}`) : '',
      c.medication ? label(`medication.${c.medication}`) : '',
      c.notes,
      c.thresholdVersion,
    ];
  });
}
