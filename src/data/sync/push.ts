/**
 * The flush's first half: the outbox handed to the server, oldest first, in batches of at
 * most PUSH_BATCH_MUTATIONS (sized by how long the server held the last: nextPushBatch) or
 * PUSH_BATCH_BYTES, gzip-compressed where the platform can. Per answer, in one transaction:
 * acknowledged entries leave the outbox, refused ones move to `failed` with the reason — a
 * clock the server found too far ahead is corrected, re-stamped and pushed again — and the
 * clock moves past the server's.
 */
import { decodeHlc, encodeHlc, serverClock } from '../../shared/hlc.ts';
import { isRecordType, RECORD_TYPES } from '../../shared/record-defaults.ts';
import {
  MAX_HELD_LISTED,
  nextPushBatch,
  PUSH_BATCH_BYTES,
  PUSH_BATCH_FIRST,
  pushServerMs,
  SCHEMA_VERSION,
  type ErrorBody,
  type HeldRecord,
  type PushResponse,
} from '../../shared/protocol.ts';
import { alignClock, correctClock, deviceId, nextHlc, observeHlc } from '../clock.ts';
import type { FailedEntry, LinliDb, OutboxEntry } from '../db.ts';
import { rowState, toLocalRow, withStore } from '../records.ts';
import { refreshRollups } from '../rollups.ts';
import { StopFlush, type Link } from './link.ts';

export interface PushOptions {
  db: LinliDb;
  link: Link;
  appVersion?: string | undefined;
  /** Compress request bodies where the platform can (CompressionStream). */
  compress?: boolean | undefined;
  /** A fixed batch size instead of the server-timed one (tests, benchmarks). */
  batchSize?: number | undefined;
  onProgress?: ((done: number, total: number) => void) | undefined;
}

export interface PushResult {
  pushed: number;
  rejected: number;
  /** Still in the outbox, waiting for a row the server does not have yet (`deferred`). */
  deferred: number;
}

/** Clock corrections allowed per flush: more means the server's own clock is moving. */
const MAX_RESTAMPS = 3;

async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Takes the next batch from the outbox: oldest first, bounded in count and bytes, passing over what waits. */
async function nextBatch(db: LinliDb, max: number, waiting: ReadonlySet<number>): Promise<OutboxEntry[]> {
  const batch: OutboxEntry[] = [];
  let bytes = 0;
  await db.outbox
    .orderBy('seq')
    // the stop entry is left for the next batch: a batch holds at most `max` (at least one)
    .until(() => batch.length >= max || bytes >= PUSH_BATCH_BYTES, false)
    .each((e) => {
      if (waiting.has(e.seq!)) return;
      bytes += JSON.stringify(e.fields).length + 200;
      batch.push(e);
    });
  return batch;
}

/**
 * The outbox until it is empty (or the server says stop: StopFlush). `result` is counted into
 * as the batches are answered, so a flush that stops still knows what went. A change the
 * server defers (it points at a row not there yet) is passed over for the rest of the push,
 * then sent once more if anything went after it — its row may have been among them — and
 * otherwise kept for the next flush: never refused for good, never dropped.
 */
