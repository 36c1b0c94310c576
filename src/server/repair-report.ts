/**
 * Repair figures and exports on the server: an event's summary (the same `summarizeRepairs`
 * the phone runs), the Open Repair Data Standard v0.3 export, and the coordinator's full CSV.
 *
 * Rows come from the synced records, so what is exported is exactly what the phones handed
 * in. The ORDS export carries no personal data: no names, no phones, no household.
 */
import { sql } from 'kysely';
import { maskNumbers } from '../shared/open-data.ts';
import { dateSchema } from '../shared/schema-kit.ts';
import { withDefaults } from '../shared/registry.ts';
import type { RepairEvent, RepairTicket } from '../shared/repair.ts';
import { fenToYuanString } from '../shared/repair-fees.ts';
import { REPAIR_CATEGORIES, ticketImpact, type RepairCategoryKey } from '../shared/repair-impact.ts';
import { summarizeRepairs, type RepairSummary } from '../shared/repair-summary.ts';
import { DEFAULT_ROUNDING_MINUTES, sheetTotals } from '../shared/service-hours.ts';
import { en } from '../shared/i18n/en.ts';
import { zhCN } from '../shared/i18n/zh-CN.ts';
import * as z from 'zod/mini';
import { csvResult, localTime, type CsvResult } from './csv.ts';
import { dialectOf, type Db } from './db.ts';

/** ORDS v0.3 column order, exactly as `shared/data/ords/tableschema.json` lists it. */
export const ORDS_COLUMNS = [
  'id',
  'data_provider',
  'country',
  'partner_product_category',
  'product_category',
  'product_category_id',
  'brand',
  'year_of_manufacture',
  'product_age',
  'repair_status',
  'repair_barrier_if_end_of_life',
  'group_identifier',
  'event_date',
  'problem',
] as const;

const ORDS_STATUS = { fixed: 'Fixed', repairable: 'Repairable', endOfLife: 'End of life', unknown: 'Unknown' } as const;
const ORDS_BARRIER = {
  partsUnavailable: 'Spare parts not available',
  partsTooExpensive: 'Spare parts too expensive',
  cannotOpen: 'No way to open product',
  noInformation: 'Repair information not available',
  lackOfEquipment: 'Lack of equipment',
  tooWornOut: 'Too worn out',
} as const;
/** ORDS v0.3 product categories by id (the ones Linli's categories map to). */
export const ORDS_CATEGORY_NAMES: Record<number, string> = {
  3: 'Decorative or safety lights',
  7: 'Fan',
  9: 'Hair & beauty item',
  14: 'Kettle',
  15: 'Lamp',
  18: 'Misc',
  19: 'Mobile',
  23: 'Portable radio',
  24: 'Power tool',
  27: 'Sewing machine',
  29: 'Small kitchen item',
  31: 'Toaster',
  34: 'Vacuum',
  35: 'Watch/clock',
  36: 'Coffee maker',
  40: 'Iron',
};

export interface ReportOptions {
  country: string;
  dataProvider: string;
  timeZone: string;
}

/** Two calendar days that exist (no 2026-13-01, no 2026-02-30), the first not after the second. */
export const dateRangeSchema = z
  .object({ from: dateSchema, to: dateSchema })
  .check(z.refine((r) => r.from <= r.to, { message: 'v.dateRange', path: ['from'] }));

/** A synced row as a complete record; fields no phone has sent yet take the form's defaults. */
function rowFields(json: string): Record<string, unknown> {
  return JSON.parse(json) as Record<string, unknown>;
}

function asTicket(fields: Record<string, unknown>): RepairTicket {
  return withDefaults('repairTicket', fields);
}

function asEvent(fields: Record<string, unknown>): RepairEvent {
  return withDefaults('repairEvent', fields);
}

/** The JSON field `key` of a record row, in the dialect's words. */
function jsonField(db: Db, key: 'eventId') {
  return dialectOf(db) === 'postgres'
    ? sql<string>`(fields::jsonb ->> ${sql.lit(key)})`
    : sql<string>`json_extract(fields, ${sql.lit(`$.${key}`)})`;
}

