/**
 * The sync protocol's wire shapes (ARCHITECTURE.md, "Sync protocol"), parsed by the server
 * and produced by the device's sync client.
 */
import * as z from 'zod/mini';
import { isHlc } from './hlc.ts';
import { idSchema, text } from './schema-kit.ts';

/**
 * Bumped when the record shapes change: a server older than a phone answers its pushes 409
 * (`server_outdated`), which the phone keeps for later instead of having fields refused. 3: a
 * need's history line names its assignee, evaluation and ticket in fields of their own.
 */
export const SCHEMA_VERSION = 3;
export const MIN_SCHEMA_VERSION = 1;
/**
 * Bumped when record types are added: a phone's pull cursor belongs to the set of types it
 * knows, since its earlier pulls passed over rows of types it could not read — a phone that
 * learns new types pulls again from the start. (Fields it did not know it kept.)
 */
export const RECORD_SET_VERSION = 2;

/** The server accepts up to this many mutations in one push... */
export const MAX_PUSH_MUTATIONS = 1000;
/** ...and a body (after decompression) up to this size. */
export const MAX_PUSH_BYTES = 4 * 1024 * 1024;
/** The device sends batches of at most this many mutations or bytes. */
export const PUSH_BATCH_MUTATIONS = 500;
export const PUSH_BATCH_BYTES = 512 * 1024;

/**
 * Push batch sizing. A push is answered after it waited its turn and was applied; when a whole
 * district's phones sync at once the server's queue is every phone's batch, so each push
 * waits about phones × batch ÷ throughput. The server says how long it held each push
 * (`Server-Timing: push;dur=…`); the device starts a flush at PUSH_BATCH_FIRST, doubles while
 * the server answers well inside PUSH_TARGET_MS and halves (down to PUSH_BATCH_MIN) when it
 * takes longer. Time on the wire does not count, so a slow link still gets large batches.
 */
export const PUSH_BATCH_FIRST = 50;
export const PUSH_BATCH_MIN = 20;
export const PUSH_TARGET_MS = 250;
export const SERVER_TIMING_PUSH = 'push';

/** The next batch's size after a push of `current` that the server held `serverMs` (null: it did not say — grow, as before this existed). */
export function nextPushBatch(current: number, serverMs: number | null): number {
  const size = Math.min(PUSH_BATCH_MUTATIONS, Math.max(PUSH_BATCH_MIN, Math.floor(current)));
  if (serverMs !== null && serverMs > PUSH_TARGET_MS) return Math.max(PUSH_BATCH_MIN, Math.floor(size / 2));
  if (serverMs === null || serverMs < PUSH_TARGET_MS / 4) return Math.min(PUSH_BATCH_MUTATIONS, size * 2);
  return size;
}

/** The push's duration from a `Server-Timing` header (`push;dur=12.5`), or null. */
export function pushServerMs(header: string | null): number | null {
  if (!header) return null;
  for (const metric of header.split(',')) {
    const [name, ...params] = metric.trim().split(';');
    if (name?.trim() !== SERVER_TIMING_PUSH) continue;
    for (const param of params) {
      const [k, v] = param.trim().split('=');
      if (k === 'dur' && v !== undefined && v !== '') {
        const ms = Number(v);
        return Number.isFinite(ms) && ms >= 0 ? ms : null;
      }
    }
  }
  return null;
}
export const MAX_PULL_LIMIT = 1000;
/** A team's sequence numbers are 32-bit in the database: a cursor beyond is no cursor. */
export const MAX_CURSOR = 2 ** 31 - 1;
export const DEFAULT_PULL_LIMIT = 1000;
/** The pull's query asking for packed clocks: a change's clocks are mostly one clock, sent once. */
export const PULL_PACKED_CLOCKS = 'clocks=packed';

/**
 * How far ahead of the server's time a mutation's clock may be. Phones set their clock by the
 * server's at every sync (`serverTime`), so an honest phone is off by the link's delay and its
 * quartz's drift since (seconds a day); a phone further ahead is answered `clock_skew`, sets
 * its clock by the server's and stamps the change again.
 */
export const CLOCK_TOLERANCE_MS = 10_000;

/**
 * How far ahead of the server's time an instant written in a record (a visit's time, a
 * consent's date) may be. Phones write them by the clock set at sign-in and at each sync, but
 * unlike a mutation's clock an instant is never stamped again: the margin covers a day
 * offline on a drifting clock, while a consent dated next year is refused.
 */
export const FUTURE_INSTANT_TOLERANCE_MS = 10 * 60_000;

export const deviceIdSchema = z.string().check(z.regex(/^[0-9a-f]{16}$/, 'v.deviceId'));
export const hlcSchema = z.string().check(z.refine(isHlc, 'v.hlc'));

