/**
 * The flush: hands the outbox to the server and brings the team's changes back
 * (ARCHITECTURE.md, "The service-worker queue"). It runs in the service worker, or in the
 * page where there is none, always under one Web Lock so only one flush runs per origin.
 *
 * 1. push the outbox oldest first, in batches of at most PUSH_BATCH_MUTATIONS (sized by how long
 *    the server holds each: nextPushBatch) or PUSH_BATCH_BYTES;
 * 2. per response, in one transaction: drop acked entries, move refused ones to `failed`
 *    (except clock_skew: correct the clock, re-stamp, push again), advance the HLC;
 * 3. pull until `more` is false, merging each page in one transaction with its cursor;
 * 4. record the outcome. 401 stops and keeps everything; network errors, 5xx and 429 stop
 *    for a retry later. Nothing is dropped on any path.
 */
import { serverClock } from '../../shared/hlc.ts';
import {
  DEFAULT_PULL_LIMIT,
  PULL_PACKED_CLOCKS,
  PUSH_BATCH_BYTES,
  PUSH_BATCH_FIRST,
  SCHEMA_VERSION,
  nextPushBatch,
  pushServerMs,
  type ErrorBody,
  type PullResponse,
  type PushResponse,
} from '../../shared/protocol.ts';
import { correctClock, deviceId, nextHlc, observeHlc } from '../clock.ts';
import type { FailedEntry, LinliDb, OutboxEntry, SyncOutcome } from '../db.ts';
import { RECORD_TYPES } from '../../shared/record-defaults.ts';
import { applyChanges, rowState, toLocalRow, withStore } from '../records.ts';

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface FlushProgress {
  phase: 'push' | 'pull';
  done: number;
  total: number;
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
  pulled: number;
  requests: number;
}

function recordTables(db: LinliDb) {
  return RECORD_TYPES.map((t) => db.recordTable(t));
}

/** Clock corrections allowed per flush: more means the server's own clock is moving. */
const MAX_RESTAMPS = 3;

class StopFlush extends Error {
  readonly outcome: SyncOutcome;
  constructor(outcome: SyncOutcome) {
    super(outcome);
    this.outcome = outcome;
  }
}

async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function outcomeForStatus(status: number): SyncOutcome {
  if (status === 401) return 'unauthorized';
  if (status === 426) return 'upgrade';
  return 'error';
}

/** Takes the next batch from the outbox: oldest first, bounded in count and bytes. */
async function nextBatch(db: LinliDb, max: number): Promise<OutboxEntry[]> {
  const batch: OutboxEntry[] = [];
  let bytes = 0;
  await db.outbox
    .orderBy('seq')
    // the stop entry is left for the next batch: a batch holds at most `max` (at least one)
    .until(() => batch.length >= max || bytes >= PUSH_BATCH_BYTES, false)
    .each((e) => {
    bytes += JSON.stringify(e.fields).length + 200;
    batch.push(e);
  });
  return batch;
}

