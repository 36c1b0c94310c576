/**
 * Where each row stands, for the "saved on this phone" / "received by the server" badge:
 * pending while any of its changes waits in the outbox, failed when the server refused one,
 * synced otherwise — known from the server's acknowledgements, never from the network state.
 */
import type { LinliDb } from './db.ts';

export type RowSync = 'pending' | 'synced' | 'failed';

export async function rowSyncStates(db: LinliDb, rowIds: readonly string[]): Promise<Map<string, RowSync>> {
  const states = new Map<string, RowSync>();
  if (rowIds.length === 0) return states;
  // Index keys only, no records: the outbox and the refused list are short, a list may be long.
  const [pending, failed] = await Promise.all([db.outbox.orderBy('rowId').uniqueKeys(), db.failed.orderBy('rowId').uniqueKeys()]);
  const pendingRows = new Set(pending as string[]);
  const failedRows = new Set(failed as string[]);
  for (const id of rowIds) states.set(id, failedRows.has(id) ? 'failed' : pendingRows.has(id) ? 'pending' : 'synced');
  return states;
}

export async function rowSync(db: LinliDb, rowId: string): Promise<RowSync> {
  return (await rowSyncStates(db, [rowId])).get(rowId) ?? 'synced';
}

export function isLive<T extends { deleted?: boolean | undefined }>(row: T): boolean {
  return row.deleted !== true;
}
