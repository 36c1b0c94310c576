/**
 * Runs the flush once at a time per origin — across the service worker and every tab —
 * under a Web Lock, and announces progress and results on a BroadcastChannel that the pages
 * listen to. Where Web Locks are missing, a module-level flag still keeps one flush per
 * context.
 */
import { localDb } from '../db.ts';
import { FLUSH_LOCK, SYNC_CHANNEL, type SyncMessage } from './channel.ts';
import { flush, type FlushResult } from './flush.ts';

export { SYNC_TAG } from './channel.ts';

let running: Promise<FlushResult | null> | null = null;

export interface RunOptions {
  appVersion: string;
  locale?: string;
  fetch?: typeof fetch;
}

function post(channel: BroadcastChannel | null, msg: SyncMessage) {
  try {
    channel?.postMessage(msg);
  } catch {
    // a closed channel must never break a flush
  }
}

/** Returns null when another context holds the lock (its own results reach the channel). */
export function runFlush(opts: RunOptions): Promise<FlushResult | null> {
  if (running) return running;
  const channel = typeof BroadcastChannel !== 'undefined' ? new BroadcastChannel(SYNC_CHANNEL) : null;
  const work = async (): Promise<FlushResult> => {
    post(channel, { kind: 'start' });
    const result = await flush({
      db: localDb(),
      fetch: opts.fetch ?? ((input, init) => fetch(input, init)),
      appVersion: opts.appVersion,
      ...(opts.locale ? { locale: opts.locale } : {}),
      onProgress: (progress) => post(channel, { kind: 'progress', progress }),
    }).catch((e: unknown): FlushResult => {
      console.error('flush failed', e);
      return { outcome: 'error', pushed: 0, rejected: 0, deferred: 0, pulled: 0, requests: 0 };
    });
    post(channel, { kind: 'done', result });
    return result;
  };
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  const attempt: Promise<FlushResult | null> = locks
    ? (locks.request(FLUSH_LOCK, { ifAvailable: true }, async (lock) => {
        if (!lock) {
          post(channel, { kind: 'busy' });
          return null;
        }
        return work();
      }) as unknown as Promise<FlushResult | null>)
    : work();
  const current = attempt.finally(() => {
    running = null;
    channel?.close();
  });
  running = current;
  return current;
}
