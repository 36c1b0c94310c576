/**
 * The sync protocol on the server (ARCHITECTURE.md, "Sync protocol"): push merges mutations
 * into rows with the shared per-field merge, pull hands out a team's changes in sequence.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { HLC_MAX_DRIFT_MS, hlcMs } from '../shared/hlc.ts';
import { describeIssues, type Locale } from '../shared/i18n/index.ts';
import { translate } from '../shared/i18n/index.ts';
import { mergeRows, mutationRow, packClocks, rowChanged, unpackClocks, type RowState } from '../shared/merge.ts';
import { mutationSchema, type Mutation, type PushRejection, type PushResponse } from '../shared/protocol.ts';
import { isRecordType, partialSchema, type RecordType } from '../shared/records.ts';
import { ApiError } from './api-error.ts';
import { recordHandIns } from './device.ts';
import { writeFacts } from './facts.ts';
import { checkAccess, checkMerged, referencedIds, type Refusal, type RowView } from './push-rules.ts';
import { dialectOf, readerOf, type Db, type Schema } from './db.ts';
import type { Actor } from './session.ts';
import type { MessageKey } from '../shared/i18n/format.ts';

type Tx = Transaction<Schema> | Kysely<Schema>;

/** Well under SQLite's 32,766 bound variables per statement. */
const CHUNK = 400;

