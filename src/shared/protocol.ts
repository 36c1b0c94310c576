/**
 * The sync protocol's wire shapes (ARCHITECTURE.md, "Sync protocol"), parsed by the server
 * and produced by the device's sync client.
 */
import * as z from 'zod/mini';
import { isHlc } from './hlc.ts';
import { idSchema } from './records.ts';

/** Bumped when the record shapes change incompatibly; see `upgradeMutation` on the server. */
export const SCHEMA_VERSION = 2;
export const MIN_SCHEMA_VERSION = 1;

/** The server accepts up to this many mutations in one push... */
export const MAX_PUSH_MUTATIONS = 1000;
/** ...and a body (after decompression) up to this size. */
export const MAX_PUSH_BYTES = 4 * 1024 * 1024;
/** The device sends batches of at most this many mutations or bytes. */
export const PUSH_BATCH_MUTATIONS = 500;
export const PUSH_BATCH_BYTES = 512 * 1024;
export const MAX_PULL_LIMIT = 1000;
export const DEFAULT_PULL_LIMIT = 500;

export const deviceIdSchema = z.string().check(z.regex(/^[0-9a-f]{16}$/, 'v.deviceId'));
export const hlcSchema = z.string().check(z.refine(isHlc, 'v.hlc'));

/** The envelope; each mutation is validated on its own, so one bad one is rejected alone. */
export const pushRequestSchema = z.strictObject({
  deviceId: deviceIdSchema,
  schemaVersion: z.int('v.integer'),
  appVersion: z.optional(z.string().check(z.maxLength(40, 'v.tooLong'))),
  /** Mutations still in the outbox besides this batch: the coordinator's hand-in check. */
  pending: z.optional(z.int('v.integer').check(z.gte(0, 'v.notNegative'))),
  mutations: z.array(z.unknown()).check(z.maxLength(MAX_PUSH_MUTATIONS, 'v.tooMany')),
});

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
}
export interface PushResponse {
  acked: string[];
  rejected: PushRejection[];
  serverTime: number;
}

export interface Change {
  type: string;
  rowId: string;
  fields: Record<string, unknown>;
  clocks: Record<string, string>;
  seq: number;
}
export interface PullResponse {
  changes: Change[];
  cursor: string;
  more: boolean;
  serverTime: number;
}

export interface ErrorBody {
  error: { code: string; message: string };
}
