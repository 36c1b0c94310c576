/**
 * Who may come in: the first team's setup (once, on an empty database), signing in and out,
 * and `me` — who is signed in, this phone's ticket letter and the team's calendar.
 */
import { Hono, type Context } from 'hono';
import * as z from 'zod/mini';
import { deviceIdSchema } from '../../shared/protocol.ts';
import { text } from '../../shared/schema-kit.ts';
import { ApiError } from '../api-error.ts';
import type { Actor, AppEnv, RouteDeps } from '../app-env.ts';
import type { Db } from '../db.ts';
import { knownPhone, registerDevice } from '../device.ts';
import { attemptFailed, attemptRefused, attemptSucceeded, LOGIN_WINDOW_MS } from '../login-throttle.ts';
import { dummyPasswordHash, verifyPassword } from '../password.ts';
import { clientAddress, readJson, trustedProxies } from '../request.ts';
import { clearSessionCookie, createSession, revokeSession, setSessionCookie } from '../session.ts';
import {
  claimSetup,
  createTeam,
  createUser,
  hasAnyUser,
  passwordSchema,
  SetupDone,
  teamNameSchema,
  personNameSchema,
  regionSchema,
  usernameSchema,
  UserError,
} from '../users.ts';

const loginSchema = z.strictObject({
  username: text(100),
  password: z.string().check(z.maxLength(200, 'v.tooLong')),
  deviceId: z.optional(deviceIdSchema),
});
const setupSchema = z.strictObject({
  teamName: teamNameSchema,
  region: z.optional(regionSchema),
  username: usernameSchema,
  name: personNameSchema,
  password: passwordSchema,
  deviceId: z.optional(deviceIdSchema),
});

/**
 * Who is signed in, this phone's ticket letter, the team's calendar (its days in reports),
 * and the server's time: a phone sets its clock by it at sign-in, before its first record.
 */
async function meBody(db: Db, actor: Actor, timeZone: string, serverTime: number) {
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
    serverTime,
  };
}

export function authRoutes({ db, settings, now, auth }: RouteDeps): Hono<AppEnv> {
  const r = new Hono<AppEnv>();

  const proxies = trustedProxies(settings.trustedProxies);

  /** A session for this user on this phone (the device the server gives it), its cookie, and the `me` answer. */
  const signedIn = async (c: Context<AppEnv>, who: Omit<Actor, 'sessionId'>, status: 200 | 201) => {
    const userAgent = c.req.header('user-agent') ?? '';
    const device = who.deviceId
      ? await registerDevice(db, { id: who.deviceId, teamId: who.teamId, userId: who.userId, userAgent }, now())
      : null;
    const actor = { ...who, deviceId: device?.id ?? null, sessionId: '' };
    const token = await createSession(db, actor.userId, actor.deviceId, settings.sessionDays, now());
    setSessionCookie(c, token, settings.sessionDays);
    return c.json(await meBody(db, actor, settings.timeZone, now()), status);
  };

  /** The first team and its coordinator, in one transaction that only one setup ever commits. */
  const firstTeam = (body: z.infer<typeof setupSchema>) =>
    db.transaction().execute(async (trx) => {
      if (await hasAnyUser(trx)) throw new ApiError(409, 'setup_done');
      // two setups at the same moment both found no user: the second collides on this row
      await claimSetup(trx, now());
      try {
        const team = await createTeam(trx, body.teamName, body.region ?? '', now());
        const user = await createUser(
          trx,
          { teamId: team.id, username: body.username, name: body.name, role: 'coordinator', password: body.password },
          now(),
        );
        return { teamId: team.id, userId: user.id };
      } catch (e) {
        if (e instanceof UserError) {
          throw new ApiError(e.code === 'conflict' ? 409 : 400, e.code === 'conflict' ? 'conflict' : 'validation', { detail: e.message });
        }
        throw e;
      }
    });

  r.get('/setup', async (c) => c.json({ needed: !(await hasAnyUser(db)) }));

  r.post('/setup', async (c) => {
    const body = await readJson(c, setupSchema);
    const created = await firstTeam(body).catch((e: unknown) => {
      throw e instanceof SetupDone ? new ApiError(409, 'setup_done') : e;
    });
    const actor = { ...created, role: 'coordinator' as const, username: body.username, name: body.name, deviceId: body.deviceId ?? null };
    return signedIn(c, actor, 201);
  });

  r.post('/auth/login', async (c) => {
    const body = await readJson(c, loginSchema);
    const username = body.username.trim();
    const user = await db.selectFrom('app_user').selectAll().where('username', '=', username).executeTakeFirst();
    const known = user ? await knownPhone(db, user.id, body.deviceId) : false;
    const attempt = { username: username.toLowerCase(), address: clientAddress(c, proxies), knownPhone: known ? body.deviceId! : null };
    if (await attemptRefused(db, attempt, now())) {
      c.header('Retry-After', String(Math.ceil(LOGIN_WINDOW_MS / 1000)));
      throw new ApiError(429, 'rate_limited');
    }
    const ok = user
      ? await verifyPassword(body.password, user.password_hash)
      : (await verifyPassword(body.password, await dummyPasswordHash()), false);
    if (!user || !ok || !user.active) {
      await attemptFailed(db, attempt, now());
      throw new ApiError(401, 'invalid_credentials');
    }
    await attemptSucceeded(db, attempt);
    const actor = {
      userId: user.id,
      teamId: user.team_id,
      role: user.role,
      username: user.username,
      name: user.name,
      deviceId: body.deviceId ?? null,
    };
    return signedIn(c, actor, 200);
  });

  r.post('/auth/logout', auth, async (c) => {
    await revokeSession(db, c.get('actor').sessionId, now());
    clearSessionCookie(c);
    return c.json({ ok: true });
  });

  r.get('/me', auth, async (c) => c.json(await meBody(db, c.get('actor'), settings.timeZone, now())));
  return r;
}
