/** The server's settings, all from the environment (see README "Settings"). */
import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** PostgreSQL schema (search_path) to keep Linli's tables in; the server's default if unset. */
  pgSchema: string | undefined;
  staticDir: string;
  /** Weeks, because a volunteer may be offline all day and must not lose the sign-in. */
  sessionDays: number;
  /** Origins allowed to make state-changing requests besides the server's own. */
  trustedOrigins: string[];
  /** Set when TLS terminates in front of Linli, to send HSTS. */
  hsts: boolean;
  logRequests: boolean;
  /** What repair exports say about where the data comes from (ORDS `country`, `data_provider`). */
  exportCountry: string;
  exportDataProvider: string;
  /** Where the teams are: a home repair with no event is dated by its creation in this zone. */
  timeZone: string;
  /** The proxies in front of Linli whose X-Forwarded-For is believed (addresses or networks). */
  trustedProxies: string[];
}

/** The team's calendar when LINLI_TIMEZONE is not set: where Linli's teams are. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
export const DEFAULT_COUNTRY = 'CHN';
export const DEFAULT_DATA_PROVIDER = 'Linli';

/** What the app itself reads of the settings (createApp); the rest is the process's. */
export type AppSettings = Pick<
  Config,
  | 'sessionDays'
  | 'staticDir'
  | 'trustedOrigins'
  | 'hsts'
  | 'logRequests'
  | 'exportCountry'
  | 'exportDataProvider'
  | 'timeZone'
  | 'trustedProxies'
>;

/** The app's settings where a caller (a test) gave only some: the same defaults as `loadConfig`. */
export function appSettings(
  given: Omit<AppSettings, 'exportCountry' | 'exportDataProvider' | 'timeZone' | 'trustedProxies'> & Partial<AppSettings>,
): AppSettings {
  return {
    ...given,
    exportCountry: given.exportCountry ?? DEFAULT_COUNTRY,
    exportDataProvider: given.exportDataProvider ?? DEFAULT_DATA_PROVIDER,
    timeZone: given.timeZone ?? DEFAULT_TIME_ZONE,
    trustedProxies: given.trustedProxies ?? [],
  };
}

function pgSchema(v: string | undefined): string | undefined {
  if (!v) return undefined;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(v)) throw new Error(`LINLI_PG_SCHEMA must be a plain lower-case identifier, not ${v}`);
  return v;
}

function country(v: string | undefined): string {
  if (!v) return DEFAULT_COUNTRY;
  if (!/^[A-Z]{3}$/.test(v)) throw new Error(`LINLI_COUNTRY must be an ISO 3166 alpha-3 code such as CHN, not ${v}`);
  return v;
}

function timeZone(v: string | undefined): string {
  const zone = v || DEFAULT_TIME_ZONE;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new Error(`LINLI_TIMEZONE must be an IANA time zone such as Asia/Shanghai, not ${v}`);
  }
  return zone;
}

/** LINLI_TRUSTED_PROXIES (addresses, networks), or LINLI_TRUST_PROXY=1: a proxy on this machine. */
function proxies(env: NodeJS.ProcessEnv): string[] {
  const list = (env.LINLI_TRUSTED_PROXIES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return env.LINLI_TRUST_PROXY === '1' ? [...list, '127.0.0.1', '::1'] : list;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not ${env.PORT}`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: path.resolve(env.LINLI_DATA_DIR ?? 'data'),
    databaseUrl: env.DATABASE_URL || undefined,
    pgSchema: pgSchema(env.LINLI_PG_SCHEMA),
    staticDir: path.resolve(env.LINLI_STATIC_DIR ?? 'dist'),
    sessionDays: Number(env.LINLI_SESSION_DAYS ?? 60),
    trustedOrigins: (env.LINLI_TRUSTED_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    hsts: env.LINLI_HSTS === '1',
    logRequests: env.LINLI_LOG_REQUESTS !== '0',
    exportCountry: country(env.LINLI_COUNTRY),
    exportDataProvider: env.LINLI_DATA_PROVIDER?.trim() || DEFAULT_DATA_PROVIDER,
    timeZone: timeZone(env.LINLI_TIMEZONE),
    trustedProxies: proxies(env),
  };
}
