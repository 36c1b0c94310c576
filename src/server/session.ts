/**
 * Sessions: an opaque random token in an HttpOnly cookie, only its SHA-256 stored, valid for
 * weeks and sliding with use, revocable one device at a time.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { uuidv7 } from 'uuidv7';
import { ApiError } from './api-error.ts';
import { readerOf, type Db } from './db.ts';
import type { Role } from './users.ts';
import type { Actor, AppEnv } from './app-env.ts';

export const SESSION_COOKIE = 'linli_session';
const DAY_MS = 24 * 60 * 60 * 1000;
/** Refresh expiry and last-seen at most this often, so reads do not all become writes. */
const TOUCH_INTERVAL_MS = 60 * 60 * 1000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createSession(
  db: Db,
  userId: string,
  deviceId: string | null,
  sessionDays: number,
  now = Date.now(),
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db
    .insertInto('session')
    .values({
      id: uuidv7(),
      token_hash: hashToken(token),
      user_id: userId,
      device_id: deviceId,
      created_at: now,
      last_seen_at: now,
      expires_at: now + sessionDays * DAY_MS,
      revoked_at: null,
    })
    .execute();
  return token;
}

export function setSessionCookie(c: Context, token: string, sessionDays: number): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    secure: true,
    sameSite: 'Strict',
    path: '/',
    maxAge: sessionDays * 24 * 60 * 60,
  });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true, httpOnly: true, sameSite: 'Strict' });
}

/**
 * Sessions this process found valid in the last SESSION_CACHE_MS, by token hash: a phone
 * syncing sends a request every few hundred milliseconds, and looking its session up each
 * time was half of all the queries PostgreSQL answered under load. Revoking a session,
 * deactivating a user or changing a password here forgets them at once
 * (`forgetSessions`); another server process stops accepting a revoked session within
 * SESSION_CACHE_MS.
 */
export const SESSION_CACHE_MS = 5_000;
const SESSION_CACHE_MAX = 10_000;
interface Recent {
  actor: Actor;
  until: number;
  lastSeenAt: number;
  expiresAt: number;
}
const recentSessions = new WeakMap<Db, { sessions: Map<string, Recent>; generation: number }>();

function recentOf(db: Db): { sessions: Map<string, Recent>; generation: number } {
  let recent = recentSessions.get(db);
  if (!recent) recentSessions.set(db, (recent = { sessions: new Map(), generation: 0 }));
  return recent;
}

/** After a revocation, deactivation or password change: look every session up afresh. */
export function forgetSessions(db: Db): void {
  const recent = recentOf(db);
  recent.sessions.clear();
  // a lookup already reading the database may have read the session before the change
  recent.generation++;
}

async function lookup(db: Db, token: string, sessionDays: number, now: number): Promise<Actor | null> {
  const recent = recentOf(db);
  const hash = hashToken(token);
  const hit = recent.sessions.get(hash);
  if (hit) {
    // a session due its touch (or expired) goes to the database
    if (now < hit.until && now < hit.expiresAt && now - hit.lastSeenAt <= TOUCH_INTERVAL_MS) return hit.actor;
    recent.sessions.delete(hash);
  }
  const generation = recent.generation;
  const found = await lookupInDatabase(db, hash, sessionDays, now);
  if (found && generation === recent.generation) {
    recent.sessions.set(hash, { ...found, until: now + SESSION_CACHE_MS });
    if (recent.sessions.size > SESSION_CACHE_MAX) recent.sessions.delete(recent.sessions.keys().next().value!);
  }
  return found?.actor ?? null;
}

async function lookupInDatabase(db: Db, tokenHash: string, sessionDays: number, now: number): Promise<Omit<Recent, 'until'> | null> {
  // not behind the writer's transaction (readerOf); the rare touch below is a write
  const row = await readerOf(db)
    .selectFrom('session')
    .innerJoin('app_user', 'app_user.id', 'session.user_id')
    .select([
      'session.id as sessionId',
      'session.device_id as deviceId',
      'session.expires_at as expiresAt',
      'session.revoked_at as revokedAt',
      'session.last_seen_at as lastSeenAt',
      'app_user.id as userId',
      'app_user.team_id as teamId',
      'app_user.role as role',
      'app_user.username as username',
      'app_user.name as name',
      'app_user.active as active',
    ])
    .where('session.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row || row.revokedAt !== null || row.expiresAt <= now || !row.active) return null;
  let { lastSeenAt, expiresAt } = row;
  if (now - row.lastSeenAt > TOUCH_INTERVAL_MS) {
    [lastSeenAt, expiresAt] = [now, now + sessionDays * DAY_MS];
    await db.updateTable('session').set({ last_seen_at: lastSeenAt, expires_at: expiresAt }).where('id', '=', row.sessionId).execute();
  }
  return {
    actor: {
      userId: row.userId,
      teamId: row.teamId,
      role: row.role,
      username: row.username,
      name: row.name,
      sessionId: row.sessionId,
      deviceId: row.deviceId,
    },
    lastSeenAt,
    expiresAt,
  };
}

/** Sets `actor` or answers 401. */
export function requireUser(db: Db, sessionDays: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    const actor = token ? await lookup(db, token, sessionDays, Date.now()) : null;
    if (!actor) throw new ApiError(401, 'unauthorized');
    c.set('actor', actor);
    await next();
  };
}

export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!roles.includes(c.get('actor').role)) throw new ApiError(403, 'forbidden');
    await next();
  };
}

export async function revokeSession(db: Db, sessionId: string, now = Date.now()): Promise<void> {
  await db.updateTable('session').set({ revoked_at: now }).where('id', '=', sessionId).execute();
  forgetSessions(db);
}
