/**
 * The device's hybrid logical clock, persisted in meta so that it survives reloads and is
 * shared by the tabs and the service worker (every read-modify-write is inside the caller's
 * Dexie transaction).
 */
import { decodeHlc, encodeHlc, initialHlc, receive, tick, HlcError, type HlcState } from '../shared/hlc.ts';
import type { LinliDb } from './db.ts';

/** 16 hex digits: the device id, also the HLC node id. */
export function randomDeviceId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function deviceId(db: LinliDb): Promise<string> {
  const existing = await db.getMeta('deviceId');
  if (existing) return existing;
  return db.transaction('rw', db.meta, async () => {
    const again = await db.getMeta('deviceId');
    if (again) return again;
    const id = randomDeviceId();
    await db.setMeta('deviceId', id);
    return id;
  });
}

async function state(db: LinliDb): Promise<HlcState> {
  return (await db.getMeta('hlc')) ?? initialHlc(await deviceId(db));
}

export async function deviceNow(db: LinliDb): Promise<number> {
  return Date.now() + ((await db.getMeta('clockOffset')) ?? 0);
}

/** What a local timestamp is made from, read in one go: the clock, the correction, the node. */
export interface ClockInputs {
  hlc: HlcState | undefined;
  offset: number;
  deviceId: string | undefined;
}

/** The meta keys a timestamp is made from, for callers that read them with others in one request. */
export const CLOCK_KEYS = ['hlc', 'clockOffset', 'deviceId'] as const;

export function asClockInputs(rows: readonly ({ value: unknown } | undefined)[]): ClockInputs {
  const [hlc, offset, device] = rows;
  return {
    hlc: hlc?.value as HlcState | undefined,
    offset: (offset?.value as number | undefined) ?? 0,
    deviceId: device?.value as string | undefined,
  };
}

export async function clockInputs(db: LinliDb): Promise<ClockInputs> {
  return asClockInputs(await db.meta.bulkGet([...CLOCK_KEYS]));
}

/**
 * The next local timestamp from `inputs`, and the meta writes that record it (issued by the
 * caller together with its own writes, in the same transaction).
 */
export function stampNext(db: LinliDb, inputs: ClockInputs): { hlc: string; writes: Promise<unknown>[] } {
  const writes: Promise<unknown>[] = [];
  let current = inputs.hlc;
  if (!current) {
    const node = inputs.deviceId ?? randomDeviceId();
    if (!inputs.deviceId) writes.push(db.setMeta('deviceId', node));
    current = initialHlc(node);
  }
  const next = tick(current, Date.now() + inputs.offset);
  writes.push(db.setMeta('hlc', next));
  return { hlc: encodeHlc(next), writes };
}

/** A new timestamp for a local write. Call inside a transaction that includes `meta`. */
export async function nextHlc(db: LinliDb): Promise<string> {
  const { hlc, writes } = stampNext(db, await clockInputs(db));
  await Promise.all(writes);
  return hlc;
}

/** Advance past a clock seen from the server; one too far ahead is ignored, not adopted. */
export async function observeHlc(db: LinliDb, remote: string): Promise<void> {
  try {
    const next = receive(await state(db), decodeHlc(remote), await deviceNow(db));
    await db.setMeta('hlc', next);
  } catch (e) {
    if (!(e instanceof HlcError)) throw e;
  }
}

/**
 * Sets this phone's clock by the server's, from an answer: the server's time lies between
 * sending and receiving, so the middle of the two is the best guess of "now" on this phone
 * when the server said it (off by at most half the round trip). Writes stamped offline later
 * carry the server's time, not the phone's — a phone five minutes fast does not win every
 * edit for five minutes — and the server can refuse clocks seconds ahead, not minutes.
 */
export async function alignClock(db: LinliDb, serverTime: number, sentAt: number, receivedAt: number): Promise<void> {
  if (!Number.isFinite(serverTime) || receivedAt < sentAt) return;
  const offset = (await db.getMeta('clockOffset')) ?? 0;
  // the clock as corrected already agrees with the server's (within a second): leave it, so
  // phones with one clock keep one clock
  const seen = serverTime - offset;
  if (seen >= sentAt - ALIGNED_MS && seen <= receivedAt + ALIGNED_MS) return;
  await db.setMeta('clockOffset', Math.round(serverTime - (sentAt + receivedAt) / 2));
}
const ALIGNED_MS = 1000;

/**
 * The server refused our clock as too far ahead: believe the server's time from now on, and
 * restart the clock there, so the re-stamped mutations and every later write carry sane times.
 * Returns the correction, in ms (negative: the phone was fast).
 */
export async function correctClock(db: LinliDb, serverTime: number): Promise<number> {
  const node = await deviceId(db);
  const before = (await db.getMeta('clockOffset')) ?? 0;
  const offset = serverTime - Date.now();
  await db.setMeta('clockOffset', offset);
  await db.setMeta('hlc', { ms: serverTime, counter: 0, node });
  return offset - before;
}
