/**
 * Rollups: what a household's and a resident's rows on this phone know of their children —
 * the last visit where someone was met (and so the day the next one is due), the time and
 * verdict of the latest health check. Local and derived, never synced: refreshed inside the
 * same transaction as every write or pull that touches a visit, a check or their parent, so
 * that the due list and the health list are index look-ups even with a year of a team's data.
 */
import { Dexie } from 'dexie';
import type { RecordType } from '../shared/record-defaults.ts';
import type { LinliDb } from './db.ts';
import { withDefaults } from '../shared/record-defaults.ts';
import { routineDueOn } from '../shared/due.ts';

/** The tables a transaction that writes `types` must also hold to refresh their rollups. */
export function rollupTablesFor(types: ReadonlySet<RecordType>): RecordType[] {
  const out: RecordType[] = [];
  if (types.has('visit') || types.has('household')) out.push('household', 'visit');
  if (types.has('healthCheck') || types.has('resident')) out.push('resident', 'healthCheck');
  return out;
}

/** How many merges deep a chain of households is followed (A into B, B into C, …). */
const MERGE_DEPTH = 5;

/** A household and those merged into it, however many steps back (A into B into C: C's are [C, B, A]). */
export async function householdIds(db: LinliDb, id: string): Promise<string[]> {
  const ids = [id];
  let level = [id];
  for (let depth = 0; depth < MERGE_DEPTH && level.length > 0; depth++) {
    level = (await db.household.where('mergedInto').anyOf(level).primaryKeys()).filter((h) => !ids.includes(h));
    ids.push(...level);
  }
  return ids;
}

/** Where a merged household's records now belong: the end of its merge chain (itself when not merged). */
export async function mergedEnd(db: LinliDb, id: string): Promise<string> {
  let at = id;
  for (let depth = 0; depth < MERGE_DEPTH; depth++) {
    const into = (await db.household.get(at))?.mergedInto;
    if (!into || into === id) break;
    at = into;
  }
  return at;
}

async function lastMetAt(db: LinliDb, householdId: string): Promise<string | null> {
  let found: string | null = null;
  await db.visit
    .where('[householdId+at]')
    .between([householdId, Dexie.minKey], [householdId, Dexie.maxKey])
    .reverse()
    .until(() => found !== null)
    .each((v) => {
      if (v.outcome === 'met' && v.deleted !== true && typeof v.at === 'string') found = v.at;
    });
  return found;
}

async function latestCheck(db: LinliDb, residentId: string): Promise<{ at: string; level: string } | null> {
  let found: { at: string; level: string } | null = null;
  await db.healthCheck
    .where('[residentId+at]')
    .between([residentId, Dexie.minKey], [residentId, Dexie.maxKey])
    .reverse()
    .until(() => found !== null)
    .each((c) => {
      if (c.deleted !== true && typeof c.at === 'string') found = { at: c.at, level: c.level ?? 'normal' };
    });
  return found;
}

/** Recomputes the rollups of the parents of these rows. Call inside a transaction holding `rollupTablesFor`. */
export async function refreshRollups(db: LinliDb, changed: readonly { type: RecordType; rowId: string }[]): Promise<void> {
  const households = new Set<string>();
  const residents = new Set<string>();
  const visitIds: string[] = [];
  const checkIds: string[] = [];
  for (const c of changed) {
    if (c.type === 'household') households.add(c.rowId);
    else if (c.type === 'resident') residents.add(c.rowId);
    else if (c.type === 'visit') visitIds.push(c.rowId);
    else if (c.type === 'healthCheck') checkIds.push(c.rowId);
  }
  // read together, not one request after another: a pull page of a register is hundreds of rows
  // (only the tables the caller's transaction holds: a type's rollup table is in it when that type changed)
  const [visits, checks] = await Promise.all([
    visitIds.length ? db.visit.bulkGet(visitIds) : [],
    checkIds.length ? db.healthCheck.bulkGet(checkIds) : [],
  ]);
  for (const v of visits) if (v?.householdId) households.add(v.householdId);
  for (const h of checks) if (h?.residentId) residents.add(h.residentId);
  // a visit at a household merged into another counts for the one it went into
  for (const id of await Promise.all([...households].map((id) => mergedEnd(db, id)))) households.add(id);
  await Promise.all(
    [...households].map(async (id) => {
      const row = await db.household.get(id);
      if (!row) return;
      const met = (await Promise.all((await householdIds(db, id)).map((h) => lastMetAt(db, h)))).reduce<string | null>(
        (a, b) => (b !== null && (a === null || b > a) ? b : a),
        null,
      );
      const due = routineDueOn(withDefaults('household', row), met);
      if (row.$lastMetAt !== met || row.$dueOn !== due) await db.household.update(id, { $lastMetAt: met, $dueOn: due });
    }),
  );
  await Promise.all(
    [...residents].map(async (id) => {
      const row = await db.resident.get(id);
      if (!row) return;
      const latest = await latestCheck(db, id);
      const at = latest?.at ?? null;
      const level = latest?.level ?? null;
      if (row.$lastCheckAt !== at || row.$lastLevel !== level) await db.resident.update(id, { $lastCheckAt: at, $lastLevel: level });
    }),
  );
}
