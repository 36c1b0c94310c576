/**
 * The sync routes (docs/ARCHITECTURE.md, "Sync protocol"): the push — a body decompressed
 * within bounds, parsed, its envelope checked, then applied (push.ts) with the server's
 * time it was held for in `Server-Timing` — and the pull of the team in scope (pull.ts).
 */
import { gunzipSync } from 'node:zlib';
import { Hono, type Context } from 'hono';
import { describeIssues } from '../../shared/i18n/index.ts';
import {
  DEFAULT_PULL_LIMIT,
  handInOf,
  MAX_PULL_LIMIT,
  MAX_PUSH_BYTES,
  MIN_SCHEMA_VERSION,
  pushRequestSchema,
  SCHEMA_VERSION,
  SERVER_TIMING_PUSH,
} from '../../shared/protocol.ts';
import { ApiError } from '../api-error.ts';
import type { AppEnv, RouteDeps } from '../app-env.ts';
import { Budget } from '../budget.ts';
import { recordPull } from '../device.ts';
import { parseCursor, pullPage } from '../pull.ts';
import { applyPush } from '../push.ts';
import { isJson, parseJson } from '../request.ts';
import { teamInScope } from '../scope.ts';

/** Compressed bytes a push may send; its JSON may inflate to MAX_PUSH_BYTES. */
export const MAX_PUSH_WIRE_BYTES = 2 * 1024 * 1024;
/**
 * Bytes of push JSON parsed and being applied at once; the rest wait as the bytes they
 * arrived in. Enough for a whole district's small batches to wait in their team's line and
 * share its next transaction (group-commit.ts), while a few large batches — a parsed push
 * holds a few times its bytes — cannot fill the memory. A push larger than this still runs,
 * alone.
 */
const PUSH_BYTES_AT_ONCE = 8 * 1024 * 1024;

function decodePushBody(c: Context<AppEnv>, raw: Uint8Array): Uint8Array {
  let bytes: Uint8Array = raw;
  const encoding = (c.req.header('content-encoding') ?? '').toLowerCase();
  if (encoding === 'gzip') {
    try {
      bytes = gunzipSync(raw, { maxOutputLength: MAX_PUSH_BYTES });
    } catch (e) {
      if (e instanceof RangeError || (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new ApiError(413, 'payload_too_large');
      throw new ApiError(400, 'bad_request');
    }
  } else if (encoding !== '' && encoding !== 'identity') {
    throw new ApiError(415, 'unsupported_media_type');
  }
  if (bytes.byteLength > MAX_PUSH_BYTES) throw new ApiError(413, 'payload_too_large');
  return bytes;
}

export function syncRoutes({ db, now, auth }: RouteDeps): Hono<AppEnv> {
  const r = new Hono<AppEnv>();
  const pushBudget = new Budget(PUSH_BYTES_AT_ONCE);

  r.post('/sync/push', auth, async (c) => {
    if (!isJson(c)) throw new ApiError(415, 'unsupported_media_type');
    // the budget is taken once the body has arrived: a phone uploading slowly holds none
    const raw = new Uint8Array(await c.req.arrayBuffer());
    // how long the server held the push (its turn, then applying it), for the device to size
    // its next batch by (nextPushBatch): the upload's own time is the link's, not ours
    const arrived = performance.now();
    const bytes = decodePushBody(c, raw);
    const release = await pushBudget.acquire(bytes.byteLength);
    try {
      const locale = c.get('locale');
      const parsed = pushRequestSchema.safeParse(parseJson(new TextDecoder().decode(bytes)));
      if (!parsed.success) throw new ApiError(400, 'validation', { detail: describeIssues(locale, parsed.error.issues) });
      const body = parsed.data;
      if (body.schemaVersion < MIN_SCHEMA_VERSION) throw new ApiError(426, 'upgrade_required');
      if (body.schemaVersion > SCHEMA_VERSION) throw new ApiError(409, 'server_outdated');
      const input = { deviceId: body.deviceId, mutations: body.mutations, ...handInOf(body) };
      const result = await applyPush(db, c.get('actor'), input, locale, now());
      c.header('Server-Timing', `${SERVER_TIMING_PUSH};dur=${(performance.now() - arrived).toFixed(1)}`);
      return c.json(result);
    } finally {
      release();
    }
  });

  r.get('/sync/pull', auth, async (c) => {
    const cursor = parseCursor(c.req.query('cursor'));
    const limitRaw = c.req.query('limit');
    const limit = limitRaw === undefined ? DEFAULT_PULL_LIMIT : Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PULL_LIMIT) throw new ApiError(400, 'bad_request');
    const teamId = await teamInScope(c, db);
    // the app asks for packed clocks; an app from before packing gets one clock per field
    const clocksAsked = c.req.query('clocks');
    if (clocksAsked !== undefined && clocksAsked !== 'packed' && clocksAsked !== 'full') throw new ApiError(400, 'bad_request');
    // the app says it takes stubs for the rows it sent itself (`echo=own`); an older app gets every row whole
    const echo = c.req.query('echo');
    if (echo !== undefined && echo !== 'own') throw new ApiError(400, 'bad_request');
    const actor = c.get('actor');
    const own = echo === 'own' && teamId === actor.teamId ? actor.deviceId : null;
    const pieces = await pullPage(db, teamId, cursor, limit, now(), clocksAsked ?? 'full', own);
    await recordPull(db, actor.deviceId, actor.teamId, now());
    c.header('Content-Type', 'application/json; charset=UTF-8');
    c.header('Content-Length', String(pieces.reduce((n, p) => n + p.byteLength, 0)));
    return c.body(
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const p of pieces) controller.enqueue(p);
          controller.close();
        },
      }),
    );
  });
  return r;
}
