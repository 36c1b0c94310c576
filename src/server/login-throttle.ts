/**
 * Login throttling and lockout, kept in the database so that every server process enforces
 * the same limits: after repeated failures a username is locked for a while, and an address
 * that tries many usernames is slowed down too. A successful sign-in clears the username's count.
 */
import type { Db } from './db.ts';

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_USERNAME = 10;
export const MAX_FAILURES_PER_IP = 50;

export async function loginBlocked(db: Db, username: string, ip: string, now: number): Promise<boolean> {
  const since = now - LOGIN_WINDOW_MS;
  const [byUser, byIp] = await Promise.all([
    db
      .selectFrom('login_failure')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('username', '=', username)
      .where('at', '>', since)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('login_failure')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('ip', '=', ip)
      .where('at', '>', since)
      .executeTakeFirstOrThrow(),
  ]);
  return Number(byUser.n) >= MAX_FAILURES_PER_USERNAME || Number(byIp.n) >= MAX_FAILURES_PER_IP;
}

export async function recordLoginFailure(db: Db, username: string, ip: string, now: number): Promise<void> {
  await db.insertInto('login_failure').values({ username, ip, at: now }).execute();
  await db
    .deleteFrom('login_failure')
    .where('at', '<', now - 24 * 60 * 60 * 1000)
    .execute();
}

export async function clearLoginFailures(db: Db, username: string): Promise<void> {
  await db.deleteFrom('login_failure').where('username', '=', username).execute();
}
