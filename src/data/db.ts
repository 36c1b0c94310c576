/**
 * The device's one IndexedDB database (Dexie 4): a table per record type, the outbox of
 * mutations not yet acknowledged by the server, the mutations the server refused, and meta
 * (device id, HLC state, pull cursor, signed-in user, sync state).
 *
 * Only modules in `src/data` touch it; the UI goes through the repositories.
 */
import { Dexie, type EntityTable, type Table } from 'dexie';
import { addressKey, dwellingKey, householdTerms } from '../shared/address.ts';
import type { HlcState } from '../shared/hlc.ts';
import type { Clocks } from '../shared/merge.ts';
import { withDefaults, type RecordOf, type RecordType } from '../shared/record-defaults.ts';

/** A record as stored: its fields flat (so Dexie can index them) plus the clock of each. */
export type LocalRow<T extends RecordType = RecordType> = Partial<RecordOf[T]> & {
  id: string;
  $clocks: Clocks;
  /** Households and residents: the words they are found by (derived, never synced). */
  $terms?: string[];
  /** Households: the dwelling, however its address was typed (derived, never synced). */
  $addressKey?: string;
  /** Households: the dwelling's numbers alone (`3-2-301`), for the same-dwelling warning across compound spellings. */
  $dwellingKey?: string;
  /** Households: the last visit where someone was met, and the day the next one is due (rollups). */
  $lastMetAt?: string | null;
  $dueOn?: string;
  /** Residents: the time and verdict of their latest health check (rollups). */
  $lastCheckAt?: string | null;
  $lastLevel?: string | null;
  /** Volunteers: the phone's digits, for the same-phone warning on the roster. */
  $phone?: string;
};

export interface OutboxEntry {
  seq?: number;
  id: string;
  type: RecordType;
  rowId: string;
  hlc: string;
  fields: Record<string, unknown>;
  createdAt: number;
}

export interface FailedEntry {
  id: string;
  type: RecordType;
  rowId: string;
  hlc: string;
  fields: Record<string, unknown>;
  code: string;
  message: string;
  at: number;
}

export interface SignedInUser {
  id: string;
  username: string;
  name: string;
  role: 'volunteer' | 'coordinator' | 'admin';
  teamId: string;
  teamName: string;
  /** The team's calendar (LINLI_TIMEZONE): the days of its reports. Absent for a sign-in made by an older server. */
  timeZone?: string;
}

export type SyncOutcome = 'ok' | 'offline' | 'unauthorized' | 'upgrade' | 'error';

export interface MetaValues {
  deviceId: string;
  hlc: HlcState;
  /** Milliseconds to add to this device's clock to read the server's (set after clock_skew). */
  clockOffset: number;
  user: SignedInUser | null;
  /** The device's letter for ticket numbers, assigned by the server at sign-in. */
  deviceLetter: string | null;
  /** Set when the server said 401; cleared by the next sign-in. */
  authExpired: boolean;
  lastSync: { at: number | null; outcome: SyncOutcome | null; attemptAt: number | null };
  [cursor: `cursor:${string}`]: string;
  /** The last ticket number this phone gave at an event: `ticketCounter:<eventId>:<letter>`. */
  [counter: `ticketCounter:${string}`]: number;
}
export type MetaKey = keyof MetaValues & string;

export interface MetaRow {
  key: string;
  value: unknown;
}

/**
 * Each record type's table and its indexes, in Dexie's schema syntax — one entry per type of
 * the registry (the compiler holds them to it). `$` fields are derived on the phone (records.ts)
 * so that search, the same-address warning and the due list are index look-ups.
 */