export async function pushOutbox(opts: PushOptions, result: PushResult = { pushed: 0, rejected: 0, deferred: 0 }): Promise<PushResult> {
  const { db, link } = opts;
  const canCompress = (opts.compress ?? true) && typeof CompressionStream !== 'undefined';
  const device = await deviceId(db);
  let max = opts.batchSize ?? PUSH_BATCH_FIRST;
  const total = await db.outbox.count();
  let done = 0;
  let restamps = 0;
  const waiting = new Set<number>();
  let wentSinceWaiting = false;
  let lastTry = false;
  opts.onProgress?.(done, total);
  for (;;) {
    const batch = await nextBatch(db, max, waiting);
    if (batch.length === 0) {
      if (waiting.size > 0 && wentSinceWaiting && !lastTry) {
        [lastTry, wentSinceWaiting] = [true, false];
        waiting.clear();
        continue;
      }
      result.deferred = waiting.size;
      return result;
    }
    const sentAt = Date.now();
    const pending = (await db.outbox.count()) - batch.length;
    const body = JSON.stringify({
      deviceId: device,
      schemaVersion: SCHEMA_VERSION,
      appVersion: opts.appVersion,
      pending,
      // the list is only read when something is left (the usual last batch leaves nothing)
      held: pending > 0 ? await heldBeyond(db, batch) : [],
      mutations: batch.map(({ id, type, rowId, hlc, fields }) => ({ id, type, rowId, hlc, fields })),
    });
    const init: RequestInit = canCompress
      ? { method: 'POST', headers: { ...link.headers, 'content-encoding': 'gzip' }, body: (await gzip(body)) as BodyInit }
      : { method: 'POST', headers: link.headers, body };
    const res = await link.call('/api/sync/push', init);
    if (!res.ok) {
      // The whole request was refused (a 4xx other than those that stop the flush). Narrow
      // it down to the one mutation the server cannot take, and set that one aside with the
      // reason — unless the server is only older than this app: that passes with its update.
      if (max > 1) {
        max = Math.max(1, Math.floor(max / 2));
        continue;
      }
      const err = ((await res.json().catch(() => null)) as ErrorBody | null)?.error;
      if (err?.code === 'server_outdated') throw new StopFlush('error');
      await setAside(db, batch, err?.code ?? `http_${res.status}`, err?.message ?? `HTTP ${res.status}`);
      result.rejected += batch.length;
      continue;
    }
    const answer = await link.json<PushResponse>(res);
    const progressed = await settle(db, batch, answer, { sentAt, receivedAt: Date.now() });
    for (const e of batch) if (answer.deferred?.includes(e.id)) waiting.add(e.seq!);
    if (progressed.acked > 0 && waiting.size > 0) wentSinceWaiting = true;
    result.pushed += progressed.acked;
    result.rejected += progressed.failed;
    done += progressed.acked + progressed.failed;
    opts.onProgress?.(done, Math.max(total, done));
    if (progressed.restamped > 0 && ++restamps > MAX_RESTAMPS) throw new StopFlush('error');
    // an answer that took, refused, re-stamped or deferred nothing is not an answer to this batch
    if (progressed.acked + progressed.failed + progressed.restamped + (answer.deferred?.length ?? 0) === 0) throw new StopFlush('error');
    max = opts.batchSize ?? nextPushBatch(max, pushServerMs(res.headers.get('server-timing')));
  }
}

/**
 * The records still in the outbox besides this batch, as the coordinator's hand-in check
 * lists them: each row once, by what a person calls it — a ticket's number, a household's
 * address, or the household a visit, need or check is of.
 */
async function heldBeyond(db: LinliDb, batch: readonly OutboxEntry[]): Promise<HeldRecord[]> {
  const sent = new Set(batch.map((e) => e.seq));
  const rows = new Map<string, OutboxEntry>();
  await db.outbox
    .orderBy('seq')
    .until(() => rows.size >= MAX_HELD_LISTED)
    .each((e) => {
      if (!sent.has(e.seq) && !rows.has(e.rowId)) rows.set(e.rowId, e);
    });
  return Promise.all([...rows.values()].map(async (e) => ({ type: e.type, label: await heldLabel(db, e), savedAt: e.createdAt })));
}

