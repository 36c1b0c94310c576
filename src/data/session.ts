/**
 * Who is signed in on this phone. The user is kept in meta, so the app opens offline with
 * the last signed-in user; signing out never touches the records or the outbox.
 */
import { liveQuery } from 'dexie';
import type { ErrorBody } from '../shared/protocol.ts';
import { alignClock, deviceId } from './clock.ts';
import { localDb, type SignedInUser } from './db.ts';
import type { Observable } from './observable.ts';

export type { SignedInUser };

export interface SessionState {
  user: SignedInUser | null;
  deviceLetter: string | null;
  authExpired: boolean;
}

interface MeResponse {
  user: SignedInUser;
  device: { id: string; letter: string } | null;
  /** Absent from older servers. */
  serverTime?: number;
}

export class ApiCallError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let uiLocale = 'zh-CN';
/** The UI's language, sent as Accept-Language so the server answers in it. */
export function setApiLocale(locale: string): void {
  uiLocale = locale;
}
export function apiLocale(): string {
  return uiLocale;
}

export async function api<T>(path: string, init?: { method?: string; body?: unknown }): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init?.method ?? 'GET',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'accept-language': uiLocale },
      ...(init?.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
  } catch {
    throw new ApiCallError(0, 'network', '');
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as ErrorBody | null;
    throw new ApiCallError(res.status, body?.error.code ?? 'internal', body?.error.message ?? `HTTP ${res.status}`);
  }
  try {
    return (await res.json()) as T;
  } catch {
    // the connection died while the answer arrived, or what came was not our JSON (a
    // captive portal's page): to the volunteer, the server was not reached
    throw new ApiCallError(0, 'network', '');
  }
}

/** `sentAt`: when the request that answered `me` left, to set this phone's clock by the server's. */
async function remember(me: MeResponse, sentAt: number): Promise<void> {
  const receivedAt = Date.now();
  const db = localDb();
  await db.transaction('rw', db.meta, async () => {
    if (typeof me.serverTime === 'number') await alignClock(db, me.serverTime, sentAt, receivedAt);
    await db.setMeta('user', me.user);
    if (me.device) {
      await db.setMeta('deviceLetter', me.device.letter);
      // the server gave this sign-in a device of its own (this phone's id was another account's)
      await db.setMeta('deviceId', me.device.id);
    }
    await db.setMeta('authExpired', false);
  });
}

export function observeSession(): Observable<SessionState> {
  return liveQuery(async () => {
    const db = localDb();
    return {
      user: (await db.getMeta('user')) ?? null,
      deviceLetter: (await db.getMeta('deviceLetter')) ?? null,
      authExpired: (await db.getMeta('authExpired')) ?? false,
    };
  });
}

export async function setupNeeded(): Promise<boolean> {
  return (await api<{ needed: boolean }>('/api/setup')).needed;
}

export async function setupFirstTeam(input: { teamName: string; region: string; username: string; name: string; password: string }): Promise<void> {
  const body = { ...input, deviceId: await deviceId(localDb()) };
  const sentAt = Date.now();
  await remember(await api<MeResponse>('/api/setup', { method: 'POST', body }), sentAt);
}

export async function signIn(username: string, password: string): Promise<void> {
  const body = { username, password, deviceId: await deviceId(localDb()) };
  const sentAt = Date.now();
  await remember(await api<MeResponse>('/api/auth/login', { method: 'POST', body }), sentAt);
}

/** Refreshes the user from the server when online; offline, the remembered one stands. */
export async function refreshSession(): Promise<void> {
  try {
    const sentAt = Date.now();
    await remember(await api<MeResponse>('/api/me'), sentAt);
  } catch (e) {
    if (e instanceof ApiCallError && e.status === 401 && (await localDb().getMeta('user'))) {
      await localDb().setMeta('authExpired', true);
    }
  }
}

/** Forgets who is signed in. Records and the outbox stay; the caller asked about syncing first. */
export async function signOut(): Promise<void> {
  try {
    await api('/api/auth/logout', { method: 'POST', body: {} });
  } catch {
    // offline or already expired: the cookie is useless to anyone without the server anyway
  }
  const db = localDb();
  await db.transaction('rw', db.meta, async () => {
    await db.setMeta('user', null);
    await db.setMeta('authExpired', false);
  });
}
