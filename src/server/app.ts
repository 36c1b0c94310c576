/**
 * The Hono application: security middleware, the API routes, the built app with its SPA
 * fallback, and the one `onError` that turns every failure into `{ error: { code, message } }`.
 */
import { gunzipSync } from 'node:zlib';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import path from 'node:path';
import fs from 'node:fs';
import * as z from 'zod/mini';
import { describeIssues, pickLocale, translate, type Locale, type MessageKey } from '../shared/i18n/index.ts';
import { isErrorCode, type ErrorCode } from '../shared/errors.ts';
import {
  DEFAULT_PULL_LIMIT,
  MAX_PULL_LIMIT,
  MAX_PUSH_BYTES,
  MIN_SCHEMA_VERSION,
  SCHEMA_VERSION,
  SERVER_TIMING_PUSH,
  deviceIdSchema,
  pushRequestSchema,
} from '../shared/protocol.ts';
import { ApiError } from './api-error.ts';
import type { AppEnv } from './app-env.ts';
import type { Config } from './config.ts';
import { dialectOf, type Db } from './db.ts';
import { Budget } from './budget.ts';
import { registerDevice } from './device.ts';
import { dummyPasswordHash, verifyPassword } from './password.ts';
import { clearSessionCookie, createSession, requireUser, revokeSession, setSessionCookie, type Actor } from './session.ts';
import { clearLoginFailures, LOGIN_WINDOW_MS, loginBlocked, recordLoginFailure } from './login-throttle.ts';
import { applyPush, parseCursor, pullPage } from './sync.ts';
import { dateRangeSchema, eventSummary, fullRepairExport, ordsExport } from './repair-report.ts';
import { registerTeamRoutes } from './team-admin.ts';
import { repairDashboard } from './dashboard.ts';
import { healthExport, householdsExport, needsExport, visitsExport } from './care-report.ts';
import { healthDashboard, needsDashboard, rangeOf, visitsDashboard } from './care-dashboard.ts';
import { idSchema } from '../shared/records.ts';
import { createTeam, createUser, hasAnyUser, passwordSchema, teamNameSchema, usernameSchema, UserError } from './users.ts';

/** Compressed bytes a push may send; its JSON may inflate to MAX_PUSH_BYTES. */
const MAX_PUSH_WIRE_BYTES = 2 * 1024 * 1024;
const MAX_BODY_BYTES = 64 * 1024;
/**
 * Bytes of push JSON parsed and being applied at once; the rest wait as the bytes they
 * arrived in. Enough for a whole district's small batches to wait in their team's line and
 * share its next transaction (`commitTogether`), while a few large batches — a parsed push
 * holds a few times its bytes — cannot fill the memory. A push larger than this still runs,
 * alone.
 */
const PUSH_BYTES_AT_ONCE = 8 * 1024 * 1024;

const loginSchema = z.strictObject({
  username: z.string().check(z.maxLength(100, 'v.tooLong')),
  password: z.string().check(z.maxLength(200, 'v.tooLong')),
  deviceId: z.optional(deviceIdSchema),
});
const setupSchema = z.strictObject({
  teamName: teamNameSchema,
  region: z.optional(z.string().check(z.maxLength(100, 'v.tooLong'))),
  username: usernameSchema,
  name: z.string().check(z.trim(), z.minLength(1, 'v.required'), z.maxLength(60, 'v.tooLong')),
  password: passwordSchema,
  deviceId: z.optional(deviceIdSchema),
});

/** The caller's address: the proxy's X-Forwarded-For when LINLI_TRUST_PROXY is set, else the socket's. */
function clientAddress(c: Context): string {
  if (process.env.LINLI_TRUST_PROXY === '1') {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded.slice(0, 64);
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}

function isJson(c: Context): boolean {
  return /^application\/json\b/i.test(c.req.header('content-type') ?? '');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'bad_request');
  }
}

async function readJson<T>(c: Context<AppEnv>, schema: z.ZodMiniType<T>): Promise<T> {
  if (!isJson(c)) throw new ApiError(415, 'unsupported_media_type');
  const parsed = schema.safeParse(parseJson(await c.req.text()));
  if (!parsed.success) throw new ApiError(400, 'validation', { detail: describeIssues(c.get('locale'), parsed.error.issues) });
  return parsed.data;
}

/** The caller's team, or for an admin the `?team=` asked for. */
function teamInScope(c: Context<AppEnv>): string {
  const actor = c.get('actor');
  const asked = c.req.query('team');
  if (asked === undefined || asked === actor.teamId) return actor.teamId;
  if (actor.role !== 'admin') throw new ApiError(403, 'forbidden');
  return asked;
}