async function heldLabel(db: LinliDb, e: OutboxEntry): Promise<string> {
  const row = (await db.recordTable(e.type).get(e.rowId)) as Record<string, unknown> | undefined;
  if (!row) return '';
  if (e.type === 'repairTicket') return String(row.number ?? '');
  const place = async (id: unknown) => {
    const h = typeof id === 'string' ? await db.household.get(id) : undefined;
    return h ? [h.compound, [h.building, h.unit, h.room].filter(Boolean).join('-'), h.headName].filter(Boolean).join(' ') : '';
  };
  if (e.type === 'household') return place(e.rowId);
  if (e.type === 'repairEvent') return String(row.title ?? row.date ?? '');
  return place(row.householdId);
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

/** Applies one push answer to the outbox, atomically, and sets the clock by the server's. */
async function settle(
  db: LinliDb,
  batch: OutboxEntry[],
  answer: PushResponse,
  timing: { sentAt: number; receivedAt: number },
): Promise<{ acked: number; failed: number; restamped: number }> {
  const acked = new Set(answer.acked);
  const rejected = new Map(answer.rejected.map((r) => [r.id, r]));
  const counts = { acked: 0, failed: 0, restamped: 0 };
  await withStore(db, () =>
    db.transaction('rw', [db.outbox, db.failed, db.meta, ...RECORD_TYPES.map((t) => db.recordTable(t))], async () => {
      Object.assign(counts, { acked: 0, failed: 0, restamped: 0 });
      const skewed: OutboxEntry[] = [];
      for (const e of batch) {
        if (acked.has(e.id)) {
          await db.outbox.delete(e.seq!);
          counts.acked++;
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
        if (r.row) await showServerRow(db, e, r.row);
        counts.failed++;
      }
      if (skewed.length === 0) {
        await alignClock(db, answer.serverTime, timing.sentAt, timing.receivedAt);
        return observeHlc(db, serverClock(answer.serverTime));
      }
      const shift = await correctClock(db, answer.serverTime);
      for (const e of skewed) {
        await restamp(db, e, shift, answer.serverTime);
        counts.restamped++;
      }
    }),
  );
  return counts;
}

/**
 * A change the server found stamped too far ahead, stamped again: moved by the correction
 * the clock just took (`shift`), so it carries the time it was made on the server's clock —
 * an edit made before another phone's keeps being the earlier one, not the one synced last.
 * One that would still be ahead is stamped now. The row keeps the skewed clock only on
 * fields this change wrote last.
 */
async function restamp(db: LinliDb, e: OutboxEntry, shift: number, serverTime: number): Promise<void> {
  const old = decodeHlc(e.hlc);
  const moved = old.ms + shift;
  const hlc = moved < serverTime ? encodeHlc({ ...old, ms: moved }) : await nextHlc(db);
  const table = db.recordTable(e.type);
  const row = await table.get(e.rowId);
  if (row) {
    const s = rowState(row);
    const clocks = { ...s.clocks };
    for (const k of Object.keys(e.fields)) if (clocks[k] === e.hlc) clocks[k] = hlc;
    await table.put(toLocalRow(e.type, e.rowId, { fields: s.fields, clocks }, row));
  }
  await db.outbox.update(e.seq!, { hlc });
}

/**
 * A refused change to a row the server holds: the fields it wrote (where no later change on
 * this phone wrote them again) take the server's values and clocks, so the screens show what
 * the server holds — another's claim, another coordinator's answer. The change itself stays
 * in the refused list with its reason.
 */
async function showServerRow(db: LinliDb, e: OutboxEntry, server: NonNullable<PushResponse['rejected'][number]['row']>): Promise<void> {
  if (!isRecordType(e.type)) return;
  const table = db.recordTable(e.type);
  const local = await table.get(e.rowId);
  if (!local) return;
  const state = rowState(local as never);
  const fields = { ...state.fields };
  const clocks = { ...state.clocks };
  for (const k of Object.keys(e.fields)) {
    if (clocks[k] !== e.hlc || !(k in server.fields)) continue;
    fields[k] = server.fields[k];
    clocks[k] = server.clocks[k] ?? clocks[k]!;
  }
  await table.put(toLocalRow(e.type, e.rowId, { fields, clocks }, local) as never);
  await refreshRollups(db, [{ type: e.type, rowId: e.rowId }]);
}
