/**
 * The server's database: table types, and a Kysely instance over SQLite (default, a file
 * under the data dir) or PostgreSQL (when a URL is given). Both run the same migrations and
 * the same queries; the few places that differ ask `dialectOf(db)`.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, type Generated } from 'kysely';
import pg from 'pg';
import type {
  EventFact,
  HealthFact,
  HouseholdFact,
  NeedFact,
  NeedLogFact,
  TicketFact,
  VisitFact,
  RedemptionFact,
  ServiceFact,
  CertificateFact,
  RequestFact,
  AskPageFact,
} from '../shared/report-facts.ts';

export interface TeamTable {
  id: string;
  name: string;
  region: string;
  created_at: number;
}
export interface UserTable {
  id: string;
  team_id: string;
  username: string;
  name: string;
  role: 'volunteer' | 'coordinator' | 'admin';
  password_hash: string;
  active: number;
  created_at: number;
}
export interface SessionTable {
  id: string;
  token_hash: string;
  user_id: string;
  device_id: string | null;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  revoked_at: number | null;
}
export interface DeviceTable {
  id: string;
  team_id: string;
  user_id: string;
  letter: string;
  user_agent: string;
  app_version: string;
  first_seen_at: number;
  last_sync_at: number | null;
  pending: number;
  /** JSON: the records the phone listed as still unsynced at its last push (HeldRecord[]). */
  held: string;
}
/** A household merged into another (one dwelling registered twice): its report rows count for `into_id`. */
export interface HouseholdMergeTable {
  from_id: string;
  into_id: string;
  team_id: string;
}
export interface TeamSeqTable {
  team_id: string;
  seq: number;
}
export interface RecordTable {
  row_id: string;
  type: string;
  team_id: string;
  fields: string;
  clocks: string;
  seq: number;
  updated_at: number;
  /**
   * The device whose push wrote this state exactly as it sent it — every field at that
   * mutation's clock, with that mutation's value — else null: that phone already holds the
   * row, and its pull gets a stub in its place (pull.ts). Every write sets it.
   */
  echo_device: string | null;
}
export interface AppliedMutationTable {
  id: string;
  row_id: string;
  device_id: string;
  applied_at: number;
  /** The account whose session handed it in (null for changes applied before this was kept). */
  user_id: string | null;
}
export interface LoginFailureTable {
  id: Generated<number>;
  username: string;
  ip: string;
  at: number;
}
/** Sign-in attempts per key (an account, an address, an account on a known phone) in the current window, counted atomically. */
export interface LoginAttemptTable {
  key: string;
  window_start: number;
  attempts: number;
}
/** The one row that says the first team was set up: a second setup, even at the same moment, collides on it. */
export interface SetupClaimTable {
  id: number;
  at: number;
}
/** A row whose first change the server refused: later changes to it are refused too (no half rows). */
export interface RefusedRowTable {
  row_id: string;
  team_id: string;
  code: string;
  at: number;
}
/** Every threshold set a team's coordinators have set, by version: a check names the one it was judged with. */
export interface ThresholdSetTable {
  team_id: string;
  version: string;
  vals: string;
  first_seen: number;
}
/** Public requests counted per address and per phone number, in windows (ask.ts). */
export interface AskLimitTable {
  key: string;
  window_start: number;
  count: number;
}
/** A request's status link: the token's hash (the token itself is only ever the resident's). */
export interface RequestTokenTable {
  token_hash: string;
  row_id: string;
  team_id: string;
}
export interface AuditTable {
  id: Generated<number>;
  at: number;
  user_id: string | null;
  team_id: string | null;
  action: string;
  detail: string;
}

/** Report tables (facts.ts): typed copies of what the dashboard aggregates, row types from `shared/report-facts.ts`. */
export type HouseholdFactTable = HouseholdFact;
export type VisitFactTable = VisitFact;
export type NeedFactTable = NeedFact;
export type HealthFactTable = HealthFact;
export type EventFactTable = EventFact;
export type TicketFactTable = TicketFact;

