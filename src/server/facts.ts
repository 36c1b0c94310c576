/**
 * Report tables: for each record type whose registry entry has a report, a typed row of just
 * the fields the coordinator's dashboard counts (`shared/report-facts.ts`), written in the
 * same transaction as the record — so a report never sees a record without its fact, or the
 * reverse — and indexed by team and time. The record stays the truth; these rows are derived
 * from it and can be rebuilt.
 *
 * Why: aggregating a year of JSON (50,000 readings, 30,000 visits) parses every document on
 * every query; with typed columns the database answers from its indexes.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Fields } from '../shared/merge.ts';
import { RECORD_TYPES, RECORDS, withDefaults, type RecordType } from '../shared/registry.ts';
import type { ReportTable, ReportTables } from '../shared/report-facts.ts';
import type { Db, Schema } from './db.ts';

type Tx = Transaction<Schema> | Kysely<Schema>;
type FactRow = ReportTables[ReportTable];

/** The record types that have a report table. */
const REPORTED = RECORD_TYPES.filter((t) => RECORDS[t].report !== null);

/** The report row of a record, or null for a type without one (or a row too partial to count). */
export function factOf<T extends RecordType>(
  type: T,
  rowId: string,
  teamId: string,
  fields: Fields,
): { table: ReportTable; row: FactRow } | null {
  const report = RECORDS[type].report;
  if (!report) return null;
  const row = report.fact(withDefaults(type, fields), rowId, teamId);
  return row ? { table: report.table, row } : null;
}

const CHUNK = 200;

/** Upserts the report rows of changed records (inside the push's transaction). */
export async function writeFacts(
  trx: Tx,
  rows: readonly { type: RecordType; rowId: string; teamId: string; fields: Fields }[],
): Promise<void> {
  const byTable = new Map<ReportTable, FactRow[]>();
  for (const r of rows) {
    const fact = factOf(r.type, r.rowId, r.teamId, r.fields);
    if (!fact) continue;
    const list = byTable.get(fact.table);
    if (list) list.push(fact.row);
    else byTable.set(fact.table, [fact.row]);
  }
  for (const [table, list] of byTable) {
    const columns = Object.keys(list[0]!).filter((c) => c !== 'row_id');
    for (let i = 0; i < list.length; i += CHUNK) {
      await trx
        .insertInto(table)
        .values(list.slice(i, i + CHUNK) as never[])
        .onConflict((oc) =>
          oc.column('row_id').doUpdateSet((eb) => Object.fromEntries(columns.map((c) => [c, eb.ref(`excluded.${c}` as never)])) as never),
        )
        .execute();
    }
  }
}

/** The report tables that name a household: their rows count for the household a merged one went into. */
const BY_HOUSEHOLD = ['visit_fact', 'need_fact', 'health_fact'] as const;

/**
 * Households merged into others (a second registration of one dwelling): the merge is kept
 * (`household_merge`, chains followed to their end), and every report row of the merged
 * household — those already written and those of records that arrive later from a phone
 * that was offline during the merge — counts for the household it went into. The records
 * themselves stay as recorded.
 */
export async function redirectMerged(
  trx: Tx,
  merges: readonly { from: string; into: string; teamId: string }[],
  teamIds: readonly string[],
): Promise<void> {
  for (const m of merges) {
    await trx
      .insertInto('household_merge')
      .values({ from_id: m.from, into_id: m.into, team_id: m.teamId })
      .onConflict((oc) => oc.column('from_id').doUpdateSet({ into_id: m.into }))
      .execute();
    // a household merged earlier into this one now ends where this one does
    await trx.updateTable('household_merge').set({ into_id: m.into }).where('into_id', '=', m.from).execute();
  }
  if (teamIds.length === 0) return;
  const any = await trx.selectFrom('household_merge').select('from_id').where('team_id', 'in', teamIds).limit(1).executeTakeFirst();
  if (!any) return;
  for (const table of BY_HOUSEHOLD) {
    await sql`update ${sql.table(table)} set household_id = m.into_id from household_merge m
      where m.team_id in (${sql.join(teamIds)}) and ${sql.ref(`${table}.team_id`)} = m.team_id and ${sql.ref(`${table}.household_id`)} = m.from_id`.execute(
      trx,
    );
  }
}

/** Rebuilds every report row from the records (after a restore, or a change to what is reported). */
export async function rebuildFacts(db: Db): Promise<number> {
  let n = 0;
  await db.transaction().execute(async (trx) => {
    for (const type of REPORTED) await trx.deleteFrom(RECORDS[type].report!.table).execute();
    let last = '';
    for (;;) {
      const page = await trx
        .selectFrom('record')
        .select(['row_id', 'type', 'team_id', 'fields'])
        .where('type', 'in', REPORTED)
        .where('row_id', '>', last)
        .orderBy('row_id')
        .limit(1000)
        .execute();
      if (page.length === 0) break;
      const known = page.flatMap((r) =>
        isReported(r.type) ? [{ type: r.type, rowId: r.row_id, teamId: r.team_id, fields: JSON.parse(r.fields) as Fields }] : [],
      );
      await writeFacts(trx, known);
      n += page.length;
      last = page.at(-1)!.row_id;
    }
    const teams = await trx.selectFrom('household_merge').select('team_id').distinct().execute();
    await redirectMerged(
      trx,
      [],
      teams.map((t) => t.team_id),
    );
  });
  return n;
}

function isReported(t: string): t is RecordType {
  return (REPORTED as readonly string[]).includes(t);
}
