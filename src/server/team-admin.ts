/**
 * The coordinator's people and devices: the hand-in check (every phone of the team, when it
 * last handed in and what it still held), adding volunteers, resetting a password,
 * deactivating someone, and revoking a lost phone's sign-in. Revoking never deletes a record
 * on the server; every change here is written to the audit log.
 *
 * A coordinator acts on their own team; an admin on any team (`?team=`).
 */
import type { Context, Hono, MiddlewareHandler } from 'hono';
import * as z from 'zod/mini';
import { ApiError } from './api-error.ts';
import type { AppEnv } from './app-env.ts';
import type { Db } from './db.ts';
import { hashPassword } from './password.ts';
import { createUser, passwordSchema, usernameSchema, UserError } from './users.ts';
import { forgetSessions } from './session.ts';

const newUserSchema = z.strictObject({
  username: usernameSchema,
  name: z.string().check(z.trim(), z.minLength(1, 'v.required'), z.maxLength(60, 'v.tooLong')),
  role: z.enum(['volunteer', 'coordinator'], 'v.choice'),
  password: passwordSchema,
});
const passwordBodySchema = z.strictObject({ password: passwordSchema });
const activeBodySchema = z.strictObject({ active: z.boolean('v.type') });

export interface HandInRow {
  id: string;
  letter: string;
  userId: string;
  username: string;
  userName: string;
  appVersion: string;
  userAgent: string;
  firstSeenAt: number;
  lastSyncAt: number | null;
  /** Records the phone still held after its last push. */
  pending: number;
  activeSessions: number;
  /** Not synced today (in the team's time zone), or still holding records. */
  warning: boolean;
}

/** The calendar day of `ms` in `timeZone`, YYYY-MM-DD. */
function dayIn(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
}

