/**
 * The flush: hands the outbox to the server and brings the team's changes back
 * (docs/ARCHITECTURE.md, "The service-worker queue"). It runs in the service worker, or in
 * the page where there is none, always under one Web Lock so only one flush runs per origin.
 *
 * 1. push the outbox (push.ts);
 * 2. pull the team's changes until there are no more (pull.ts);
 * 3. record the outcome. 401 stops and keeps everything; network errors, 5xx and 429 stop
 *    for a retry later (link.ts). Nothing is dropped on any path.
 */
import type { LinliDb, SyncOutcome } from '../db.ts';
import { Link, StopFlush, type Fetch } from './link.ts';
import { pullTeam } from './pull.ts';
import { pushOutbox } from './push.ts';

export type { Fetch };

export interface FlushProgress {
  phase: 'push' | 'pull';
  done: number;
  total: number;
  /** When this phase began (ms since the epoch): with done and total, the time left. */
  startedAt: number;
}

export interface FlushOptions {
  db: LinliDb;
  fetch: Fetch;
  /** Prefix of the API, '' in the browser (same origin); a full origin in Node tests. */
  baseUrl?: string;
  appVersion?: string;
  locale?: string;
  onProgress?: (p: FlushProgress) => void;
  /** Compress request bodies where the platform can (CompressionStream). */
  compress?: boolean;
  batchSize?: number;
}

export interface FlushResult {
  outcome: SyncOutcome;
  pushed: number;
  rejected: number;
  /** Kept in the outbox: waiting for a row the server does not have yet. */
  deferred: number;
  pulled: number;
  requests: number;
}

export async function flush(opts: FlushOptions): Promise<FlushResult> {
  const { db } = opts;
  const link = new Link(opts);
  const result: FlushResult = { outcome: 'ok', pushed: 0, rejected: 0, deferred: 0, pulled: 0, requests: 0 };
  await db.setMeta('lastSync', { ...((await db.getMeta('lastSync')) ?? { at: null, outcome: null }), attemptAt: Date.now() });
  const pushStarted = Date.now();
  try {
    // 1.
    await pushOutbox(
      {
        db,
        link,
        appVersion: opts.appVersion,
        compress: opts.compress,
        batchSize: opts.batchSize,
        onProgress: (done, total) => opts.onProgress?.({ phase: 'push', done, total, startedAt: pushStarted }),
      },
      result,
    );
    // 2.
    const pullStarted = Date.now();
    result.pulled = await pullTeam({
      db,
      link,
      // the server says how many changes remain after each page (an older one only whether any do)
      onProgress: (pulled, more, remaining) =>
        opts.onProgress?.({ phase: 'pull', done: pulled, total: pulled + (remaining ?? (more ? 1 : 0)), startedAt: pullStarted }),
    });
  } catch (e) {
    if (!(e instanceof StopFlush)) throw e;
    result.outcome = e.outcome;
  }
  result.requests = link.requests;
  // 3.
  const last = (await db.getMeta('lastSync')) ?? { at: null, outcome: null, attemptAt: null };
  await db.transaction('rw', db.meta, async () => {
    await db.setMeta('lastSync', { at: result.outcome === 'ok' ? Date.now() : last.at, outcome: result.outcome, attemptAt: Date.now() });
    if (result.outcome === 'unauthorized') await db.setMeta('authExpired', true);
  });
  return result;
}
