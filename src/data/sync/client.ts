/**
 * The page's side of sync: what the UI shows (pending count, last sync, progress, refused
 * records) and when a flush is asked for — at start, on `online`, on becoming visible, soon
 * after a save, and on a backoff timer while anything is pending. The flush itself runs in
 * the service worker when one controls the page (Background Sync where the browser has it),
 * else here; the Web Lock in `runner.ts` keeps it to one at a time either way.
 */
import { liveQuery } from 'dexie';
import { localDb, type FailedEntry, type SyncOutcome } from '../db.ts';
import type { Observable } from '../observable.ts';
import { apiLocale } from '../session.ts';
import type { FlushProgress, FlushResult } from './flush.ts';
import { SYNC_CHANNEL, SYNC_TAG, type SyncMessage } from './channel.ts';

export const SYNC_AFTER_SAVE_MS = 1500;
export const BACKOFF_MIN_MS = 5_000;
export const BACKOFF_MAX_MS = 5 * 60_000;
/** Unsynced records older than this earn a warning. */
export const STALE_PENDING_MS = 24 * 60 * 60 * 1000;

export interface SyncStatus {
  pending: number;
  failed: number;
  oldestPendingAt: number | null;
  lastSyncAt: number | null;
  lastOutcome: SyncOutcome | null;
}

export function observeSyncStatus(): Observable<SyncStatus> {
  return liveQuery(async () => {
    const db = localDb();
    const [pending, failed, oldest, last] = await Promise.all([
      db.outbox.count(),
      db.failed.count(),
      db.outbox.orderBy('seq').first(),
      db.getMeta('lastSync'),
    ]);
    return { pending, failed, oldestPendingAt: oldest?.createdAt ?? null, lastSyncAt: last?.at ?? null, lastOutcome: last?.outcome ?? null };
  });
}

export function observeFailed(): Observable<FailedEntry[]> {
  return liveQuery(() => localDb().failed.orderBy('rowId').toArray());
}

/** The volunteer has read why a record was refused; it leaves the list (the row stays as it is). */
export async function dismissFailed(id: string): Promise<void> {
  await localDb().failed.delete(id);
}

export interface LiveProgress {
  running: boolean;
  progress: FlushProgress | null;
}

type Listener = (p: LiveProgress) => void;
const listeners = new Set<Listener>();
let live: LiveProgress = { running: false, progress: null };
function setLive(p: LiveProgress) {
  live = p;
  for (const l of listeners) l(p);
}

export function observeProgress(): Observable<LiveProgress> {
  return {
    subscribe(next) {
      listeners.add(next);
      next(live);
      return { unsubscribe: () => listeners.delete(next) };
    },
  };
}

let appVersion = 'dev';
let backoffMs = BACKOFF_MIN_MS;
let timer: ReturnType<typeof setTimeout> | undefined;
let started = false;

function schedule(ms: number) {
  clearTimeout(timer);
  timer = setTimeout(() => void requestSync('timer'), ms);
}

async function onDone({ outcome, deferred }: Pick<FlushResult, 'outcome' | 'deferred'>) {
  setLive({ running: false, progress: null });
  if (outcome === 'ok') {
    backoffMs = BACKOFF_MIN_MS;
    // Something saved while the flush ran goes out soon too; what only waits for a row the
    // server does not have yet (another phone's) is asked again later.
    const left = await localDb().outbox.count();
    if (left > deferred) schedule(SYNC_AFTER_SAVE_MS);
    else if (left > 0) schedule(BACKOFF_MAX_MS);
    return;
  }
  if (outcome === 'offline' || outcome === 'error') {
    if ((await localDb().outbox.count()) > 0 || outcome === 'error') {
      schedule(backoffMs);
      backoffMs = Math.min(BACKOFF_MAX_MS, backoffMs * 2);
    }
  }
  // unauthorized / upgrade: wait for the volunteer (sign in, update); nothing is dropped.
}

function onMessage(msg: SyncMessage) {
  if (msg.kind === 'start') setLive({ running: true, progress: null });
  else if (msg.kind === 'progress') setLive({ running: true, progress: msg.progress });
  else if (msg.kind === 'done') void onDone(msg.result);
}

export type SyncReason = 'start' | 'online' | 'visible' | 'save' | 'timer' | 'manual' | 'signin';

/** Ask for a flush. Never throws: a failed attempt just schedules the next. */
export async function requestSync(reason: SyncReason): Promise<void> {
  clearTimeout(timer);
  const sw = typeof navigator !== 'undefined' && 'serviceWorker' in navigator ? navigator.serviceWorker : undefined;
  const controller = sw?.controller;
  if (controller) {
    try {
      const reg = await sw.ready;
      const syncManager = (reg as ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }).sync;
      // Background Sync lets the browser flush after the page is gone; the message flushes now.
      if (syncManager && reason === 'save') await syncManager.register(SYNC_TAG).catch(() => undefined);
    } catch {
      // no registration: the message below still works
    }
    controller.postMessage({ type: 'flush', appVersion, locale: apiLocale() });
    // If the worker never answers (killed mid-flush), the timer asks again.
    schedule(BACKOFF_MAX_MS);
    return;
  }
  const { runFlush } = await import('./runner.ts');
  const result = await runFlush({ appVersion, locale: apiLocale() });
  if (result === null) schedule(backoffMs);
}

let saveTimer: ReturnType<typeof setTimeout> | undefined;
/** After a save: soon, and once for a burst of saves. */
export function syncSoon(): void {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => void requestSync('save'), SYNC_AFTER_SAVE_MS);
}

/** Wires the triggers; called once by the app at start. */
export function startSync(version: string): void {
  if (started) return;
  started = true;
  appVersion = version;
  if (typeof BroadcastChannel !== 'undefined') {
    const channel = new BroadcastChannel(SYNC_CHANNEL);
    channel.onmessage = (e: MessageEvent<SyncMessage>) => onMessage(e.data);
  }
  window.addEventListener('online', () => void requestSync('online'));
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void requestSync('visible');
  });
  void requestSync('start');
}