/** The envelope; each mutation is validated on its own, so one bad one is rejected alone. */
/**
 * The envelope; each mutation is validated on its own, so one bad one is refused alone. What
 * only describes the phone for the hand-in check (`appVersion`, `pending`) never fails a
 * push: a value the server cannot keep is left out (`handInOf`).
 */
export const pushRequestSchema = z.strictObject({
  deviceId: deviceIdSchema,
  schemaVersion: z.int('v.integer'),
  appVersion: z.optional(z.unknown()),
  /** Mutations still in the outbox besides this batch: the coordinator's hand-in check. */
  pending: z.optional(z.unknown()),
  /** What those are (`HeldRecord`, the first MAX_HELD_LISTED): the hand-in check lists them. */
  held: z.optional(z.unknown()),
  mutations: z.array(z.unknown()).check(z.maxLength(MAX_PUSH_MUTATIONS, 'v.tooMany')),
});

const appVersionSchema = text(40);
const pendingSchema = z.int().check(z.gte(0), z.lte(1_000_000_000));

/** Records a phone lists as still unsynced: enough for a coordinator to say which ones. */
export const MAX_HELD_LISTED = 50;

/** One record a phone still holds: its type, what a person calls it (a ticket number, an address), when it was saved. */
export const heldRecordSchema = z.strictObject({
  type: text(40),
  label: text(120),
  savedAt: z.int().check(z.gte(0), z.lte(8_640_000_000_000_000)),
});
export type HeldRecord = z.infer<typeof heldRecordSchema>;
const heldSchema = z.array(heldRecordSchema).check(z.maxLength(MAX_HELD_LISTED));

/** The envelope's description of the phone, as far as it can be kept. */
export function handInOf(body: { appVersion?: unknown; pending?: unknown; held?: unknown }): {
  appVersion: string | undefined;
  pending: number | undefined;
  held: HeldRecord[] | undefined;
} {
  const appVersion = appVersionSchema.safeParse(body.appVersion);
  const pending = pendingSchema.safeParse(body.pending);
  const held = heldSchema.safeParse(body.held);
  return {
    appVersion: appVersion.success ? appVersion.data : undefined,
    pending: pending.success ? pending.data : undefined,
    held: held.success ? held.data : undefined,
  };
}

export const mutationSchema = z.strictObject({
  id: idSchema,
  type: z.string().check(z.maxLength(40, 'v.tooLong')),
  rowId: idSchema,
  hlc: hlcSchema,
  fields: z.record(z.string().check(z.maxLength(60, 'v.tooLong')), z.unknown()),
});
export type Mutation = z.infer<typeof mutationSchema>;

export interface PushRejection {
  id: string;
  code: string;
  message: string;
  /**
   * The row as the server holds it, where it has one: the phone puts the refused fields back
   * to the server's values (a wish claimed by another, a request another coordinator
   * answered), so it shows what is true — the refused change is kept in its refused list.
   */
  row?: { fields: Record<string, unknown>; clocks: Record<string, string> };
}
export interface PushResponse {
  acked: string[];
  rejected: PushRejection[];
  /**
   * Not applied yet, not refused: each points at a row the server does not have yet (its
   * household, the thresholds it was judged with) or writes a row whose first, complete
   * change has not arrived. The phone keeps them and pushes them again. (Older servers send
   * none; older phones, not knowing the field, keep them all the same.)
   */
  deferred?: string[];
  serverTime: number;
}

export interface Change {
  type: string;
  rowId: string;
  fields: Record<string, unknown>;
  /** Packed (`packClocks` in merge.ts) when the pull asked `clocks=packed`; `unpackClocks` reads either form. */
  clocks: Record<string, string>;
  seq: number;
}
/**
 * In a pull that asked `echo=own`, a row this phone wrote exactly as the server holds it
 * (every field at the clock and with the value its push sent): its place in the sequence
 * and nothing else, since the phone's store has it all already.
 */
export interface EchoChange {
  type: string;
  rowId: string;
  seq: number;
  echo: true;
}
/** What a pull that asked `echo=own` says: stubs for this phone's own rows. */
export const PULL_ECHO_OWN = 'echo=own';
export interface PullResponse {
  changes: Change[];
  cursor: string;
  more: boolean;
  /** How many of the team's changes came after this page when it was read (for progress). */
  remaining?: number;
  serverTime: number;
}
/** A pull's answer when it asked `echo=own`. */
export interface EchoPullResponse extends Omit<PullResponse, 'changes'> {
  changes: (Change | EchoChange)[];
}

export interface ErrorBody {
  error: { code: string; message: string };
}