export interface Schema {
  team: TeamTable;
  app_user: UserTable;
  session: SessionTable;
  device: DeviceTable;
  team_seq: TeamSeqTable;
  household_merge: HouseholdMergeTable;
  record: RecordTable;
  applied_mutation: AppliedMutationTable;
  audit: AuditTable;
  login_failure: LoginFailureTable;
  login_attempt: LoginAttemptTable;
  setup_claim: SetupClaimTable;
  refused_row: RefusedRowTable;
  threshold_set: ThresholdSetTable;
  household_fact: HouseholdFactTable;
  visit_fact: VisitFactTable;
  need_fact: NeedFactTable;
  need_log_fact: NeedLogFact;
  health_fact: HealthFactTable;
  event_fact: EventFactTable;
  ticket_fact: TicketFactTable;
  service_fact: ServiceFact;
  redemption_fact: RedemptionFact;
  certificate_fact: CertificateFact;
  request_fact: RequestFact;
  ask_page_fact: AskPageFact;
  ask_limit: AskLimitTable;
  request_token: RequestTokenTable;
}

export type Db = Kysely<Schema>;
export type Dialect = 'sqlite' | 'postgres';

/** Works for a transaction's Kysely too, which is a different object from the pool's. */
export function dialectOf(db: Kysely<never> | Kysely<Schema> | Kysely<unknown>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

// int8 (bigint) comes back from pg as a string; every bigint here is a millisecond time or a
// counter far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  /** PostgreSQL schema to work in (tests give each run its own). */
  pgSchema?: string | undefined;
}

export function openDatabase(opts: DatabaseOptions): Db {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: Number(process.env.LINLI_PG_POOL ?? 10),
      ...(opts.pgSchema ? { options: `-c search_path=${opts.pgSchema}` } : {}),
    });
    const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
    return db;
  }
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const sqlite = new Database(path.join(opts.dataDir, 'linli.sqlite'));
  // WAL: readers never wait for the writer. synchronous=FULL: a sync response is only sent
  // after its transaction is on disk, so an acknowledged record survives a power cut — the
  // device deletes its outbox copy on that acknowledgement.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  // A second connection, read-only, for reads that must not queue behind the writer's
  // transaction: one connection runs one thing at a time, so a phone's session lookup waited
  // for whole group commits (seconds, when a district's first pushes all arrive at once).
  // WAL lets it read the last commit while a write is in progress.
  const reading = new Database(path.join(opts.dataDir, 'linli.sqlite'), { readonly: true });
  reading.pragma('busy_timeout = 5000');
  const reader = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(reading) }) });
  readers.set(db, reader);
  const destroy = db.destroy.bind(db);
  db.destroy = async () => {
    await reader.destroy();
    await destroy();
  };
  return db;
}

const readers = new WeakMap<Db, Db>();

/**
 * Where to run a read that needs only what is committed (a session lookup, a pull page):
 * on SQLite the read-only connection beside the writer, on PostgreSQL the pool itself.
 */
export function readerOf(db: Db): Db {
  return readers.get(db) ?? db;
}

const STATEMENT_CACHE = 200;

/**
 * Kysely's SQLite driver prepares every query anew; the server runs the same few hundred
 * statements all day. Prepared statements are kept by their SQL text (least recently used
 * dropped first). A statement is only used by one query at a time: better-sqlite3 runs each
 * to completion synchronously.
 */
function withStatementCache(sqlite: Database.Database): Database.Database {
  const cache = new Map<string, Database.Statement>();
  const prepare = sqlite.prepare.bind(sqlite);
  return new Proxy(sqlite, {
    get(target, prop, receiver) {
      if (prop !== 'prepare') {
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      }
      return (source: string) => {
        let stmt = cache.get(source);
        if (stmt) {
          cache.delete(source);
        } else {
          stmt = prepare(source);
          if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value!);
        }
        cache.set(source, stmt);
        return stmt;
      };
    },
  });
}