export async function eventSummary(db: Db, teamId: string, eventId: string): Promise<RepairSummary | null> {
  const eventRow = await db
    .selectFrom('record')
    .select('fields')
    .where('row_id', '=', eventId)
    .where('team_id', '=', teamId)
    .where('type', '=', 'repairEvent')
    .executeTakeFirst();
  if (!eventRow) return null;
  const event = asEvent(rowFields(eventRow.fields));
  if (event.deleted) return null;
  const rows = await db
    .selectFrom('record')
    .select('fields')
    .where('team_id', '=', teamId)
    .where('type', '=', 'repairTicket')
    .where(jsonField(db, 'eventId'), '=', eventId)
    .execute();
  return summarizeRepairs(
    rows.map((r) => asTicket(rowFields(r.fields))),
    event,
    await eventSheet(db, teamId, eventId),
  );
}

/** The event's sign-in sheet as the summary counts it (the same `sheetTotals` the phone runs). */
async function eventSheet(db: Db, teamId: string, eventId: string): Promise<{ volunteers: number; hours: number }> {
  const attendances = (
    await db
      .selectFrom('record')
      .select('fields')
      .where('team_id', '=', teamId)
      .where('type', '=', 'attendance')
      .where(jsonField(db, 'eventId'), '=', eventId)
      .execute()
  )
    .map((r) => withDefaults('attendance', rowFields(r.fields)))
    .filter((a) => !a.deleted);
  if (attendances.length === 0) return { volunteers: 0, hours: 0 };
  const facts = await db
    .selectFrom('service_fact')
    .select(['row_id', 'attendance_id', 'hours', 'created_ms'])
    .where('team_id', '=', teamId)
    .where('event_id', '=', eventId)
    .where('deleted', '=', 0)
    .execute();
  const standing = new Map<string, { ms: number; id: string; hours: number }>();
  for (const f of facts) {
    const before = standing.get(f.attendance_id);
    const ms = Number(f.created_ms);
    if (!before || ms > before.ms || (ms === before.ms && f.row_id > before.id))
      standing.set(f.attendance_id, { ms, id: f.row_id, hours: Number(f.hours) });
  }
  const settings = await db
    .selectFrom('record')
    .select('fields')
    .where('row_id', '=', teamId)
    .where('type', '=', 'teamSettings')
    .executeTakeFirst();
  const rounding = settings ? withDefaults('teamSettings', rowFields(settings.fields)).hoursRoundingMinutes : DEFAULT_ROUNDING_MINUTES;
  return sheetTotals(
    attendances.map((a) => ({ ...a, confirmedHours: standing.get(a.id)?.hours ?? null })),
    rounding,
  );
}

interface DatedTicket {
  ticket: RepairTicket;
  event: RepairEvent | null;
  date: string;
}

/** The team's live tickets whose day — the event's date, or a home repair's creation day — is in range. */
async function ticketsInRange(db: Db, teamId: string, from: string, to: string, timeZone: string): Promise<DatedTicket[]> {
  const rows = await db
    .selectFrom('record')
    .select(['type', 'fields'])
    .where('team_id', '=', teamId)
    .where('type', 'in', ['repairEvent', 'repairTicket'])
    .execute();
  const events = new Map<string, RepairEvent>();
  const tickets: RepairTicket[] = [];
  for (const r of rows) {
    const fields = rowFields(r.fields);
    if (r.type === 'repairEvent') events.set(String(fields.id), asEvent(fields));
    else tickets.push(asTicket(fields));
  }
  const day = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const out: DatedTicket[] = [];
  for (const ticket of tickets) {
    if (ticket.deleted) continue;
    const event = ticket.eventId ? (events.get(ticket.eventId) ?? null) : null;
    if (event?.deleted) continue;
    const date = event?.date || (ticket.createdAt ? day.format(new Date(ticket.createdAt)) : '');
    if (date && date >= from && date <= to) out.push({ ticket, event, date });
  }
  out.sort((a, b) => (a.date === b.date ? (a.ticket.number < b.ticket.number ? -1 : 1) : a.date < b.date ? -1 : 1));
  return out;
}

/** A UUID as a decimal string: a stable, unique number for ORDS's `^[a-z]+-[0-9]+$` ids. */
export function ordsId(uuid: string): string {
  return `linli-${BigInt(`0x${uuid.replace(/-/g, '')}`).toString(10)}`;
}

