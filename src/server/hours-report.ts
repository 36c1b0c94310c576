/**
 * Volunteer hours out of the server: the hours export a coordinator enters into the national
 * volunteer service system (one row per volunteer per activity, the confirmation standing for
 * it), and what the public verification page of a certificate may show — valid or not, the
 * organisation, the name with its middle masked, the period, the total. Both read the
 * server's own records, never a phone's figures.
 */
import { formatAddress, maskPhone } from '../shared/address.ts';
import { maskName } from '../shared/hours.ts';
import { zhCN } from '../shared/i18n/zh-CN.ts';
import { withDefaults } from '../shared/registry.ts';
import { byId, rowsOf } from './care-report.ts';
import { csvResult, localTime, sortByParts, type CsvResult } from './csv.ts';
import type { Db } from './db.ts';
import type { PointsDashboard } from '../shared/dashboard.ts';
import type { Range } from './care-dashboard.ts';

const zh = zhCN as Record<string, string>;
const label = (key: string) => zh[key] ?? key;

/** Each attendance's standing confirmation in the period (the last recorded), by the report table's index. */
async function standingInPeriod(db: Db, teamId: string, from: string, to: string) {
  const facts = await db
    .selectFrom('service_fact')
    .select(['row_id', 'attendance_id', 'volunteer_id', 'hours', 'created_ms'])
    .where('team_id', '=', teamId)
    .where('date', '>=', from)
    .where('date', '<=', to)
    .where('deleted', '=', 0)
    .execute();
  const latest = new Map<string, (typeof facts)[number]>();
  for (const f of facts) {
    const before = latest.get(f.attendance_id);
    const ms = Number(f.created_ms);
    if (!before || ms > Number(before.created_ms) || (ms === Number(before.created_ms) && f.row_id > before.row_id))
      latest.set(f.attendance_id, f);
  }
  return [...latest.values()];
}

/** The period's volunteers and their confirmed hours (each attendance's standing confirmation), for the street office's report. */
export async function serviceTotals(db: Db, teamId: string, from: string, to: string): Promise<{ volunteers: number; hours: number }> {
  const standing = (await standingInPeriod(db, teamId, from, to)).filter((f) => Number(f.hours) > 0);
  // hours are whole multiples of the rounding (15 minutes at the finest): in hundredths they sum exactly
  const hundredths = standing.reduce((sum, f) => sum + Math.round(Number(f.hours) * 100), 0);
  return { volunteers: new Set(standing.map((f) => f.volunteer_id)).size, hours: hundredths / 100 };
}

/** The hours export: confirmed hours only, with a masked phone, the times, who confirmed, the organisation. */
export async function hoursExport(
  db: Db,
  teamId: string,
  teamName: string,
  from: string,
  to: string,
  timeZone: string,
): Promise<CsvResult> {
  const standing = await standingInPeriod(db, teamId, from, to);
  const records = await rowsOf(
    db,
    teamId,
    'serviceRecord',
    standing.map((f) => f.row_id),
  );
  const activityIds = [...new Set(records.map((r) => r.eventId))];
  const [volunteers, attendances, activities] = await Promise.all([
    rowsOf(db, teamId, 'volunteer', [...new Set(records.map((r) => r.volunteerId))]).then(byId),
    rowsOf(
      db,
      teamId,
      'attendance',
      records.map((r) => r.attendanceId),
    ).then(byId),
    activitiesOf(db, teamId, activityIds),
  ]);
  const rows = sortByParts(
    records.filter((r) => r.hours > 0),
    (r) => [r.date, volunteers.get(r.volunteerId)?.name ?? ''],
  );
  const header = [
    'hours.csv.name',
    'hours.csv.phone',
    'hours.csv.org',
    'hours.csv.date',
    'hours.csv.activity',
    'hours.csv.place',
    'hours.csv.start',
    'hours.csv.end',
    'hours.csv.hours',
    'hours.csv.confirmedBy',
    'hours.csv.organisation',
  ].map(label);
  return csvResult(header, rows, (r) => {
    const v = volunteers.get(r.volunteerId);
    const a = attendances.get(r.attendanceId);
    const e = activities.get(r.eventId);
    return [
      v?.name ?? '',
      v?.phone ? maskPhone(v.phone) : '',
      v?.org ?? '',
      r.date,
      e?.title ?? '',
      e?.place ?? '',
      localTime(a?.checkInAt ?? null, timeZone),
      localTime(a?.checkOutAt ?? null, timeZone),
      String(r.hours),
      r.confirmedBy,
      teamName,
    ];
  });
}

