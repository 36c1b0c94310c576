/**
 * The Hono application: security middleware, the API's route groups (routes/), the built
 * app with its SPA fallback, and the one `onError` that turns every failure into
 * `{ error: { code, message } }` in the caller's language.
 */
import fs from 'node:fs';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { compress } from 'hono/compress';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { isErrorCode, type ErrorCode } from '../shared/errors.ts';
import { pickLocale, translate, type Locale, type MessageKey } from '../shared/i18n/index.ts';
import { storable } from '../shared/schema-kit.ts';
import { ApiError } from './api-error.ts';
import type { AppEnv, RouteDeps } from './app-env.ts';
import { appSettings, type AppSettings } from './config.ts';
import { dialectOf, type Db } from './db.ts';
import { authRoutes } from './routes/auth.ts';
import { exportRoutes } from './routes/exports.ts';
import { reportRoutes } from './routes/reports.ts';
import { MAX_PUSH_WIRE_BYTES, syncRoutes } from './routes/sync.ts';
import { teamRoutes } from './routes/team.ts';
import { verifyRoutes } from './routes/verify.ts';
import { askRoutes } from './routes/ask.ts';
import { requireUser } from './session.ts';
import { hasAnyUser } from './users.ts';

/** Every request body but a push's. */
const MAX_BODY_BYTES = 64 * 1024;

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

export interface AppOptions {
  db: Db;
  /** The settings (`loadConfig`); a test may leave out those with a default. */
  config: Parameters<typeof appSettings>[0];
  /** The server's clock; tests move it. */
  now?: () => number;
}

export function createApp({ db, config: given, now = Date.now }: AppOptions): Hono<AppEnv> {
  const config: AppSettings = appSettings(given);
  const app = new Hono<AppEnv>();
  const deps: RouteDeps = { db, settings: config, now, auth: requireUser(db, config.sessionDays) };

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

  // A path or query no database could store (a NUL, a broken escape): a 400, before any route reads it.
  app.use('/api/*', async (c, next) => {
    const url = new URL(c.req.url);
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      throw new ApiError(400, 'bad_request');
    }
    if (!storable(path) || [...url.searchParams].some(([k, v]) => !storable(k) || !storable(v))) throw new ApiError(400, 'bad_request');
    await next();
  });

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

  // JSON, pull pages, exports and pages compressed as they go, where the client takes it
  // (gzip or deflate; the built app's files were compressed at build, see below) — without
  // the README's proxy too, a phone on a weak link gets a pull page in a fifth of its bytes.
  // Innermost, next to the handlers: the headers the middleware above sets after the
  // handler (security, caching) land on the compressed response itself.
  app.use('*', compress());

  app.get('/api/health', async (c) => {
    let ok = true;
    try {
      await db.selectFrom('team').select('id').limit(1).execute();
    } catch {
      ok = false;
    }
    return c.json({ ok, db: dialectOf(db) }, ok ? 200 : 503);
  });
  for (const group of [authRoutes, syncRoutes, reportRoutes, exportRoutes, teamRoutes]) app.route('/api', group(deps));
  app.all('/api/*', () => {
    throw new ApiError(404, 'not_found');
  });

  // public pages, outside the app: a certificate's verification (its QR code)
  app.route('/', verifyRoutes(deps));
  app.route('/', askRoutes(deps));

  // The built app. Hashed assets are immutable; the shell and the worker must revalidate so
  // an update is seen.
  const root = path.relative(process.cwd(), config.staticDir) || '.';
  app.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.ok) c.res.headers.set('Cache-Control', 'public, max-age=31536000, immutable');
  });
  // whether the server is set up, told in the page itself: the first screen need not ask
  // (a round trip on a weak link); once set up, it stays so
  let setUp = false;
  const shell = async (c: Context<AppEnv>) => {
    const index = path.join(config.staticDir, 'index.html');
    if (!fs.existsSync(index)) return c.text('Linli: the app is not built yet — run `npm run build`.', 503);
    c.header('Cache-Control', 'no-cache');
    setUp ||= await hasAnyUser(db);
    const hint = `<meta name="linli-setup" content="${setUp ? 'done' : 'needed'}" />`;
    return c.html(fs.readFileSync(index, 'utf8').replace('</head>', `${hint}</head>`));
  };
  // the shell is never the static file: it carries the hint
  app.get('/', shell);
  app.get('/index.html', shell);
  // brotli or gzip made at build, where the browser takes it (`precompress` in vite.config.ts)
  app.use('*', serveStatic({ root, precompressed: true }));
  app.get('*', shell);

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