export const RECORD_TABLES: { [T in RecordType]: string } = {
  repairEvent: 'id, date',
  repairTicket: 'id, eventId, [eventId+number], householdId',
  household: 'id, [gridCode+$addressKey], *tags, *$terms, $dwellingKey, $dueOn, followUpOn, mergedInto',
  resident: 'id, householdId, *$terms, consent',
  visit: 'id, [householdId+at]',
  need: 'id, householdId, status, healthCheckId',
  needLog: 'id, [needId+at]',
  healthCheck: 'id, [residentId+at], householdId',
  healthThresholds: 'id',
  teamSettings: 'id',
  volunteer: 'id, $phone',
  attendance: 'id, eventId, volunteerId',
  serviceRecord: 'id, attendanceId, volunteerId',
  pointsRule: 'id',
  redemption: 'id, volunteerId',
  certificate: 'id, volunteerId, serial',
  request: 'id, status, code',
};

/**
 * The store's version: raise it with any change to the tables above. Dexie opens a store of
 * any earlier version and makes the difference (no upgrade code is needed to add a table or
 * an index; derived fields whose rule changed are recomputed by `upgrade` below).
 */
export const STORE_VERSION = 8;

/**
 * Version 4 reads addresses by their numbers (二单元 = 2, 2-301 = 2单元301) and stacked compound
 * words: every household stored before is keyed again, and its search words with it.
 */
function rekeyHouseholds(row: LocalRow<'household'>): void {
  const h = withDefaults('household', row);
  row.$addressKey = addressKey(h);
  row.$dwellingKey = dwellingKey(h);
  row.$terms = h.deleted ? [] : householdTerms(h);
}

export class LinliDb extends Dexie {
  repairEvent!: Table<LocalRow<'repairEvent'>, string>;
  repairTicket!: Table<LocalRow<'repairTicket'>, string>;
  household!: Table<LocalRow<'household'>, string>;
  resident!: Table<LocalRow<'resident'>, string>;
  visit!: Table<LocalRow<'visit'>, string>;
  need!: Table<LocalRow<'need'>, string>;
  needLog!: Table<LocalRow<'needLog'>, string>;
  healthCheck!: Table<LocalRow<'healthCheck'>, string>;
  healthThresholds!: Table<LocalRow<'healthThresholds'>, string>;
  teamSettings!: Table<LocalRow<'teamSettings'>, string>;
  volunteer!: Table<LocalRow<'volunteer'>, string>;
  attendance!: Table<LocalRow<'attendance'>, string>;
  serviceRecord!: Table<LocalRow<'serviceRecord'>, string>;
  pointsRule!: Table<LocalRow<'pointsRule'>, string>;
  redemption!: Table<LocalRow<'redemption'>, string>;
  certificate!: Table<LocalRow<'certificate'>, string>;
  request!: Table<LocalRow<'request'>, string>;
  outbox!: EntityTable<OutboxEntry, 'seq'>;
  failed!: Table<FailedEntry, string>;
  meta!: Table<MetaRow, string>;

  constructor(name = 'linli', options?: ConstructorParameters<typeof Dexie>[1]) {
    // Strict: a write reports done only once it is on the phone's disk. Chromium's default
    // since version 121 is relaxed — done once the OS has the data, flushed seconds later —
    // and a phone whose battery dies in those seconds would lose a record it said was saved.
    super(name, { chromeTransactionDurability: 'strict', ...options });
    this.version(STORE_VERSION)
      .stores({ ...RECORD_TABLES, outbox: '++seq, &id, rowId', failed: 'id, rowId', meta: 'key' })
      .upgrade((tx) => tx.table<LocalRow<'household'>>('household').toCollection().modify(rekeyHouseholds));
  }

  recordTable<T extends RecordType>(type: T): Table<LocalRow<T>, string> {
    return this.table(type);
  }

  async getMeta<K extends MetaKey>(key: K): Promise<MetaValues[K] | undefined> {
    return (await this.meta.get(key))?.value as MetaValues[K] | undefined;
  }

  async setMeta<K extends MetaKey>(key: K, value: MetaValues[K]): Promise<void> {
    await this.meta.put({ key, value });
  }
}

let shared: LinliDb | undefined;

/** The app's and the service worker's database (one per origin). */
export function localDb(): LinliDb {
  shared ??= new LinliDb();
  return shared;
}

/** Tests and benchmarks swap in a database of their own (fake-indexeddb in Node). */
export function setLocalDb(db: LinliDb): void {
  shared = db;
}
