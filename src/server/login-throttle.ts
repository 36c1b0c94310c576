/**
 * Sign-in limits, in the database so every server process enforces the same ones, and
 * counted atomically — every attempt is counted before its password is checked, by one
 * upsert that returns the new count, so forty wrong passwords sent at once count forty:
 *
 * - an account: after MAX_PER_ACCOUNT tries in the window, no more from phones the account
 *   has not signed in from before;
 * - an account on a phone it signed in from before (its device id): limited on its own, so an
 *   attacker guessing the password elsewhere never locks the volunteer out of their own phone;
 * - an address: past MAX_PER_ADDRESS failures, an account that already failed in the window
 *   waits; an account's first try still goes through — a repair day's shared Wi-Fi, or
 *   carrier NAT, is never a switch that locks everyone behind it out.
 *
 * A successful sign-in clears the account's and the phone's counts (not the address's).
 */
import { sql } from 'kysely';
import type { Db } from './db.ts';

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_PER_ACCOUNT = 10;
export const MAX_PER_KNOWN_PHONE = 10;
export const MAX_PER_ADDRESS = 50;

/** Counts one attempt on `key` and returns the count in the current window (a window that ended starts again at 1). */
async function count(db: Db, key: string, now: number): Promise<number> {
  const since = now - LOGIN_WINDOW_MS;
  const row = await sql<{ attempts: number | string }>`
    insert into login_attempt (key, window_start, attempts) values (${key}, ${now}, 1)
    on conflict (key) do update set
      attempts = case when login_attempt.window_start <= ${since} then 1 else login_attempt.attempts + 1 end,
      window_start = case when login_attempt.window_start <= ${since} then ${now} else login_attempt.window_start end
    returning attempts`.execute(db);
  return Number(row.rows[0]?.attempts ?? 1);
}

export interface Attempt {
  username: string;
  address: string;
  /** The phone's device id, when it has signed this account in before. */
  knownPhone: string | null;
}

const keys = (a: Attempt) => ({ account: `u:${a.username}`, phone: `d:${a.username}:${a.knownPhone}`, address: `a:${a.address}` });

/** Counts the attempt; true when it must be refused (429) without checking the password. */
export async function attemptRefused(db: Db, a: Attempt, now: number): Promise<boolean> {
  const k = keys(a);
  if (a.knownPhone) return (await count(db, k.phone, now)) > MAX_PER_KNOWN_PHONE;
  const account = await count(db, k.account, now);
  if (account > MAX_PER_ACCOUNT) return true;
  // the account tried before in this window (a success would have cleared it): an address
  // that many failed from now slows it
  if (account === 1) return false;
  const address = await db.selectFrom('login_attempt').select(['attempts', 'window_start']).where('key', '=', k.address).executeTakeFirst();
  return address !== undefined && Number(address.window_start) > now - LOGIN_WINDOW_MS && Number(address.attempts) >= MAX_PER_ADDRESS;
}

/** A wrong password (or no such account): the address's failures grow. */
export async function attemptFailed(db: Db, a: Attempt, now: number): Promise<void> {
  await count(db, keys(a).address, now);
}

/** The right password: the account's and the phone's counts start again. */
export async function attemptSucceeded(db: Db, a: Attempt): Promise<void> {
  const k = keys(a);
  await db.deleteFrom('login_attempt').where('key', 'in', [k.account, k.phone]).execute();
  // now and then, the windows long over
  if (Math.random() < 0.05)
    await db
      .deleteFrom('login_attempt')
      .where('window_start', '<', Date.now() - 2 * LOGIN_WINDOW_MS)
      .execute();
}