function statusCode(status: number): ErrorCode {
  switch (status) {
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    case 429:
      return 'rate_limited';
    default:
      return status >= 500 ? 'internal' : 'bad_request';
  }
}

/** Who is signed in, this phone's ticket letter, and the team's calendar (its days in reports). */
async function meBody(db: Db, actor: Actor, timeZone: string) {
  const team = await db.selectFrom('team').select(['name']).where('id', '=', actor.teamId).executeTakeFirst();
  const device = actor.deviceId
    ? await db
        .selectFrom('device')
        .select(['id', 'letter'])
        .where('id', '=', actor.deviceId)
        .where('team_id', '=', actor.teamId)
        .executeTakeFirst()
    : undefined;
  return {
    user: {
      id: actor.userId,
      username: actor.username,
      name: actor.name,
      role: actor.role,
      teamId: actor.teamId,
      teamName: team?.name ?? '',
      timeZone,
    },
    device: device ? { id: device.id, letter: device.letter } : null,
  };
}

export interface AppOptions {
  db: Db;
  config: Pick<Config, 'sessionDays' | 'staticDir' | 'trustedOrigins' | 'hsts' | 'logRequests'> &
    Partial<Pick<Config, 'exportCountry' | 'exportDataProvider' | 'timeZone'>>;
  /** The server's clock; tests move it. */
  now?: () => number;
}

