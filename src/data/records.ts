/**
 * The only way a record is written on the device: one Dexie transaction that merges the
 * change into the row and appends the same change to the outbox. And the way pulled changes
 * come in: the same merge, so device and server agree on every conflict.
 */
import { uuidv7 } from 'uuidv7';
import { mergeRows, mutationRow, type RowState } from '../shared/merge.ts';
import type { Change } from '../shared/protocol.ts';
import { isRecordType, type RecordOf, type RecordType } from '../shared/records.ts';
import { nextHlc, observeHlc } from './clock.ts';
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

/**
 * Writes `fields` of one row and queues them for the server. Must run inside a read-write
 * transaction over the row's table, the outbox and meta — the caller's, so that its reads
 * and this write are one atomic step. `prepare` may add fields computed from the stored row
 * (a ticket's number). Returns the row as stored.
 */
export async function writeInTransaction<T extends RecordType>(
  db: LinliDb,
  type: T,
  rowId: string,
  fields: Record<string, unknown>,
  prepare?: Prepare<T>,
): Promise<LocalRow<T>> {
  const table = db.recordTable(type);
  const current = await table.get(rowId);
  const all = prepare ? { ...fields, ...(await prepare(current)) } : fields;
  const hlc = await nextHlc(db);
  const stored = toLocalRow<T>(rowId, mergeRows(rowState(current), mutationRow(all, hlc)));
  await table.put(stored);
  const entry: OutboxEntry = { id: newId(), type, rowId, hlc, fields: all, createdAt: Date.now() };
  await db.outbox.add(entry);
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
  return withStore(db, () => db.transaction('rw', [db.recordTable(type), db.outbox, db.meta], async () => writeInTransaction(db, type, rowId, fields, prepare)));
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
        const merged = mergeRows(rowState(current), { fields: change.fields, clocks: change.clocks });
        await table.put(toLocalRow(change.rowId, merged));
        for (const c of Object.values(change.clocks)) if (c > newest) newest = c;
      }
      if (newest) await observeHlc(db, newest);
    }),
  );
}
