/**
 * The coordinator's people and devices: the hand-in check (every phone of the team, when it
 * last handed in and what it still held), adding volunteers, resetting a password,
 * deactivating someone, and revoking a lost phone's sign-in. Revoking never deletes a record
 * on the server; every change here is written to the audit log. A coordinator acts on their
 * own team; an admin on any team (`?team=`), and lists the teams to choose from.
 */
import { Hono, type Context } from 'hono';
import * as z from 'zod/mini';
import { ApiError } from '../api-error.ts';
import type { AppEnv, RouteDeps } from '../app-env.ts';
import { handInCheck } from '../device.ts';
import { hashPassword } from '../password.ts';
import { readJson } from '../request.ts';
import { manages } from '../../shared/roles.ts';
import { coordinatorOnly, teamInScope } from '../scope.ts';
import { forgetSessions } from '../session.ts';
import { createUser, passwordSchema, personNameSchema, usernameSchema, UserError } from '../users.ts';

const newUserSchema = z.strictObject({
  username: usernameSchema,
  name: personNameSchema,
  role: z.enum(['volunteer', 'coordinator'], 'v.choice'),
  password: passwordSchema,
});
const passwordBodySchema = z.strictObject({ password: passwordSchema });
const activeBodySchema = z.strictObject({ active: z.boolean('v.type') });

export function teamRoutes({ db, settings, now, auth }: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const audit = (c: Context<AppEnv>, teamId: string, action: string, detail: Record<string, unknown>) =>
    db
      .insertInto('audit')
      .values({ at: now(), user_id: c.get('actor').userId, team_id: teamId, action, detail: JSON.stringify(detail) })
      .execute();
  /** A user of the team in scope, or 404 — never a hint that another team's user exists. */
  const userInTeam = async (c: Context<AppEnv>) => {
    const teamId = await teamInScope(c, db);
    const id = c.req.param('id') ?? '';
    const user = await db
      .selectFrom('app_user')
      .select(['id', 'role', 'username'])
      .where('id', '=', id)
      .where('team_id', '=', teamId)
      .executeTakeFirst();
    if (!user) throw new ApiError(404, 'not_found');
    if (!manages(c.get('actor').role, user.role)) throw new ApiError(403, 'forbidden');
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

  app.get('/team/devices', auth, coordinatorOnly, async (c) => {
    return c.json({ devices: await handInCheck(db, await teamInScope(c, db), now(), settings.timeZone), now: now() });
  });

  app.post('/team/devices/:id/revoke', auth, coordinatorOnly, async (c) => {
    const teamId = await teamInScope(c, db);
    const device = await db
      .selectFrom('device')
      .innerJoin('app_user', 'app_user.id', 'device.user_id')
      .select(['device.id as id', 'device.letter as letter', 'app_user.role as role'])
      .where('device.id', '=', c.req.param('id'))
      .where('device.team_id', '=', teamId)
      .executeTakeFirst();
    if (!device) throw new ApiError(404, 'not_found');
    // a coordinator signs out the team's volunteers' phones, not another coordinator's
    if (!manages(c.get('actor').role, device.role)) throw new ApiError(403, 'forbidden');
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

  app.get('/team/users', auth, coordinatorOnly, async (c) => {
    const teamId = await teamInScope(c, db);
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

  app.post('/team/users', auth, coordinatorOnly, async (c) => {
    const teamId = await teamInScope(c, db);
    const body = await readJson(c, newUserSchema);
    if (!manages(c.get('actor').role, body.role)) throw new ApiError(403, 'forbidden');
    try {
      const { id } = await createUser(db, { teamId, ...body }, now());
      await audit(c, teamId, 'user.add', { userId: id, username: body.username, role: body.role });
      return c.json({ id }, 201);
    } catch (e) {
      if (e instanceof UserError && e.code === 'conflict') throw new ApiError(409, 'conflict');
      throw e;
    }
  });

  app.post('/team/users/:id/password', auth, coordinatorOnly, async (c) => {
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

  app.post('/team/users/:id/active', auth, coordinatorOnly, async (c) => {
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

  // An admin sees every team: the list to choose from.
  app.get('/teams', auth, async (c) => {
    if (c.get('actor').role !== 'admin') throw new ApiError(403, 'forbidden');
    const teams = await db.selectFrom('team').select(['id', 'name', 'region']).orderBy('name').execute();
    return c.json({ teams });
  });
  return app;
}