export function createApp({ db, config, now = Date.now }: AppOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const pushBudget = new Budget(PUSH_BYTES_AT_ONCE);
  const auth = requireUser(db, config.sessionDays);

  app.use('*', async (c, next) => {
    c.set('locale', pickLocale(c.req.header('accept-language')));
    const started = performance.now();
    await next();
    // Path and status only: never a body, a query string or a name.
    if (config.logRequests && c.req.path.startsWith('/api/')) {
      console.log(`${c.req.method} ${c.req.path} ${c.res.status} ${(performance.now() - started).toFixed(1)}ms`);
    }
  });
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      strictTransportSecurity: config.hsts ? 'max-age=31536000; includeSubDomains' : false,
      referrerPolicy: 'same-origin',
      xContentTypeOptions: 'nosniff',
      xFrameOptions: 'DENY',
    }),
  );

  // CSRF: besides SameSite=Strict cookies and JSON-only bodies, a state-changing request
  // from a browser must come from this site.
  app.use('/api/*', async (c, next) => {
    if (!['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) {
      const origin = c.req.header('origin');
      if (origin) {
        let host: string;
        try {
          host = new URL(origin).host;
        } catch {
          throw new ApiError(403, 'csrf');
        }
        const ownHost = c.req.header('x-forwarded-host') ?? c.req.header('host');
        if (host !== ownHost && !config.trustedOrigins.includes(origin)) throw new ApiError(403, 'csrf');
      }
    }
    await next();
  });
  const tooLarge = () => {
    throw new ApiError(413, 'payload_too_large');
  };
  app.use('/api/sync/push', bodyLimit({ maxSize: MAX_PUSH_WIRE_BYTES, onError: tooLarge }));
  app.use('/api/*', async (c, next) => {
    if (c.req.path === '/api/sync/push') return next();
    return bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge })(c, next);
  });
  app.use('/api/*', async (c, next) => {
    await next();
    // on the response's own headers: `c.header()` after the handler rebuilds the response,
    // copying its body — a pull page's megabyte, every time
    c.res.headers.set('Cache-Control', 'no-store');
  });

  app.get('/api/health', async (c) => {
    let ok = true;
    try {
      await db.selectFrom('team').select('id').limit(1).execute();
    } catch {
      ok = false;
    }
    return c.json({ ok, db: dialectOf(db) }, ok ? 200 : 503);
  });

  app.get('/api/setup', async (c) => c.json({ needed: !(await hasAnyUser(db)) }));

  app.post('/api/setup', async (c) => {
    const body = await readJson(c, setupSchema);
    const created = await db.transaction().execute(async (trx) => {
      if (await hasAnyUser(trx)) throw new ApiError(409, 'setup_done');
      try {
        const team = await createTeam(trx, body.teamName, body.region ?? '', now());
        const user = await createUser(
          trx,
          { teamId: team.id, username: body.username, name: body.name, role: 'coordinator', password: body.password },
          now(),
        );
        return { teamId: team.id, userId: user.id };
      } catch (e) {
        if (e instanceof UserError)
          throw new ApiError(e.code === 'conflict' ? 409 : 400, e.code === 'conflict' ? 'conflict' : 'validation', { detail: e.message });
        throw e;
      }
    });
    if (body.deviceId)
      await registerDevice(
        db,
        { id: body.deviceId, teamId: created.teamId, userId: created.userId, userAgent: c.req.header('user-agent') ?? '' },
        now(),
      );
    const token = await createSession(db, created.userId, body.deviceId ?? null, config.sessionDays, now());
    setSessionCookie(c, token, config.sessionDays);
    const actor: Actor = {
      userId: created.userId,
      teamId: created.teamId,
      role: 'coordinator',
      username: body.username,
      name: body.name,
      sessionId: '',
      deviceId: body.deviceId ?? null,
    };
    return c.json(await meBody(db, actor, config.timeZone ?? 'Asia/Shanghai'), 201);
  });

  app.post('/api/auth/login', async (c) => {
    const body = await readJson(c, loginSchema);
    const username = body.username.trim();
    const ip = clientAddress(c);
    if (await loginBlocked(db, username.toLowerCase(), ip, now())) {
      c.header('Retry-After', String(Math.ceil(LOGIN_WINDOW_MS / 1000)));
      throw new ApiError(429, 'rate_limited');
    }
    const user = await db.selectFrom('app_user').selectAll().where('username', '=', username).executeTakeFirst();
    const ok = user
      ? await verifyPassword(body.password, user.password_hash)
      : (await verifyPassword(body.password, await dummyPasswordHash()), false);
    if (!user || !ok || !user.active) {
      await recordLoginFailure(db, username.toLowerCase(), ip, now());
      throw new ApiError(401, 'invalid_credentials');
    }
    await clearLoginFailures(db, username.toLowerCase());
    if (body.deviceId)
      await registerDevice(
        db,
        { id: body.deviceId, teamId: user.team_id, userId: user.id, userAgent: c.req.header('user-agent') ?? '' },
        now(),
      );
    const token = await createSession(db, user.id, body.deviceId ?? null, config.sessionDays, now());
    setSessionCookie(c, token, config.sessionDays);
    const actor: Actor = {
      userId: user.id,
      teamId: user.team_id,
      role: user.role,
      username: user.username,
      name: user.name,
      sessionId: '',
      deviceId: body.deviceId ?? null,
    };
    return c.json(await meBody(db, actor, config.timeZone ?? 'Asia/Shanghai'));
  });

  app.post('/api/auth/logout', auth, async (c) => {
    await revokeSession(db, c.get('actor').sessionId, now());
    clearSessionCookie(c);
    return c.json({ ok: true });
  });

  app.get('/api/me', auth, async (c) => c.json(await meBody(db, c.get('actor'), config.timeZone ?? 'Asia/Shanghai')));

  app.post('/api/sync/push', auth, async (c) => {
    if (!isJson(c)) throw new ApiError(415, 'unsupported_media_type');
    // the budget is taken once the body has arrived: a phone uploading slowly holds none
    const raw = new Uint8Array(await c.req.arrayBuffer());
    // how long the server held the push (its turn, then applying it), for the device to size
    // its next batch by (nextPushBatch): the upload's own time is the link's, not ours
    const arrived = performance.now();
    const bytes = decodePushBody(c, raw);
    const release = await pushBudget.acquire(bytes.byteLength);
    try {
      return await applyPushBody(c, bytes, arrived);
    } finally {
      release();
    }
  });
  const decodePushBody = (c: Context<AppEnv>, raw: Uint8Array): Uint8Array => {
    let bytes: Uint8Array = raw;
    const encoding = (c.req.header('content-encoding') ?? '').toLowerCase();
    if (encoding === 'gzip') {
      try {
        bytes = gunzipSync(raw, { maxOutputLength: MAX_PUSH_BYTES });
      } catch (e) {
        if (e instanceof RangeError || (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
          throw new ApiError(413, 'payload_too_large');
        throw new ApiError(400, 'bad_request');
      }
    } else if (encoding !== '' && encoding !== 'identity') {
      throw new ApiError(415, 'unsupported_media_type');
    }
    if (bytes.byteLength > MAX_PUSH_BYTES) throw new ApiError(413, 'payload_too_large');
    return bytes;
  };
  const applyPushBody = async (c: Context<AppEnv>, bytes: Uint8Array, arrived: number) => {
    const locale = c.get('locale');
    const parsed = pushRequestSchema.safeParse(parseJson(new TextDecoder().decode(bytes)));
    if (!parsed.success) throw new ApiError(400, 'validation', { detail: describeIssues(locale, parsed.error.issues) });
    const body = parsed.data;
    if (body.schemaVersion < MIN_SCHEMA_VERSION) throw new ApiError(426, 'upgrade_required');
    if (body.schemaVersion > SCHEMA_VERSION) throw new ApiError(409, 'server_outdated');
    const actor = c.get('actor');
    const result = await applyPush(
      db,
      actor,
      { deviceId: body.deviceId, mutations: body.mutations, appVersion: body.appVersion, pending: body.pending },
      locale,
      now(),
    );
    c.header('Server-Timing', `${SERVER_TIMING_PUSH};dur=${(performance.now() - arrived).toFixed(1)}`);
    return c.json(result);
  };

  app.get('/api/sync/pull', auth, async (c) => {
    const actor = c.get('actor');
    const cursor = parseCursor(c.req.query('cursor'));
    const limitRaw = c.req.query('limit');
    const limit = limitRaw === undefined ? DEFAULT_PULL_LIMIT : Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PULL_LIMIT) throw new ApiError(400, 'bad_request');
    let teamId = actor.teamId;
    const asked = c.req.query('team');
    if (asked !== undefined && asked !== teamId) {
      if (actor.role !== 'admin') throw new ApiError(403, 'forbidden');
      teamId = asked;
    }
    // the app asks for packed clocks; an app from before packing gets one clock per field
    const clocksAsked = c.req.query('clocks');
    if (clocksAsked !== undefined && clocksAsked !== 'packed' && clocksAsked !== 'full') throw new ApiError(400, 'bad_request');
    const pieces = await pullPage(db, teamId, cursor, limit, now(), clocksAsked ?? 'full');
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

  // Repair days (issue 3): an event's summary for any member of its team.
  app.get('/api/repair/events/:id/summary', auth, async (c) => {
    const id = c.req.param('id');
    if (!idSchema.safeParse(id).success) throw new ApiError(404, 'not_found');
    const summary = await eventSummary(db, teamInScope(c), id);
    if (!summary) throw new ApiError(404, 'not_found');
    return c.json({ summary });
  });

  const reportOptions = {
    country: config.exportCountry ?? 'CHN',
    dataProvider: config.exportDataProvider ?? 'Linli',
    timeZone: config.timeZone ?? 'Asia/Shanghai',
  };
  /** Exports are the coordinator's: checked, scoped to a team, and written to the audit log. */
  async function exportScope(c: Context<AppEnv>, action: string) {
    const actor = c.get('actor');
    if (actor.role !== 'coordinator' && actor.role !== 'admin') throw new ApiError(403, 'forbidden');
    const teamId = teamInScope(c);
    const range = dateRangeSchema.safeParse({ from: c.req.query('from'), to: c.req.query('to') });
    if (!range.success) throw new ApiError(400, 'validation', { detail: describeIssues(c.get('locale'), range.error.issues) });
    const team = await db.selectFrom('team').select('name').where('id', '=', teamId).executeTakeFirst();
    if (!team) throw new ApiError(404, 'not_found');
    const audit = async (rows: number) => {
      await db
        .insertInto('audit')
        .values({
          at: now(),
          user_id: actor.userId,
          team_id: teamId,
          action,
          detail: JSON.stringify({ from: range.data.from, to: range.data.to, rows }),
        })
        .execute();
    };
    return { teamId, teamName: team.name, ...range.data, audit };
  }
  const csvResponse = (c: Context<AppEnv>, csv: string, filename: string) => {
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${filename}"`);
    return c.body(csv);
  };

  app.get('/api/export/repairs.ords.csv', auth, async (c) => {
    const scope = await exportScope(c, 'export.repairs.ords');
    const { csv, rows } = await ordsExport(db, scope.teamId, scope.teamName, scope.from, scope.to, reportOptions);
    await scope.audit(rows);
    return csvResponse(c, csv, `repairs-ords-${scope.from}-${scope.to}.csv`);
  });

  app.get('/api/export/repairs.csv', auth, async (c) => {
    const scope = await exportScope(c, 'export.repairs');
    const { csv, rows } = await fullRepairExport(db, scope.teamId, scope.from, scope.to, reportOptions);
    await scope.audit(rows);
    return csvResponse(c, csv, `repairs-${scope.from}-${scope.to}.csv`);
  });

  // Door to door and health (issues 4, 5): personal and health data, coordinator-only, audited.
  app.get('/api/export/households.csv', auth, async (c) => {
    const scope = await exportScope(c, 'export.households');
    const { csv, rows } = await householdsExport(db, scope.teamId, reportOptions.timeZone, now());
    await scope.audit(rows);
    return csvResponse(c, csv, `households-${scope.to}.csv`);
  });
  app.get('/api/export/visits.csv', auth, async (c) => {
    const scope = await exportScope(c, 'export.visits');
    const { csv, rows } = await visitsExport(db, scope.teamId, scope.from, scope.to, reportOptions.timeZone);
    await scope.audit(rows);
    return csvResponse(c, csv, `visits-${scope.from}-${scope.to}.csv`);
  });
  app.get('/api/export/needs.csv', auth, async (c) => {
    const scope = await exportScope(c, 'export.needs');
    const { csv, rows } = await needsExport(db, scope.teamId, scope.from, scope.to, reportOptions.timeZone, now());
    await scope.audit(rows);
    return csvResponse(c, csv, `needs-${scope.from}-${scope.to}.csv`);
  });
  app.get('/api/export/health.csv', auth, async (c) => {
    const scope = await exportScope(c, 'export.health');
    const { csv, rows } = await healthExport(db, scope.teamId, scope.from, scope.to, reportOptions.timeZone);
    await scope.audit(rows);
    return csvResponse(c, csv, `health-${scope.from}-${scope.to}.csv`);
  });

  // The coordinator's dashboard: figures for a date range, aggregated in SQL.
  app.get('/api/dashboard', auth, async (c) => {
    const actor = c.get('actor');
    if (actor.role !== 'coordinator' && actor.role !== 'admin') throw new ApiError(403, 'forbidden');
    const teamId = teamInScope(c);
    const range = dateRangeSchema.safeParse({ from: c.req.query('from'), to: c.req.query('to') });
    if (!range.success) throw new ApiError(400, 'validation', { detail: describeIssues(c.get('locale'), range.error.issues) });
    const { from, to } = range.data;
    const span = rangeOf(from, to, reportOptions.timeZone);
    return c.json({
      repairs: await repairDashboard(db, teamId, from, to, reportOptions.timeZone),
      visits: await visitsDashboard(db, teamId, span),
      needs: await needsDashboard(db, teamId, span, now()),
      health: await healthDashboard(db, teamId, span),
    });
  });

  // An admin sees every team: the list to choose from.
  app.get('/api/teams', auth, async (c) => {
    if (c.get('actor').role !== 'admin') throw new ApiError(403, 'forbidden');
    const teams = await db.selectFrom('team').select(['id', 'name', 'region']).orderBy('name').execute();
    return c.json({ teams });
  });

  registerTeamRoutes(app, { db, auth, now, timeZone: reportOptions.timeZone, teamInScope, readJson });

  app.all('/api/*', () => {
    throw new ApiError(404, 'not_found');
  });

  // The built app. Hashed assets are immutable; the shell and the worker must revalidate so
  // an update is seen.
  const root = path.relative(process.cwd(), config.staticDir) || '.';
  app.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.ok) c.res.headers.set('Cache-Control', 'public, max-age=31536000, immutable');
  });
  app.use('*', serveStatic({ root }));
  app.get('*', async (c) => {
    const index = path.join(config.staticDir, 'index.html');
    if (!fs.existsSync(index)) return c.text('Linli: the app is not built yet — run `npm run build`.', 503);
    c.header('Cache-Control', 'no-cache');
    return c.html(fs.readFileSync(index, 'utf8'));
  });

  app.onError((err, c) => {
    const locale: Locale = c.get('locale') ?? pickLocale(c.req.header('accept-language'));
    let status = 500;
    let code: ErrorCode = 'internal';
    let params: Record<string, string | number> | undefined;
    if (err instanceof ApiError) {
      status = err.status;
      code = err.code;
      params = err.params;
    } else if (err instanceof HTTPException) {
      status = err.status;
      code = statusCode(status);
    } else {
      console.error(`error on ${c.req.method} ${c.req.path}: ${err.name}: ${err.message}`);
    }
    // Refused before its body was read: the rest of that body would be read as the next
    // request on a kept-alive connection, so end the connection.
    if (status === 413) c.header('Connection', 'close');
    const key = `error.${isErrorCode(code) ? code : 'internal'}` as MessageKey;
    return c.json({ error: { code, message: translate(locale, key, { detail: '', ...params }) } }, status as 400);
  });
  app.notFound((c) => c.json({ error: { code: 'not_found', message: translate(c.get('locale') ?? 'zh-CN', 'error.not_found') } }, 404));
  return app;
}
