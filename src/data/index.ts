/**
 * The one door from the UI to data: everything `src/app` may call. Storage, sync internals
 * and the database stay behind it (an ESLint rule forbids the UI importing them).
 */
export type { Observable } from './observable.ts';
export type { FailedEntry, SyncOutcome } from './db.ts';
export { StorageError, type StorageErrorCode } from './storage-error.ts';
export { newId } from './records.ts';
export {
  observeEvent,
  observeEvents,
  observeTicket,
  observeTickets,
  type EventListItem,
  type FieldErrors,
  type RowSync,
  type SaveResult,
  type TicketListItem,
} from './repair.ts';
export { saveRepairEvent, saveRepairTicket, type EventDraft, type TicketDraft } from './repair-write.ts';
export {
  ApiCallError,
  observeSession,
  refreshSession,
  setApiLocale,
  setupFirstTeam,
  setupNeeded,
  signIn,
  signOut,
  type SessionState,
  type SignedInUser,
} from './session.ts';
export {
  dismissFailed,
  observeFailed,
  observeProgress,
  observeSyncStatus,
  requestSync,
  startSync,
  syncSoon,
  STALE_PENDING_MS,
  type LiveProgress,
  type SyncStatus,
} from './sync/client.ts';
export { ensurePersistence, storageReport, type Persistence, type StorageReport } from './storage.ts';