export async function handInCheck(db: Db, teamId: string, now: number, timeZone: string): Promise<HandInRow[]> {
  const devices = await db
    .selectFrom('device')
    .innerJoin('app_user', 'app_user.id', 'device.user_id')
    .select([
      'device.id as id',
      'device.letter as letter',
      'device.user_id as userId',
      'app_user.username as username',
      'app_user.name as userName',
      'device.app_version as appVersion',
      'device.user_agent as userAgent',
      'device.first_seen_at as firstSeenAt',
      'device.last_sync_at as lastSyncAt',
      'device.pending as pending',
    ])
    .where('device.team_id', '=', teamId)
    .execute();
  const sessions = await db
    .selectFrom('session')
    .select(['device_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .where('device_id', 'in', devices.length ? devices.map((d) => d.id) : ['-'])
    .groupBy('device_id')
    .execute();
  const active = new Map(sessions.map((s) => [s.device_id, Number(s.n)]));
  const today = dayIn(now, timeZone);
  const rows = devices.map((d) => {
    const lastSyncAt = d.lastSyncAt === null ? null : Number(d.lastSyncAt);
    const pending = Number(d.pending);
    return {
      ...d,
      firstSeenAt: Number(d.firstSeenAt),
      lastSyncAt,
      pending,
      activeSessions: active.get(d.id) ?? 0,
      warning: lastSyncAt === null || dayIn(lastSyncAt, timeZone) !== today || pending > 0,
    };
  });
  // the phones to chase first: warnings, then the longest silent
  rows.sort(
    (a, b) => Number(b.warning) - Number(a.warning) || (a.lastSyncAt ?? 0) - (b.lastSyncAt ?? 0) || a.letter.localeCompare(b.letter),
  );
  return rows;
}

interface Deps {
  db: Db;
  auth: MiddlewareHandler<AppEnv>;
  now: () => number;
  timeZone: string;
  teamInScope: (c: Context<AppEnv>) => string;
  readJson: <T>(c: Context<AppEnv>, schema: z.ZodMiniType<T>) => Promise<T>;
}

export function registerTeamRoutes(app: Hono<AppEnv>, { db, auth, now, timeZone, teamInScope, readJson }: Deps): void {
  const coordinatorOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
    const role = c.get('actor').role;
    if (role !== 'coordinator' && role !== 'admin') throw new ApiError(403, 'forbidden');
    await next();
  };
  const audit = (c: Context<AppEnv>, teamId: string, action: string, detail: Record<string, unknown>) =>
    db
      .insertInto('audit')
      .values({ at: now(), user_id: c.get('actor').userId, team_id: teamId, action, detail: JSON.stringify(detail) })
      .execute();
  /** A user of the team in scope, or 404 — never a hint that another team's user exists. */
  const userInTeam = async (c: Context<AppEnv>) => {
    const teamId = teamInScope(c);
    const id = c.req.param('id') ?? '';
    const user = await db
      .selectFrom('app_user')
      .select(['id', 'role', 'username'])
      .where('id', '=', id)
      .where('team_id', '=', teamId)
      .executeTakeFirst();
    if (!user) throw new ApiError(404, 'not_found');
    // a coordinator does not manage admins
    if (user.role === 'admin' && c.get('actor').role !== 'admin') throw new ApiError(403, 'forbidden');
    return { teamId, user };
  };
  const revokeUserSessions = async (userId: string) => {
    const r = await db
      .updateTable('session')
      .set({ revoked_at: now() })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    forgetSessions(db);
    return r;
  };

  app.get('/api/team/devices', auth, coordinatorOnly, async (c) => {
    return c.json({ devices: await handInCheck(db, teamInScope(c), now(), timeZone), now: now() });
  });

  app.post('/api/team/devices/:id/revoke', auth, coordinatorOnly, async (c) => {
    const teamId = teamInScope(c);
    const device = await db
      .selectFrom('device')
      .select(['id', 'letter'])
      .where('id', '=', c.req.param('id'))
      .where('team_id', '=', teamId)
      .executeTakeFirst();
    if (!device) throw new ApiError(404, 'not_found');
    const result = await db
      .updateTable('session')
      .set({ revoked_at: now() })
      .where('device_id', '=', device.id)
      .where('revoked_at', 'is', null)
      .where('user_id', 'in', db.selectFrom('app_user').select('id').where('team_id', '=', teamId))
      .executeTakeFirst();
    forgetSessions(db);
    const revoked = Number(result.numUpdatedRows);
    await audit(c, teamId, 'session.revoke', { deviceId: device.id, letter: device.letter, sessions: revoked });
    return c.json({ revoked });
  });

  app.get('/api/team/users', auth, coordinatorOnly, async (c) => {
    const teamId = teamInScope(c);
    const users = await db
      .selectFrom('app_user')
      .select(['id', 'username', 'name', 'role', 'active', 'created_at'])
      .where('team_id', '=', teamId)
      .orderBy('username')
      .execute();
    return c.json({
      users: users.map((u) => ({
        id: u.id,
        username: u.username,
        name: u.name,
        role: u.role,
        active: Boolean(u.active),
        createdAt: Number(u.created_at),
      })),
    });
  });

  app.post('/api/team/users', auth, coordinatorOnly, async (c) => {
    const teamId = teamInScope(c);
    const body = await readJson(c, newUserSchema);
    try {
      const { id } = await createUser(db, { teamId, ...body }, now());
      await audit(c, teamId, 'user.add', { userId: id, username: body.username, role: body.role });
      return c.json({ id }, 201);
    } catch (e) {
      if (e instanceof UserError && e.code === 'conflict') throw new ApiError(409, 'conflict');
      throw e;
    }
  });

  app.post('/api/team/users/:id/password', auth, coordinatorOnly, async (c) => {
    const { teamId, user } = await userInTeam(c);
    const { password } = await readJson(c, passwordBodySchema);
    await db
      .updateTable('app_user')
      .set({ password_hash: await hashPassword(password) })
      .where('id', '=', user.id)
      .execute();
    // whoever knew the old password is signed out everywhere
    const r = await revokeUserSessions(user.id);
    await audit(c, teamId, 'user.password', { userId: user.id, sessionsRevoked: Number(r.numUpdatedRows) });
    return c.json({ ok: true });
  });

  app.post('/api/team/users/:id/active', auth, coordinatorOnly, async (c) => {
    const { teamId, user } = await userInTeam(c);
    const { active } = await readJson(c, activeBodySchema);
    if (!active && user.id === c.get('actor').userId) throw new ApiError(409, 'conflict');
    await db
      .updateTable('app_user')
      .set({ active: active ? 1 : 0 })
      .where('id', '=', user.id)
      .execute();
    const r = active ? { numUpdatedRows: 0n } : await revokeUserSessions(user.id);
    await audit(c, teamId, active ? 'user.activate' : 'user.deactivate', { userId: user.id, sessionsRevoked: Number(r.numUpdatedRows) });
    return c.json({ ok: true });
  });
}
