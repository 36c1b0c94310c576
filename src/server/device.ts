/**
 * Devices of a team: each phone gets a letter for its repair ticket numbers (`B-017`), so
 * phones taking items in offline at the same event never hand out the same number; and each
 * push records when the device last handed in and how much it still held (the hand-in check).
 */
import { randomBytes } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { localDay } from '../shared/due.ts';
import type { HeldRecord } from '../shared/protocol.ts';
import type { Role } from '../shared/roles.ts';
import type { Db, Schema } from './db.ts';

/** A, B, … Z, AA, AB, … — the n-th letter code (0-based). */
export function letterFor(n: number): string {
  let s = '';
  let k = n;
  do {
    s = String.fromCharCode(65 + (k % 26)) + s;
    k = Math.floor(k / 26) - 1;
  } while (k >= 0);
  return s;
}

/**
 * The device a sign-in is on, and its letter in the team. A device belongs to one user of one
 * team: the phone's own id where it is theirs (or not known yet), else a new id — a sign-in
 * with another account's device id never moves that device (its team's coordinator could no
 * longer revoke it) — and the phone takes the id it is given. Letters are handed out in
 * order; a retry covers two first sights at once.
 */
export async function registerDevice(
  db: Db,
  d: { id: string; teamId: string; userId: string; userAgent: string },
  now = Date.now(),
): Promise<{ id: string; letter: string }> {
  const existing = await db.selectFrom('device').select(['letter', 'team_id', 'user_id']).where('id', '=', d.id).executeTakeFirst();
  if (existing && existing.team_id === d.teamId && existing.user_id === d.userId) {
    await db
      .updateTable('device')
      .set({ user_agent: d.userAgent.slice(0, 200) })
      .where('id', '=', d.id)
      .execute();
    return { id: d.id, letter: existing.letter };
  }
  const id = existing ? randomBytes(8).toString('hex') : d.id;
  for (let attempt = 0; ; attempt++) {
    const { count } = await db
      .selectFrom('device')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('team_id', '=', d.teamId)
      .executeTakeFirstOrThrow();
    const letter = letterFor(Number(count) + attempt);
    try {
      await db
        .insertInto('device')
        .values({
          id,
          team_id: d.teamId,
          user_id: d.userId,
          letter,
          user_agent: d.userAgent.slice(0, 200),
          app_version: '',
          first_seen_at: now,
          last_sync_at: null,
          pending: 0,
          held: '[]',
        })
        .execute();
      return { id, letter };
    } catch (e) {
      if (attempt === 4) throw e;
    }
  }
}

/** Is this the device id of a phone this user has signed in from before? */
export async function knownPhone(db: Db, userId: string, deviceId: string | undefined): Promise<boolean> {
  if (!deviceId) return false;
  return (
    (await db.selectFrom('device').select('id').where('id', '=', deviceId).where('user_id', '=', userId).executeTakeFirst()) !== undefined
  );
}

/** One push's hand-in: which phone, when, and what it still held. */
export interface HandIn {
  id: string;
  teamId: string;
  appVersion: string | undefined;
  pending: number | undefined;
  held?: HeldRecord[] | undefined;
  at: number;
}

/**
 * Each pushing device's hand-in: when it last handed in, and what it still held then (a phone
 * pushing twice at once counts by its later push). One statement for the lot.
 */
export async function recordHandIns(db: Db | Transaction<Schema>, handIns: readonly HandIn[]): Promise<void> {
  const last = new Map(handIns.map((d) => [d.id, d]));
  if (last.size === 0) return;
  // column1… are the names both databases give a VALUES list's columns
  const values = sql.join(
    [...last.values()].map(
      (d) =>
        sql`(cast(${d.id} as text), cast(${d.teamId} as text), cast(${d.at} as bigint), cast(${d.pending ?? null} as integer), cast(${d.appVersion ?? null} as text), cast(${heldText(d)} as text))`,
    ),
  );
  await sql`update device set last_sync_at = v.column3, pending = coalesce(v.column4, device.pending), app_version = coalesce(v.column5, device.app_version),
    held = coalesce(v.column6, device.held)
    from (values ${values}) as v where device.id = v.column1 and device.team_id = v.column2`.execute(db);
}

/** What a push says the phone still holds: its list, or none when it holds nothing; unknown (kept as was) when it did not say. */
function heldText(d: HandIn): string | null {
  if (d.held) return JSON.stringify(d.held);
  return d.pending === 0 ? '[]' : null;
}

/** A pull moves the phone's last sync at most this often: a first sync's hundred pages are one write, not a hundred. */
export const PULL_HAND_IN_EVERY_MS = 60_000;

/**
 * A pull that answered is a sync that succeeded: the phone's last sync, even when it had
 * nothing to push (a phone that only pulled is not one to chase). Read first, so the
 * pages of one sync do not each take the database's write lock.
 */
export async function recordPull(db: Db, deviceId: string | null, teamId: string, at: number): Promise<void> {
  if (!deviceId) return;
  const device = await db
    .selectFrom('device')
    .select('last_sync_at')
    .where('id', '=', deviceId)
    .where('team_id', '=', teamId)
    .executeTakeFirst();
  if (!device || (device.last_sync_at !== null && at - Number(device.last_sync_at) < PULL_HAND_IN_EVERY_MS)) return;
  await db.updateTable('device').set({ last_sync_at: at }).where('id', '=', deviceId).where('team_id', '=', teamId).execute();
}

export interface HandInRow {
  id: string;
  letter: string;
  userId: string;
  username: string;
  userName: string;
  /** The phone's user's role: who may sign it out (a coordinator, only volunteers' phones). */
  role: Role;
  appVersion: string;
  userAgent: string;
  firstSeenAt: number;
  lastSyncAt: number | null;
  /** Records the phone still held after its last push. */
  pending: number;
  /** Which ones, as the phone described them (at most MAX_HELD_LISTED). */
  held: HeldRecord[];
  activeSessions: number;
  /** Synced today, in the team's calendar. */
  syncedToday: boolean;
  /** The phones to chase: it never synced, or it still held records at its last sync. */
  warning: boolean;
}

function parseHeld(text: string): HeldRecord[] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? (v as HeldRecord[]) : [];
  } catch {
    return [];
  }
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
      'app_user.role as role',
      'device.app_version as appVersion',
      'device.user_agent as userAgent',
      'device.first_seen_at as firstSeenAt',
      'device.last_sync_at as lastSyncAt',
      'device.pending as pending',
      'device.held as held',
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
  const today = localDay(now, timeZone);
  const rows = devices.map((d) => {
    const lastSyncAt = d.lastSyncAt === null ? null : Number(d.lastSyncAt);
    const pending = Number(d.pending);
    return {
      ...d,
      firstSeenAt: Number(d.firstSeenAt),
      lastSyncAt,
      pending,
      held: pending > 0 ? parseHeld(d.held) : [],
      activeSessions: active.get(d.id) ?? 0,
      syncedToday: lastSyncAt !== null && localDay(lastSyncAt, timeZone) === today,
      warning: lastSyncAt === null || pending > 0,
    };
  });
  // the phones to chase first: warnings, then the longest silent
  rows.sort(
    (a, b) => Number(b.warning) - Number(a.warning) || (a.lastSyncAt ?? 0) - (b.lastSyncAt ?? 0) || a.letter.localeCompare(b.letter),
  );
  return rows;
}