export async function ordsExport(
  db: Db,
  teamId: string,
  teamName: string,
  from: string,
  to: string,
  opts: ReportOptions,
): Promise<CsvResult> {
  const records: string[][] = [];
  for (const { ticket, date } of await ticketsInRange(db, teamId, from, to, opts.timeZone)) {
    // ORDS counts repair attempts: items handed back unrepaired or never brought are not attempts
    if (ticket.status === 'cancelled' || ticket.status === 'noShow') continue;
    const category = REPAIR_CATEGORIES[ticket.category as RepairCategoryKey] ?? REPAIR_CATEGORIES.miscPowered;
    const status = ORDS_STATUS[ticket.outcome ?? 'unknown'];
    const year = Number(date.slice(0, 4));
    records.push([
      ordsId(ticket.id),
      opts.dataProvider,
      opts.country,
      en[`cat.${ticket.category as RepairCategoryKey}`] ?? ticket.category,
      ORDS_CATEGORY_NAMES[category.ordsId] ?? 'Misc',
      String(category.ordsId),
      maskNumbers(ticket.brand.trim()) || 'Unknown',
      ticket.ageYears !== null && year - ticket.ageYears >= 1000 ? String(Math.round(year - ticket.ageYears)) : '',
      ticket.ageYears !== null ? String(ticket.ageYears) : '',
      status,
      status === 'End of life' && ticket.barrier ? ORDS_BARRIER[ticket.barrier] : '',
      teamName,
      date,
      maskNumbers(ticket.problem),
    ]);
  }
  return csvResult(ORDS_COLUMNS, records, (r) => r, { bom: false });
}

const FULL_COLUMNS = [
  'ticket.number',
  'event.title',
  'event.date',
  'ticket.homeRepair',
  'ticket.category',
  'ticket.item',
  'ticket.brand',
  'ticket.model',
  'ticket.ageYears',
  'ticket.problem',
  'ticket.residentName',
  'ticket.residentPhone',
  'ticket.status',
  'ticket.outcome',
  'ticket.barrier',
  'ticket.nextStep',
  'ticket.notes',
  'ticket.partsUsed',
  'ticket.repairedBy',
  'ticket.feeTier',
  'ticket.materials',
  'ticket.charge',
  'export.subsidy',
  'ticket.feeReason',
  'export.co2eKg',
  'export.wasteKg',
  'export.createdAt',
] as const;

/** Everything a coordinator needs about each ticket: Chinese headers, UTF-8 with a BOM for Excel and WPS. */
export async function fullRepairExport(db: Db, teamId: string, from: string, to: string, opts: ReportOptions): Promise<CsvResult> {
  const zh = zhCN as Record<string, string>;
  const header = FULL_COLUMNS.map((k) => zh[k] ?? k);
  const records: string[][] = [];
  for (const { ticket: tk, event, date } of await ticketsInRange(db, teamId, from, to, opts.timeZone)) {
    const impact = ticketImpact(tk);
    records.push([
      tk.number,
      event?.title ?? '',
      date,
      tk.mode === 'home' ? '是' : '',
      zh[`cat.${tk.category}`] ?? tk.category,
      tk.item,
      tk.brand,
      tk.model,
      tk.ageYears === null ? '' : String(tk.ageYears),
      tk.problem,
      tk.residentName,
      tk.residentPhone,
      zh[`ticket.status.${tk.status}`] ?? tk.status,
      tk.outcome ? (zh[`outcome.${tk.outcome}`] ?? tk.outcome) : '',
      tk.barrier ? (zh[`barrier.${tk.barrier}`] ?? tk.barrier) : '',
      tk.nextStep ? (zh[`nextStep.${tk.nextStep}`] ?? tk.nextStep) : '',
      tk.notes,
      tk.partsUsed,
      tk.repairedBy,
      zh[`feeTier.${tk.feeTier}`] ?? tk.feeTier,
      fenToYuanString(tk.materialsFen),
      fenToYuanString(tk.feeFen),
      fenToYuanString(tk.subsidyFen),
      tk.feeReason,
      impact.co2eKg.toFixed(2),
      impact.wasteKg.toFixed(2),
      // in the team's calendar, as every other export's times (issue 24, item 3)
      localTime(tk.createdAt, opts.timeZone),
    ]);
  }
  return csvResult(header, records, (r) => r);
}
