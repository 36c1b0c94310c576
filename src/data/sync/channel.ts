/** Names shared by the pages and the service worker for sync, kept apart so the page need not load the flush. */
import type { FlushProgress, FlushResult } from './flush.ts';

export const SYNC_CHANNEL = 'linli-sync';
export const FLUSH_LOCK = 'linli-flush';
export const SYNC_TAG = 'linli-flush';

export type SyncMessage =
  | { kind: 'start' }
  | { kind: 'progress'; progress: FlushProgress }
  | { kind: 'done'; result: FlushResult }
  | { kind: 'busy' };
