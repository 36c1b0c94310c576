/**
 * The only way a record is written on the device: one Dexie transaction that merges the
 * change into the row and appends the same change to the outbox. And the way pulled changes
 * come in: the same merge, so device and server agree on every conflict.
 */
import { uuidv7 } from 'uuidv7';
import { mergeRows, mutationRow, rowChanged, unpackClocks, type RowState } from '../shared/merge.ts';
import type { Change } from '../shared/protocol.ts';
import { addressKey, dwellingKey, householdTerms, phoneDigits, residentTerms } from '../shared/address.ts';
import { routineDueOn } from '../shared/due.ts';
import { isRecordType, withDefaults } from '../shared/record-defaults.ts';
import type { RecordOf, RecordType } from '../shared/record-defaults.ts';
import { clockInputs, observeHlc, stampNext, type ClockInputs } from './clock.ts';
import type { LinliDb, LocalRow, OutboxEntry } from './db.ts';
import { refreshRollups, rollupTablesFor } from './rollups.ts';
import { isClosedError, toStorageError } from './storage-error.ts';

export function newId(): string {
  return uuidv7();
}

/** A stored row's synced fields: without `$clocks` and the local-only `$` fields derived from them. */
export function localFields(row: object): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) if (!k.startsWith('$')) fields[k] = v;
  return fields;
}

export function rowState(row: { $clocks: RowState['clocks'] } | undefined): RowState {
  if (!row) return { fields: {}, clocks: {} };
  return { fields: localFields(row), clocks: row.$clocks };
}

/**
 * Fields kept on the phone only, recomputed from the synced ones on every write and every
 * pulled change, so Dexie can index them: the words a household or resident is found by,
 * the key that tells a household at the same address, and the day a household is next due.
 * Rollups from other rows (a household's last visit, a resident's last reading) are kept
 * from the previous version of the row; `rollups.ts` refreshes them.
 */
function derived(type: RecordType, f: Record<string, unknown>, previous: object | undefined): Record<string, unknown> {
  if (type === 'household') {
    const h = withDefaults('household', f);
    const lastMetAt = (previous as LocalRow<'household'> | undefined)?.$lastMetAt ?? null;
    return { $terms: h.deleted ? [] : householdTerms(h), $addressKey: addressKey(h), $dwellingKey: dwellingKey(h), $lastMetAt: lastMetAt, $dueOn: routineDueOn(h, lastMetAt) };
  }
  if (type === 'resident') {
    const r = withDefaults('resident', f);
    const prev = previous as LocalRow<'resident'> | undefined;
    return { $terms: r.deleted ? [] : residentTerms(r), $lastCheckAt: prev?.$lastCheckAt ?? null, $lastLevel: prev?.$lastLevel ?? null };
  }
  if (type === 'volunteer') return { $phone: phoneDigits(String(f.phone ?? '')) };
  return {};
}

export function toLocalRow<T extends RecordType>(type: T, id: string, s: RowState, previous?: object): LocalRow<T> {
  return { ...(s.fields as Partial<RecordOf[T]>), ...derived(type, s.fields, previous), id, $clocks: s.clocks } as LocalRow<T>;
}

/** Reopens a lost connection once before giving up, and names a full disk as such. */
export async function withStore<T>(db: LinliDb, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (isClosedError(e)) {
      try {
        if (!db.isOpen()) await db.open();
        return await work();
      } catch (again) {
        throw toStorageError(again);
      }
    }
    throw toStorageError(e);
  }
}

export interface WriteOptions<T extends RecordType> {
  /** The stored row, when the caller already read it in this transaction. */
  current?: LocalRow<T> | undefined;
  /** The clock, when the caller already read it in this transaction (for its first write only). */
  clock?: ClockInputs;
}

/**
 * Writes `fields` of one row and queues them for the server. Must run inside a read-write
 * transaction over the row's table, the outbox and meta — the caller's, so that its reads
 * and this write are one atomic step. Returns the row as stored.
 *
 * Requests are issued together where they do not depend on each other: on a cheap phone
 * every IndexedDB round trip is felt, and one transaction runs them all anyway.
 */
export async function writeInTransaction<T extends RecordType>(
  db: LinliDb,
  type: T,
  rowId: string,
  fields: Record<string, unknown>,
  opts: WriteOptions<T> = {},
): Promise<LocalRow<T>> {
  const table = db.recordTable(type);
  const [current, clock] = await Promise.all(['current' in opts ? opts.current : table.get(rowId), opts.clock ?? clockInputs(db)]);
  const { hlc, writes } = stampNext(db, clock);
  const stored = toLocalRow(type, rowId, mergeRows(rowState(current), mutationRow(fields, hlc)), current);
  const entry: OutboxEntry = { id: newId(), type, rowId, hlc, fields, createdAt: Date.now() };
  await Promise.all([table.put(stored), db.outbox.add(entry), ...writes]);
  return stored;
}

/** Merges pulled changes into the local rows, in one transaction per page. */
export async function applyChanges(db: LinliDb, changes: Change[]): Promise<void> {
  const known = changes.filter((c): c is Change & { type: RecordType } => isRecordType(c.type));
  if (known.length === 0) return;
  const types = new Set(known.map((c) => c.type));
  for (const t of rollupTablesFor(types)) types.add(t);
  const tables = [...types].map((t) => db.recordTable(t));
  await withStore(db, () =>
    db.transaction('rw', [...tables, db.meta], async () => {
      let newest = '';
      // a page names each row once (the server's sequence holds one place per row), so each
      // type's rows are read together and written together: a page costs a few requests to
      // the store, not two per row — the first sync of a street's register is mostly this
      const byType = new Map<RecordType, (Change & { type: RecordType })[]>();
      for (const c of known) byType.set(c.type, [...(byType.get(c.type) ?? []), c]);
      await Promise.all(
        [...byType].map(async ([type, list]) => {
          const table = db.recordTable(type);
          const current = await table.bulkGet(list.map((c) => c.rowId));
          const writes: LocalRow<RecordType>[] = [];
          list.forEach((change, i) => {
            const row = current[i];
            const before = rowState(row);
            const merged = mergeRows(before, { fields: change.fields, clocks: unpackClocks(change.fields, change.clocks) });
            // Our own changes come back in the pull; rewriting them unchanged would only wake
            // every live query on screen.
            if (!row || rowChanged(before, merged)) writes.push(toLocalRow(change.type, change.rowId, merged, row));
            for (const c of Object.values(change.clocks)) if (c > newest) newest = c;
          });
          if (writes.length > 0) await table.bulkPut(writes as never[]);
        }),
      );
      if (newest) await observeHlc(db, newest);
      await refreshRollups(db, known.map((c) => ({ type: c.type, rowId: c.rowId })));
    }),
  );
}
