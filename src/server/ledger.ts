/**
 * The points ledger (公益积分) and confirmed totals as the push judges them: for the
 * volunteers a push touches, what each attendance's standing confirmation earned, what was
 * redeemed, and the team's points rules — loaded under the team's lock from the report
 * tables, then kept up to date as the push applies its mutations, so two redemptions of the
 * same points in one push (or in two phones' pushes) cannot both pass.
 *
 * The server's figures, never a phone's: the points a confirmation earns (by the rule in
 * force on the activity's day), whether a redemption overdraws, and a certificate's total.
 */
import type { Transaction, Kysely } from 'kysely';
import { ruleInForce, type PointsRule } from '../shared/hours.ts';
import type { Fields } from '../shared/merge.ts';
import { withDefaults, type RecordType } from '../shared/registry.ts';
import type { Schema } from './db.ts';

type Tx = Transaction<Schema> | Kysely<Schema>;

/** The types whose judgement reads the ledger. */
export const LEDGER_TYPES: ReadonlySet<RecordType> = new Set<RecordType>(['serviceRecord', 'redemption', 'certificate']);

interface Standing {
  id: string;
  createdMs: number;
  date: string;
  hours: number;
  points: number;
}

export class Ledger {
  /** volunteer → attendance → its standing confirmation */
  private readonly service = new Map<string, Map<string, Standing>>();
  private readonly redeemed = new Map<string, number>();

  private readonly rules: PointsRule[];

  constructor(rules: PointsRule[]) {
    this.rules = rules;
  }

  /** The rule in force on a day, among those stored and those this push has applied. */
  ruleFor(date: string): PointsRule | null {
    return ruleInForce(this.rules, date);
  }

  addRule(fields: Fields): void {
    this.rules.push(withDefaults('pointsRule', fields));
  }

  /** A confirmation applied: it stands for its attendance when it is the later one. */
  addService(volunteerId: string, attendanceId: string, s: Standing): void {
    const byAttendance = this.service.get(volunteerId) ?? new Map<string, Standing>();
    this.service.set(volunteerId, byAttendance);
    const before = byAttendance.get(attendanceId);
    if (!before || s.createdMs > before.createdMs || (s.createdMs === before.createdMs && s.id > before.id))
      byAttendance.set(attendanceId, s);
  }

  addRedemption(volunteerId: string, points: number): void {
    this.redeemed.set(volunteerId, (this.redeemed.get(volunteerId) ?? 0) + points);
  }

  balance(volunteerId: string): number {
    let earned = 0;
    for (const s of this.service.get(volunteerId)?.values() ?? []) earned += s.points;
    return earned - (this.redeemed.get(volunteerId) ?? 0);
  }

  /** Confirmed hours between two days (inclusive), and how many activities they were. */
  confirmed(volunteerId: string, from: string, to: string): { totalHours: number; activities: number } {
    let totalHours = 0;
    let activities = 0;
    for (const s of this.service.get(volunteerId)?.values() ?? []) {
      if (s.date < from || s.date > to || s.hours <= 0) continue;
      totalHours += s.hours;
      activities++;
    }
    return { totalHours: Math.round(totalHours * 100) / 100, activities };
  }
}

/** The ledger of these volunteers in a team, read under the push's lock. */
export async function loadLedger(trx: Tx, teamId: string, volunteerIds: readonly string[]): Promise<Ledger> {
  const rules = await trx.selectFrom('record').select(['fields']).where('type', '=', 'pointsRule').where('team_id', '=', teamId).execute();
  const ledger = new Ledger(rules.map((r) => withDefaults('pointsRule', JSON.parse(r.fields) as Fields)));
  const ids = [...new Set(volunteerIds)];
  for (let i = 0; i < ids.length; i += 400) {
    const part = ids.slice(i, i + 400);
    const service = await trx
      .selectFrom('service_fact')
      .select(['row_id', 'volunteer_id', 'attendance_id', 'date', 'hours', 'points', 'created_ms'])
      .where('team_id', '=', teamId)
      .where('volunteer_id', 'in', part)
      .where('deleted', '=', 0)
      .execute();
    for (const s of service) {
      ledger.addService(s.volunteer_id, s.attendance_id, {
        id: s.row_id,
        createdMs: Number(s.created_ms),
        date: s.date,
        hours: Number(s.hours),
        points: Number(s.points),
      });
    }
    const redeemed = await trx
      .selectFrom('redemption_fact')
      .select(['volunteer_id', (eb) => eb.fn.sum<number>('points').as('points')])
      .where('team_id', '=', teamId)
      .where('volunteer_id', 'in', part)
      .where('deleted', '=', 0)
      .groupBy('volunteer_id')
      .execute();
    for (const r of redeemed) ledger.addRedemption(r.volunteer_id, Number(r.points));
  }
  return ledger;
}

/** A standing confirmation's ledger entry, from its merged fields. */
export function standingOf(rowId: string, fields: Fields): { volunteerId: string; attendanceId: string; standing: Standing } {
  const r = withDefaults('serviceRecord', fields);
  return {
    volunteerId: r.volunteerId,
    attendanceId: r.attendanceId,
    standing: { id: rowId, createdMs: Date.parse(r.createdAt) || 0, date: r.date, hours: r.hours, points: r.points },
  };
}
