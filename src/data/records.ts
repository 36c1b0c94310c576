/**
 * The only way a record is written on the device: one Dexie transaction that merges the
 * change into the row and appends the same change to the outbox. And the way pulled changes
 * come in: the same merge, so device and server agree on every conflict.
 */
import { uuidv7 } from 'uuidv7';
import { mergeRows, mutationRow, rowChanged, type RowState } from '../shared/merge.ts';
import type { Change } from '../shared/protocol.ts';
import { isRecordType, type RecordOf, type RecordType } from '../shared/records.ts';
import { clockInputs, observeHlc, stampNext } from './clock.ts';
import type { LinliDb, LocalRow, OutboxEntry } from './db.ts';
import { isClosedError, toStorageError } from './storage-error.ts';

export function newId(): string {
  return uuidv7();
}

export function rowState(row: { $clocks: RowState['clocks'] } | undefined): RowState {
  if (!row) return { fields: {}, clocks: {} };
  const { $clocks, ...fields } = row;
  return { fields, clocks: $clocks };
}

export function toLocalRow<T extends RecordType>(id: string, s: RowState): LocalRow<T> {
  return { ...(s.fields as Partial<RecordOf[T]>), id, $clocks: s.clocks } as LocalRow<T>;
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

export type Prepare<T extends RecordType> = (current: LocalRow<T> | undefined) => Promise<Record<string, unknown>> | Record<string, unknown>;

export interface WriteOptions<T extends RecordType> {
  /** The stored row, when the caller already read it in this transaction. */
  current?: LocalRow<T> | undefined;
  prepare?: Prepare<T>;
}

/**
 * Writes `fields` of one row and queues them for the server. Must run inside a read-write
 * transaction over the row's table, the outbox and meta — the caller's, so that its reads
 * and this write are one atomic step. `prepare` may add fields computed from the stored row
 * (a ticket's number). Returns the row as stored.
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
  const [current, clock] = await Promise.all(['current' in opts ? opts.current : table.get(rowId), clockInputs(db)]);
  const all = opts.prepare ? { ...fields, ...(await opts.prepare(current)) } : fields;
  const { hlc, writes } = stampNext(db, clock);
  const stored = toLocalRow<T>(rowId, mergeRows(rowState(current), mutationRow(all, hlc)));
  const entry: OutboxEntry = { id: newId(), type, rowId, hlc, fields: all, createdAt: Date.now() };
  await Promise.all([table.put(stored), db.outbox.add(entry), ...writes]);
  return stored;
}

/** `writeInTransaction` in a transaction of its own. */
export function writeRecord<T extends RecordType>(
  db: LinliDb,
  type: T,
  rowId: string,
  fields: Record<string, unknown>,
  prepare?: Prepare<T>,
): Promise<LocalRow<T>> {
  return withStore(db, () => db.transaction('rw', [db.recordTable(type), db.outbox, db.meta], async () => writeInTransaction(db, type, rowId, fields, { ...(prepare ? { prepare } : {}) })));
}

/** Merges pulled changes into the local rows, in one transaction per page. */
export async function applyChanges(db: LinliDb, changes: Change[]): Promise<void> {
  const known = changes.filter((c) => isRecordType(c.type));
  if (known.length === 0) return;
  const tables = [...new Set(known.map((c) => c.type as RecordType))].map((t) => db.recordTable(t));
  await withStore(db, () =>
    db.transaction('rw', [...tables, db.meta], async () => {
      let newest = '';
      for (const change of known) {
        const table = db.recordTable(change.type as RecordType);
        const current = await table.get(change.rowId);
        const before = rowState(current);
        const merged = mergeRows(before, { fields: change.fields, clocks: change.clocks });
        // Our own changes come back in the pull; rewriting them unchanged would only wake
        // every live query on screen.
        if (!current || rowChanged(before, merged)) await table.put(toLocalRow(change.rowId, merged));
        for (const c of Object.values(change.clocks)) if (c > newest) newest = c;
      }
      if (newest) await observeHlc(db, newest);
    }),
  );
}