function chunks<T>(xs: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

interface StoredRow {
  type: string;
  teamId: string;
  state: RowState;
  isNew: boolean;
  changed: boolean;
}

async function loadRows(trx: Tx, rowIds: string[]): Promise<Map<string, StoredRow>> {
  const rows = new Map<string, StoredRow>();
  for (const ids of chunks(rowIds)) {
    const found = await trx
      .selectFrom('record')
      .select(['row_id', 'type', 'team_id', 'fields', 'clocks'])
      .where('row_id', 'in', ids)
      .execute();
    for (const r of found) {
      const fields = JSON.parse(r.fields) as RowState['fields'];
      rows.set(r.row_id, {
        type: r.type,
        teamId: r.team_id,
        state: { fields, clocks: unpackClocks(fields, JSON.parse(r.clocks) as RowState['clocks']) },
        isNew: false,
        changed: false,
      });
    }
  }
  return rows;
}

/**
 * Serialises the pushes of one team from here to commit, and returns the team's last
 * sequence number. Holding this row lock until commit is what makes the pull safe: a push
 * can only take numbers after every earlier holder has committed, so no change ever commits
 * with a number below one a puller has already seen. (SQLite has one writer anyway.)
 */
async function lockTeam(trx: Tx, teamId: string): Promise<number | undefined> {
  const row = await trx
    .updateTable('team_seq')
    .set((eb) => ({ seq: eb.ref('seq') }))
    .where('team_id', '=', teamId)
    .returning('seq')
    .executeTakeFirst();
  return row?.seq;
}

export interface PushInput {
  deviceId: string;
  mutations: unknown[];
  /** For the hand-in check: the app's version and what the phone still held. */
  appVersion?: string | undefined;
  pending?: number | undefined;
}

type HandIn = Parameters<typeof recordHandIns>[1][number];

/** A push whose mutations passed step 1, waiting for its turn in the database. */
interface PushJob {
  actor: Actor;
  valid: Mutation[];
  handIn: HandIn;
}

type RefusalCode = Refusal['code'] | 'type_mismatch';
/** A refusal before it is put in the caller's words. */
type Refused = { code: RefusalCode; detail?: MessageKey | undefined };

/** What the database made of one push; refusals are put in the caller's words afterwards. */
interface PushOutcome {
  acked: string[];
  refused: ({ id: string } & Refused)[];
}

/**
 * Push, numbered as in ARCHITECTURE.md:
 * 1. validate each mutation on its own (shape, type, fields, clock) — a bad one is rejected
 *    alone and never blocks the rest;
 * 2. in one transaction: skip mutations already applied (a replayed batch is acked again,
 *    changes nothing); lock the teams touched, in a fixed order;
 * 3. authorise each against its row's team, merge it into the row;
 * 4. give each changed row the team's next sequence number, write rows and the applied ids;
 * 5. answer per mutation.
 *
 * Steps 2–4 run for several pushes at once when they arrive together (`commitTogether`): on
 * SQLite every push waiting for the one writer, on PostgreSQL the pushes of one team, which
 * its lock would have run one after another anyway. Each push is still answered for exactly
 * its own mutations.
 */
export async function applyPush(db: Db, actor: Actor, input: PushInput, locale: Locale, now = Date.now()): Promise<PushResponse> {
  const rejected: PushRejection[] = [];
  const reject = (id: string, code: PushRejection['code'], message: string) => rejected.push({ id, code, message });
  const valid: Mutation[] = [];
  const seen = new Set<string>();

  // 1.
  for (const item of input.mutations) {
    const parsed = mutationSchema.safeParse(item);
    const rawId = (item as { id?: unknown } | null)?.id;
    if (!parsed.success) {
      if (typeof rawId !== 'string' || rawId.length > 64) {
        throw new ApiError(400, 'validation', { detail: describeIssues(locale, parsed.error.issues) });
      }
      reject(rawId, 'validation', translate(locale, 'error.validation', { detail: describeIssues(locale, parsed.error.issues) }));
      continue;
    }
    const m = parsed.data;
    if (seen.has(m.id)) continue;
    seen.add(m.id);
    if (!isRecordType(m.type)) {
      reject(m.id, 'unknown_type', translate(locale, 'error.unknown_type'));
      continue;
    }
    const fields = partialSchema(m.type).safeParse(m.fields);
    if (!fields.success) {
      reject(m.id, 'validation', translate(locale, 'error.validation', { detail: describeIssues(locale, fields.error.issues) }));
      continue;
    }
    if (fields.data.id !== undefined && fields.data.id !== m.rowId) {
      reject(m.id, 'validation', translate(locale, 'error.validation', { detail: 'id ≠ rowId' }));
      continue;
    }
    if (hlcMs(m.hlc) - now > HLC_MAX_DRIFT_MS) {
      reject(m.id, 'clock_skew', translate(locale, 'error.clock_skew'));
      continue;
    }
    valid.push({ ...m, fields: fields.data });
  }

  const job: PushJob = {
    actor,
    valid,
    handIn: { id: input.deviceId, teamId: actor.teamId, appVersion: input.appVersion, pending: input.pending, at: now },
  };
  // SQLite has one writer: every waiting push joins its next transaction (one fsync for all).
  // PostgreSQL: a team's pushes queue for its lock anyway, so they share a transaction; other
  // teams' run side by side.
  const line = dialectOf(db) === 'sqlite' ? '' : actor.teamId;
  const out = await commitTogether(db, line, job, Math.max(1, valid.length), pushGroup);
  for (const r of out.refused)
    reject(r.id, r.code, translate(locale, `error.${r.code}`, { detail: r.detail ? translate(locale, r.detail) : '' }));
  // 5.
  return { acked: out.acked, rejected, serverTime: now };
}

/** Steps 2–4 for pushes taken together, in one transaction; re-runnable, its results are its own. */
async function pushGroup(trx: Tx, jobs: PushJob[]): Promise<PushOutcome[]> {
  // 2. SQLite: take the write lock before the first read. A deferred transaction that
  // read first cannot upgrade once another process has written, and would fail with
  // "database is locked"; starting with a write makes it wait (busy_timeout) instead.
  if (dialectOf(trx) === 'sqlite') await lockTeam(trx, jobs[0]!.actor.teamId);
  // the hand-ins, in the same transaction: one commit (one fsync) for the pushes and them
  await recordHandIns(
    trx,
    jobs.map((j) => j.handIn),
  );
  // A mutation is judged by its sender's team and role, nothing else of the sender: the
  // pushes of one team and role are merged as one.
  const parts = new Map<string, PushJob[]>();
  for (const j of jobs) {
    const key = `${j.actor.teamId}\n${j.actor.role}`;
    const part = parts.get(key);
    if (part) part.push(j);
    else parts.set(key, [j]);
  }
  const verdicts = new Map<PushJob, Verdict>();
  for (const part of parts.values()) {
    const verdict = await mergeMutations(trx, part);
    for (const j of part) verdicts.set(j, verdict);
  }
  return jobs.map((j) => {
    const verdict = verdicts.get(j)!;
    const out: PushOutcome = { acked: [], refused: [] };
    for (const m of j.valid) {
      const refusal = verdict.refused.get(m.id);
      if (refusal) out.refused.push({ id: m.id, ...refusal });
      else if (verdict.acked.has(m.id)) out.acked.push(m.id);
    }
    return out;
  });
}

interface Verdict {
  acked: Set<string>;
  refused: Map<string, Refused>;
}

/** Steps 2–4 for the mutations of pushes from one team and role. */
async function mergeMutations(trx: Tx, jobs: PushJob[]): Promise<Verdict> {
  const actor = jobs[0]!.actor;
  const verdict: Verdict = { acked: new Set(), refused: new Map() };
  // the same mutation may come in two pushes at once (a phone retrying): applied once, acked to both
  const sender = new Map<string, PushJob>();
  const valid: Mutation[] = [];
  for (const j of jobs) {
    for (const m of j.valid) {
      if (sender.has(m.id)) continue;
      sender.set(m.id, j);
      valid.push(m);
    }
  }
  if (valid.length === 0) return verdict;
  const now = Math.max(...jobs.map((j) => j.handIn.at));
  const refuse = (m: Mutation, code: RefusalCode, detail?: MessageKey) => verdict.refused.set(m.id, { code, detail });

  for (const ids of chunks(valid.map((m) => m.id))) {
    for (const r of await trx.selectFrom('applied_mutation').select('id').where('id', 'in', ids).execute()) verdict.acked.add(r.id);
  }
  const todo = valid.filter((m) => !verdict.acked.has(m.id));
  if (todo.length === 0) return verdict;

  const rowIds = [...new Set(todo.map((m) => m.rowId))];
  let rows = await loadRows(trx, rowIds);
  const teams = new Set<string>([actor.teamId]);
  for (const r of rows.values()) teams.add(r.teamId);
  for (const m of todo) if (typeof m.fields.teamId === 'string') teams.add(m.fields.teamId);
  const seqs = new Map<string, number>();
  for (const team of [...teams].sort()) {
    const seq = await lockTeam(trx, team);
    if (seq !== undefined) seqs.set(team, seq);
  }
  // Under PostgreSQL's read committed, a row may have changed between the first read
  // and the lock; the lock now holds, so read again.
  if (dialectOf(trx) === 'postgres') rows = await loadRows(trx, rowIds);
  // The rows the mutations point at (a visit's household, a reading's resident), to keep
  // references inside the team and to find a resident's consent.
  const refIds = new Set<string>();
  for (const m of todo) {
    for (const id of referencedIds(m.type as RecordType, m.fields)) refIds.add(id);
    const stored = rows.get(m.rowId);
    if (stored) for (const id of referencedIds(m.type as RecordType, stored.state.fields)) refIds.add(id);
  }
  const refs = await loadRows(
    trx,
    [...refIds].filter((id) => !rows.has(id)),
  );
  const lookup = (id: string): RowView | undefined => {
    const r = rows.get(id) ?? refs.get(id);
    return r ? { teamId: r.teamId, type: r.type, fields: r.state.fields } : undefined;
  };

  // 3.
  const applied: Mutation[] = [];
  for (const m of todo) {
    const type = m.type as RecordType;
    const current = rows.get(m.rowId);
    const teamId = current?.teamId ?? (m.fields.teamId as string | undefined) ?? actor.teamId;
    if (current && current.type !== m.type) {
      refuse(m, 'type_mismatch');
      continue;
    }
    if (
      (m.fields.teamId !== undefined && m.fields.teamId !== teamId) ||
      (actor.role !== 'admin' && teamId !== actor.teamId) ||
      !seqs.has(teamId)
    ) {
      refuse(m, 'forbidden');
      continue;
    }
    const denied = checkAccess(type, m.rowId, teamId, actor.role, m.fields, lookup);
    if (denied) {
      refuse(m, denied.code, denied.detail);
      continue;
    }
    const before = current?.state ?? { fields: {}, clocks: {} };
    const merged = mergeRows(before, mutationRow(m.fields, m.hlc));
    const broken = checkMerged(type, merged.fields, lookup);
    if (broken) {
      refuse(m, broken.code, broken.detail);
      continue;
    }
    rows.set(m.rowId, {
      type,
      teamId,
      state: merged,
      isNew: current ? current.isNew : true,
      changed: (current?.changed ?? false) || rowChanged(before, merged),
    });
    applied.push(m);
  }

  // 4.
  const writes: Schema['record'][] = [];
  for (const [rowId, r] of rows) {
    if (!r.changed) continue;
    const seq = seqs.get(r.teamId)! + 1;
    seqs.set(r.teamId, seq);
    writes.push({
      row_id: rowId,
      type: r.type,
      team_id: r.teamId,
      fields: JSON.stringify(r.state.fields),
      clocks: JSON.stringify(packClocks(r.state.fields, r.state.clocks)),
      seq,
      updated_at: now,
    });
  }
  for (const batch of chunks(writes)) {
    await trx
      .insertInto('record')
      .values(batch)
      .onConflict((oc) =>
        oc.column('row_id').doUpdateSet((eb) => ({
          fields: eb.ref('excluded.fields'),
          clocks: eb.ref('excluded.clocks'),
          seq: eb.ref('excluded.seq'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
  // the report rows of the same records, in the same transaction
  await writeFacts(
    trx,
    [...rows]
      .filter(([, r]) => r.changed)
      .map(([rowId, r]) => ({ type: r.type as RecordType, rowId, teamId: r.teamId, fields: r.state.fields })),
  );
  for (const batch of chunks(applied)) {
    await trx
      .insertInto('applied_mutation')
      .values(
        batch.map((m) => ({ id: m.id, row_id: m.rowId, device_id: sender.get(m.id)!.handIn.id, applied_at: sender.get(m.id)!.handIn.at })),
      )
      .execute();
  }
  for (const [teamId, seq] of seqs) {
    await trx.updateTable('team_seq').set({ seq }).where('team_id', '=', teamId).execute();
  }
  for (const m of applied) verdict.acked.add(m.id);
  return verdict;
}

type Run = (trx: Transaction<Schema>, jobs: unknown[]) => Promise<unknown[]>;
interface Waiting {
  job: unknown;
  size: number;
  run: Run;
  resolve: (r: unknown) => void;
  reject: (e: unknown) => void;
}
const lines = new WeakMap<Db, Map<string, Waiting[]>>();
/** One transaction takes at most this many jobs, and this much work (mutations) unless a single job is larger. */
const MAX_GROUP_JOBS = 64;
const MAX_GROUP_SIZE = 2000;

/**
 * Runs `job` in a transaction together with the other jobs waiting on the same line: jobs
 * that arrive while a transaction of the line is in flight are taken into the next one (those
 * with the same `run`, in arrival order), and each answered once it has committed. Should a
 * group fail, each of its jobs is tried again in a transaction of its own, so one job that
 * cannot be written never takes the others with it.
 */
export function commitTogether<J, R>(
  db: Db,
  line: string,
  job: J,
  size: number,
  run: (trx: Transaction<Schema>, jobs: J[]) => Promise<R[]>,
): Promise<R> {
  let byLine = lines.get(db);
  if (!byLine) lines.set(db, (byLine = new Map()));
  const known = byLine;
  return new Promise<R>((resolve, reject) => {
    const entry: Waiting = { job, size, run: run as Run, resolve: resolve as (r: unknown) => void, reject };
    const open = known.get(line);
    if (open) {
      open.push(entry);
      return;
    }
    const waiting = [entry];
    known.set(line, waiting);
    setImmediate(() => void drain(db, known, line, waiting));
  });
}

/** Jobs waiting on a line, not counting those in the transaction now running (for tests). */
export function waitingOn(db: Db, line: string): number {
  return lines.get(db)?.get(line)?.length ?? 0;
}

/**
 * SQLite: the lines' groups take turns, one group per turn of the event loop. The driver is
 * synchronous, so every line whose group was due ran in the same turn (up to ten teams'
 * transactions of ~40 ms each), and nothing else happened meanwhile: no request read, no
 * answer sent, no new connection accepted — libuv accepts one per turn (libuv#3696), so a
 * crowd of phones connecting at once waited seconds to be let in. PostgreSQL's lines run
 * side by side on their own connections and do not take turns.
 */
class Turns {
  #busy = false;
  readonly #waiting: (() => void)[] = [];
  /** Resolves when it is this caller's turn; call the result when done. */
  async take(): Promise<() => void> {
    if (this.#busy) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#busy = true;
    return () => {
      // the next group runs in the next turn of the loop, after its I/O
      setImmediate(() => {
        const next = this.#waiting.shift();
        if (next) next();
        else this.#busy = false;
      });
    };
  }
}
const turnsOf = new WeakMap<Db, Turns>();

function sqliteTurns(db: Db): Turns | undefined {
  if (dialectOf(db) !== 'sqlite') return undefined;
  let turns = turnsOf.get(db);
  if (!turns) turnsOf.set(db, (turns = new Turns()));
  return turns;
}

async function drain(db: Db, byLine: Map<string, Waiting[]>, key: string, waiting: Waiting[]): Promise<void> {
  const turns = sqliteTurns(db);
  for (let first = true; waiting.length > 0; first = false) {
    // Between groups, let the event loop read what has arrived and send what is answered
    // (on SQLite, the turn does that): draining a long line in one go kept new pushes
    // unread for seconds, and the time they waited unread was missing from what the server
    // told phones (Server-Timing), so their batches grew.
    if (!first && !turns) await new Promise<void>((resolve) => setImmediate(resolve));
    const done = await turns?.take();
    const run = waiting[0]!.run;
    let count = 0;
    let size = 0;
    while (
      count < waiting.length &&
      count < MAX_GROUP_JOBS &&
      waiting[count]!.run === run &&
      (count === 0 || size + waiting[count]!.size <= MAX_GROUP_SIZE)
    )
      size += waiting[count++]!.size;
    const group = waiting.splice(0, count);
    try {
      const results = await db.transaction().execute((trx) =>
        run(
          trx,
          group.map((w) => w.job),
        ),
      );
      group.forEach((w, i) => w.resolve(results[i]));
    } catch (e) {
      if (group.length === 1) group[0]!.reject(e);
      else {
        for (const w of group) {
          try {
            w.resolve((await db.transaction().execute((trx) => run(trx, [w.job])))[0]);
          } catch (err) {
            w.reject(err);
          }
        }
      }
    } finally {
      done?.();
    }
  }
  byLine.delete(key);
}

export function parseCursor(cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 0;
  if (!/^\d{1,12}$/.test(cursor)) throw new ApiError(400, 'bad_request');
  return Number(cursor);
}

/** Bytes of full pull pages kept per database, least recently used dropped first. */
export const PULL_CACHE_BYTES = 32 * 1024 * 1024;

/**
 * How a pull sends each change's clocks: `packed` as stored (`packClocks`: the shared clock
 * once), which the app asks for; `full`, one clock per field, for an app from before packing.
 */
export type ClockForm = 'packed' | 'full';

/** A page's bytes without its `serverTime`, in the pieces they were made in. */
interface Kept {
  pieces: Uint8Array<ArrayBuffer>[];
  bytes: number;
}
interface PageCache {
  pages: Map<string, Kept>;
  bytes: number;
  /** Pages being read now: the team's phones asking for the same page at once share one read. */
  building: Map<string, Promise<Kept>>;
}
const caches = new WeakMap<Db, PageCache>();

/**
 * A team's rows changed after the cursor, oldest change first, as the pull's JSON bytes. Rows
 * hold their fields and clocks as JSON written by this server, so they are spliced in rather
 * than parsed and re-serialised — pulls are most of a sync's bytes.
 *
 * A full page (exactly `limit` changes, more to come) is kept and served again to the team's
 * other phones, which pull the same pages: it stays a correct answer. Every change committed
 * later takes a sequence number above the page's last (the per-team lock in `applyPush`), so
 * nothing can ever belong inside its range that it lacks; a row changed since appears again
 * further on with its newer state, and merging the older copy first changes nothing. The
 * last, partial page is never kept; `serverTime` is always fresh.
 *
 * Requests for a page already being read wait for that read instead of starting their own:
 * the answer is the one they would have had a moment earlier, which is as correct (their
 * cursor moves only as far as what they received). This bounds the memory of a team's
 * phones pulling together to one copy of each page.
 *
 * The answer is the page and its `serverTime` as pieces, to be sent one after the other:
 * joining them copied the page for every phone served, and joining the page's own pieces
 * copied it once more per read.
 */
export async function pullPage(
  db: Db,
  teamId: string,
  cursor: number,
  limit: number,
  now = Date.now(),
  form: ClockForm = 'packed',
): Promise<Uint8Array<ArrayBuffer>[]> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = { pages: new Map(), bytes: 0, building: new Map() }));
  const key = `${teamId}:${cursor}:${limit}:${form}`;
  const tail = Buffer.from(`${now}}`);
  const hit = cache.pages.get(key);
  if (hit) {
    cache.pages.delete(key);
    cache.pages.set(key, hit);
    return [...hit.pieces, tail];
  }
  let building = cache.building.get(key);
  if (!building) {
    const kept = cache;
    // what is committed is what a pull may hand out: read beside the writer, not behind it
    building = readPage(readerOf(db), teamId, cursor, limit, form)
      .then((page) => keep(kept, key, page))
      .finally(() => kept.building.delete(key));
    cache.building.set(key, building);
  }
  return [...(await building).pieces, tail];
}

interface Page {
  /** The changes' JSON, joined by commas. */
  body: Uint8Array | string;
  lastSeq: number;
  more: boolean;
}

/** The page without its `serverTime`; a full one is kept. */
function keep(cache: PageCache, key: string, page: Page): Kept {
  const pieces: Uint8Array<ArrayBuffer>[] = [
    PAGE_START,
    typeof page.body === 'string' ? Buffer.from(page.body, 'utf8') : (page.body as Uint8Array<ArrayBuffer>),
    Buffer.from(`],"cursor":${JSON.stringify(String(page.lastSeq))},"more":${page.more},"serverTime":`),
  ];
  const kept = { pieces, bytes: pieces.reduce((n, p) => n + p.byteLength, 0) };
  if (page.more && kept.bytes < PULL_CACHE_BYTES / 8 && !cache.pages.has(key)) {
    cache.pages.set(key, kept);
    cache.bytes += kept.bytes;
    for (const [k, v] of cache.pages) {
      if (cache.bytes <= PULL_CACHE_BYTES) break;
      cache.pages.delete(k);
      cache.bytes -= v.bytes;
    }
  }
  return kept;
}
const PAGE_START = new Uint8Array(Buffer.from('{"changes":['));

/**
 * The packed form: the database writes each change's JSON and joins them (SQLite hands the
 * result over as bytes) — building the page in JavaScript made a string per row and encoded
 * the whole page again. The full form unpacks each row's clocks here.
 */
async function readPage(db: Db, teamId: string, cursor: number, limit: number, form: ClockForm): Promise<Page> {
  let body: Uint8Array | string;
  let n: number;
  let lastSeq: number;
  if (form === 'packed') {
    const sqlite = dialectOf(db) === 'sqlite';
    const quote = (column: string) => (sqlite ? sql`json_quote(${sql.ref(column)})` : sql`to_json(${sql.ref(column)})::text`);
    const piece = sql`'{"type":' || ${quote('type')} || ',"rowId":' || ${quote('row_id')} || ',"fields":' || fields || ',"clocks":' || clocks || ',"seq":' || seq || '}'`;
    const joined = sqlite ? sql`cast(group_concat(piece, ',' order by seq) as blob)` : sql`string_agg(piece, ',' order by seq)`;
    const { rows } = await sql<{ body: Uint8Array | string | null; n: number | string; last: number | string | null }>`
      select ${joined} as body, count(*) as n, max(seq) as last
      from (select seq, ${piece} as piece from record where team_id = ${teamId} and seq > ${cursor} order by seq limit ${limit}) page`.execute(
      db,
    );
    n = Number(rows[0]?.n ?? 0);
    lastSeq = rows[0]?.last == null ? cursor : Number(rows[0].last);
    body = rows[0]?.body ?? '';
  } else {
    const rows = await db
      .selectFrom('record')
      .select(['type', 'row_id', 'fields', 'clocks', 'seq'])
      .where('team_id', '=', teamId)
      .where('seq', '>', cursor)
      .orderBy('seq')
      .limit(limit)
      .execute();
    n = rows.length;
    lastSeq = rows.at(-1)?.seq ?? cursor;
    body = rows
      .map((r) => {
        const clocks = JSON.stringify(unpackClocks(JSON.parse(r.fields) as RowState['fields'], JSON.parse(r.clocks) as RowState['clocks']));
        return `{"type":${JSON.stringify(r.type)},"rowId":${JSON.stringify(r.row_id)},"fields":${r.fields},"clocks":${clocks},"seq":${r.seq}}`;
      })
      .join(',');
  }
  // a change committed after the page was read can only make this true: never a skipped one
  const more =
    n === limit &&
    (await db.selectFrom('record').select('seq').where('team_id', '=', teamId).where('seq', '>', lastSeq).limit(1).executeTakeFirst()) !==
      undefined;
  return { body, lastSeq, more };
}