export async function flush(opts: FlushOptions): Promise<FlushResult> {
  const { db } = opts;
  const base = opts.baseUrl ?? '';
  const result: FlushResult = { outcome: 'ok', pushed: 0, rejected: 0, pulled: 0, requests: 0 };
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.locale) headers['accept-language'] = opts.locale;
  const canCompress = (opts.compress ?? true) && typeof CompressionStream !== 'undefined';

  async function call(url: string, init: RequestInit): Promise<Response> {
    result.requests++;
    let res: Response;
    try {
      res = await opts.fetch(url, { credentials: 'same-origin', ...init });
    } catch {
      throw new StopFlush('offline');
    }
    if (res.status === 401 || res.status === 426 || res.status === 429 || res.status >= 500) {
      throw new StopFlush(res.status === 429 || res.status >= 500 ? 'error' : outcomeForStatus(res.status));
    }
    return res;
  }

  /**
   * The answer's JSON. A connection that dies while the body arrives (a server killed, a
   * phone walking out of range) is a lost answer like any other: what was pushed stays in
   * the outbox and goes again — the server applies each mutation once — and a page not
   * read whole moves no cursor. Bytes that are not JSON (a captive portal's page) are an
   * error, not "offline".
   */
  async function answerOf<T>(res: Response): Promise<T> {
    try {
      return (await res.json()) as T;
    } catch (e) {
      throw new StopFlush(e instanceof SyntaxError ? 'error' : 'offline');
    }
  }

  await db.setMeta('lastSync', { ...((await db.getMeta('lastSync')) ?? { at: null, outcome: null }), attemptAt: Date.now() });
  try {
    const device = await deviceId(db);
    // batches sized by how long the server holds them (protocol.ts, nextPushBatch)
    let max = opts.batchSize ?? PUSH_BATCH_FIRST;
    const total = await db.outbox.count();
    let done = 0;
    let restamps = 0;
    opts.onProgress?.({ phase: 'push', done, total });

    // 1.
    for (;;) {
      const batch = await nextBatch(db, max);
      if (batch.length === 0) break;
      const pending = (await db.outbox.count()) - batch.length;
      const body = JSON.stringify({
        deviceId: device,
        schemaVersion: SCHEMA_VERSION,
        appVersion: opts.appVersion,
        pending,
        mutations: batch.map(({ id, type, rowId, hlc, fields }) => ({ id, type, rowId, hlc, fields })),
      });
      const init: RequestInit = canCompress
        ? { method: 'POST', headers: { ...headers, 'content-encoding': 'gzip' }, body: (await gzip(body)) as BodyInit }
        : { method: 'POST', headers, body };
      const res = await call(`${base}/api/sync/push`, init);
      if (res.status === 413 && max > 1) {
        max = Math.max(1, Math.floor(max / 2));
        continue;
      }
      if (!res.ok) {
        // The whole request was refused (a 4xx other than those above). Narrow it down to
        // the one mutation the server cannot take, and set that one aside with the reason.
        if (max > 1) {
          max = Math.max(1, Math.floor(max / 2));
          continue;
        }
        const err = ((await res.json().catch(() => null)) as ErrorBody | null)?.error;
        await setAside(db, batch, err?.code ?? `http_${res.status}`, err?.message ?? `HTTP ${res.status}`);
        result.rejected += batch.length;
        continue;
      }
      const answer = await answerOf<PushResponse>(res);
      // 2.
      const progressed = await settle(db, batch, answer);
      result.pushed += progressed.acked;
      result.rejected += progressed.failed;
      done += progressed.acked + progressed.failed;
      opts.onProgress?.({ phase: 'push', done, total: Math.max(total, done) });
      if (progressed.restamped > 0 && ++restamps > MAX_RESTAMPS) throw new StopFlush('error');
      if (progressed.acked + progressed.failed + progressed.restamped === 0) throw new StopFlush('error');
      max = opts.batchSize ?? nextPushBatch(max, pushServerMs(res.headers.get('server-timing')));
    }

    // 3.
    const user = await db.getMeta('user');
    if (user) {
      // The cursor belongs to a schema version: a phone updated to know new record types
      // pulls again from the start, since its old pulls passed over rows it could not read.
      const cursorKey = `cursor:${user.teamId}:v${SCHEMA_VERSION}` as const;
      for (;;) {
        const cursor = (await db.getMeta(cursorKey)) ?? '0';
        const res = await call(`${base}/api/sync/pull?cursor=${encodeURIComponent(cursor)}&limit=${DEFAULT_PULL_LIMIT}&${PULL_PACKED_CLOCKS}`, {
          method: 'GET',
          headers,
        });
        if (!res.ok) throw new StopFlush('error');
        const page = await answerOf<PullResponse>(res);
        await withStore(db, () =>
          db.transaction('rw', [...recordTables(db), db.meta], async () => {
            await applyChanges(db, page.changes);
            await db.setMeta(cursorKey, page.cursor);
            await observeHlc(db, serverClock(page.serverTime));
          }),
        );
        result.pulled += page.changes.length;
        opts.onProgress?.({ phase: 'pull', done: result.pulled, total: result.pulled + (page.more ? 1 : 0) });
        if (!page.more) break;
      }
    }
    result.outcome = 'ok';
  } catch (e) {
    if (!(e instanceof StopFlush)) throw e;
    result.outcome = e.outcome;
  }
  // 4.
  const last = (await db.getMeta('lastSync')) ?? { at: null, outcome: null, attemptAt: null };
  await db.transaction('rw', db.meta, async () => {
    await db.setMeta('lastSync', { at: result.outcome === 'ok' ? Date.now() : last.at, outcome: result.outcome, attemptAt: Date.now() });
    if (result.outcome === 'unauthorized') await db.setMeta('authExpired', true);
  });
  return result;
}

async function setAside(db: LinliDb, entries: OutboxEntry[], code: string, message: string): Promise<void> {
  await db.transaction('rw', db.outbox, db.failed, async () => {
    for (const e of entries) {
      const failed: FailedEntry = { id: e.id, type: e.type, rowId: e.rowId, hlc: e.hlc, fields: e.fields, code, message, at: Date.now() };
      await db.failed.put(failed);
      await db.outbox.delete(e.seq!);
    }
  });
}

/** Applies one push answer to the outbox, atomically. */
async function settle(
  db: LinliDb,
  batch: OutboxEntry[],
  answer: PushResponse,
): Promise<{ acked: number; failed: number; restamped: number }> {
  const acked = new Set(answer.acked);
  const rejected = new Map(answer.rejected.map((r) => [r.id, r]));
  let failed = 0;
  let restamped = 0;
  let ackedCount = 0;
  await withStore(db, () =>
    db.transaction('rw', [db.outbox, db.failed, db.meta, ...recordTables(db)], async () => {
      failed = 0;
      restamped = 0;
      const skewed: OutboxEntry[] = [];
      ackedCount = 0;
      for (const e of batch) {
        if (acked.has(e.id)) {
          await db.outbox.delete(e.seq!);
          ackedCount++;
          continue;
        }
        const r = rejected.get(e.id);
        if (!r) continue;
        if (r.code === 'clock_skew') {
          skewed.push(e);
          continue;
        }
        await db.failed.put({ id: e.id, type: e.type, rowId: e.rowId, hlc: e.hlc, fields: e.fields, code: r.code, message: r.message, at: Date.now() });
        await db.outbox.delete(e.seq!);
        failed++;
      }
      if (skewed.length > 0) {
        await correctClock(db, answer.serverTime);
        for (const e of skewed) {
          const hlc = await nextHlc(db);
          // The row keeps the skewed clock only on fields this mutation wrote last.
          const table = db.recordTable(e.type);
          const row = await table.get(e.rowId);
          if (row) {
            const s = rowState(row);
            const clocks = { ...s.clocks };
            for (const k of Object.keys(e.fields)) if (clocks[k] === e.hlc) clocks[k] = hlc;
            await table.put(toLocalRow(e.type, e.rowId, { fields: s.fields, clocks }, row));
          }
          await db.outbox.update(e.seq!, { hlc });
          restamped++;
        }
      } else {
        await observeHlc(db, serverClock(answer.serverTime));
      }
    }),
  );
  return { acked: ackedCount, failed, restamped };
}