const ADDRESS = { withUnit: zh['household.addressLine']!, noUnit: zh['household.addressNoUnit']! };

/** What each attendance was for: a team's activity (its title and site), or a visit or home repair done alone (the household's address). */
async function activitiesOf(db: Db, teamId: string, ids: string[]): Promise<Map<string, { title: string; place: string }>> {
  const [events, visits, tickets] = await Promise.all([
    rowsOf(db, teamId, 'repairEvent', ids),
    rowsOf(db, teamId, 'visit', ids),
    rowsOf(db, teamId, 'repairTicket', ids),
  ]);
  const homes = byId(
    await rowsOf(db, teamId, 'household', [...new Set([...visits, ...tickets].flatMap((w) => (w.householdId ? [w.householdId] : [])))]),
  );
  const place = (householdId: string | null) => {
    const h = householdId ? homes.get(householdId) : undefined;
    return h ? formatAddress(h, ADDRESS) : '';
  };
  const out = new Map<string, { title: string; place: string }>();
  for (const e of events) out.set(e.id, { title: e.title, place: e.site });
  for (const v of visits) out.set(v.id, { title: label('work.visit'), place: place(v.householdId) });
  for (const t of tickets)
    out.set(t.id, { title: `${label('work.homeRepair')}${t.item ? ` · ${t.item}` : ''}`, place: place(t.householdId) });
  return out;
}

export interface Verification {
  valid: boolean;
  organisation: string;
  name: string;
  from: string;
  to: string;
  totalHours: number;
  serial: string;
}

/** A certificate by its serial, as the public may see it: nothing else of the team. */
export async function verifyCertificate(db: Db, serial: string): Promise<Verification | null> {
  if (!/^ZM\d{4}[0-9A-HJKMNP-TV-Z]{10}$/.test(serial)) return null;
  const fact = await db.selectFrom('certificate_fact').select('row_id').where('serial', '=', serial).executeTakeFirst();
  if (!fact) return null;
  const row = await db.selectFrom('record').select(['team_id', 'fields']).where('row_id', '=', fact.row_id).executeTakeFirst();
  if (row) {
    const c = withDefaults('certificate', JSON.parse(row.fields) as Record<string, unknown>);
    const [team, volunteer] = await Promise.all([
      db.selectFrom('team').select('name').where('id', '=', row.team_id).executeTakeFirst(),
      db.selectFrom('record').select('fields').where('row_id', '=', c.volunteerId).where('team_id', '=', row.team_id).executeTakeFirst(),
    ]);
    const name = volunteer ? withDefaults('volunteer', JSON.parse(volunteer.fields) as Record<string, unknown>).name : '';
    return {
      valid: !c.deleted,
      organisation: team?.name ?? '',
      name: maskName(name),
      from: c.from,
      to: c.to,
      totalHours: c.totalHours,
      serial,
    };
  }
  return null;
}

/** The redemptions refused for overdrawing in the range, newest first, with the volunteer's name: the dashboard's follow-up. */
export async function pointsDashboard(db: Db, teamId: string, r: Range): Promise<PointsDashboard> {
  const rows = await db
    .selectFrom('audit')
    .select(['at', 'detail'])
    .where('team_id', '=', teamId)
    .where('action', '=', 'points.overdraft')
    .where('at', '>=', r.fromMs)
    .where('at', '<', r.endMs)
    .orderBy('at', 'desc')
    .limit(200)
    .execute();
  const details = rows.map((row) => ({
    at: Number(row.at),
    ...(JSON.parse(row.detail) as { volunteerId: string; item: string; points: number; balance: number; byName: string }),
  }));
  const volunteers = byId(await rowsOf(db, teamId, 'volunteer', [...new Set(details.map((d) => d.volunteerId))]));
  return {
    overdrafts: details.map((d) => ({
      at: d.at,
      name: volunteers.get(d.volunteerId)?.name ?? '',
      item: d.item,
      points: d.points,
      balance: d.balance,
      byName: d.byName,
    })),
  };
}
