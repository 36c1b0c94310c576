/** What each request carries through the Hono middleware chain: the caller's language and who is signed in. */
import type { Locale } from '../shared/i18n/index.ts';
import type { MiddlewareHandler } from 'hono';
import type { AppSettings } from './config.ts';
import type { Db } from './db.ts';
import type { Role } from './users.ts';

/** The signed-in caller, from the session (never from what a phone sends). */
export interface Actor {
  userId: string;
  teamId: string;
  role: Role;
  username: string;
  name: string;
  sessionId: string;
  deviceId: string | null;
}

export interface AppEnv {
  Variables: {
    actor: Actor;
    locale: Locale;
  };
}

/** What every route module is built with. */
export interface RouteDeps {
  db: Db;
  settings: AppSettings;
  /** The server's clock; tests move it. */
  now: () => number;
  /** Sets `actor` from the session, or answers 401. */
  auth: MiddlewareHandler<AppEnv>;
}
