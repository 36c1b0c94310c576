/**
 * The push (docs/ARCHITECTURE.md, "Sync protocol"), in the design's steps:
 *
 * 1. validate each mutation on its own — shape, type, fields — so a bad one is refused alone
 *    and never blocks the rest (`validate`);
 * 2. in one transaction: lock the teams touched, in a fixed order, then skip what is already
 *    applied — a replayed batch is acknowledged again and changes nothing, whatever its clock,
 *    and the same mutation arriving through two processes at once is applied once
 *    (`lockAndLoad`, `alreadyApplied`);
 * 3. judge each against its clock, its row's team and the rules of its type (push-rules.ts),
 *    and merge it into the row with the server's own values of who did it and what is derived
 *    (`judge`); one that points at a row not here yet waits — judged again once the rest of
 *    the push is in, and answered `deferred` if it still waits;
 * 4. give each changed row its team's next sequence number, write the rows, their report
 *    facts, the applied ids, the threshold sets seen, the rows whose first change was refused
 *    and the audit of hidden facts (`write`);
 * 5. answer per mutation, in the caller's words (`applyPush`).
 *
 * Steps 2–4 run for several pushes at once when they arrive together (group-commit.ts): on
 * SQLite every push waiting for the one writer, on PostgreSQL the pushes of one team, which
 * its lock would have run one after another anyway. Each push is still answered for exactly
 * its own mutations.
 */
import type { Kysely, Transaction } from 'kysely';
import { decodeHlc, encodeHlc, hlcMs, HLC_MAX_COUNTER } from '../shared/hlc.ts';
import { describeIssues, translate, type Locale } from '../shared/i18n/index.ts';
import type { MessageKey } from '../shared/i18n/format.ts';
import { mergeRows, mutationRow, packClocks, rowChanged, unpackClocks, type Fields, type RowState } from '../shared/merge.ts';
import { CLOCK_TOLERANCE_MS, mutationSchema, type HeldRecord, type PushRejection, type PushResponse } from '../shared/protocol.ts';
import type { Thresholds } from '../shared/health.ts';
import { isRecordType, isWholeRecord, RECORDS, withDefaults, type RecordType } from '../shared/registry.ts';
import { ApiError } from './api-error.ts';
import type { Actor } from './app-env.ts';
import { dialectOf, type Db, type Schema } from './db.ts';
import { recordHandIns, type HandIn } from './device.ts';
import { redirectMerged, writeFacts } from './facts.ts';
import { commitTogether } from './group-commit.ts';
import { LEDGER_TYPES, loadLedger, standingOf, type Ledger } from './ledger.ts';
import { certificateSerial, pointsFor } from '../shared/hours.ts';
import {
  authorship,
  checkAccess,
  checkChange,
  checkMerged,
  checkReferences,
  derivedFields,
  referencedIds,
  WAIT,
  type Judgement,
  type Refusal,
  type RowView,
} from './push-rules.ts';

type Tx = Transaction<Schema> | Kysely<Schema>;

/** Well under SQLite's 32,766 bound variables per statement. */
const CHUNK = 400;

function chunks<T>(xs: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/** Record types whose report rows name a household (facts.ts moves them when it is merged). */
const NAMES_HOUSEHOLD: ReadonlySet<string> = new Set(['visit', 'need', 'healthCheck']);

export interface PushInput {
  deviceId: string;
  mutations: unknown[];
  /** For the hand-in check: the app's version and what the phone still held. */
  appVersion?: string | undefined;
  pending?: number | undefined;
  held?: HeldRecord[] | undefined;
}

/** A mutation that passed step 1: a known record type, fields valid for it. */
export interface ValidMutation {
  id: string;
  type: RecordType;
  rowId: string;
  hlc: string;
  fields: Fields;
}

/** A push whose mutations passed step 1, waiting for its turn in the database. */
interface PushJob {
  actor: Actor;
  valid: ValidMutation[];
  /** Rows of mutations refused in step 1: where the server has no such row, that was its first change. */
  refusedRows: string[];
  handIn: HandIn;
}

/** A refusal before it is put in the caller's words. */
type Refused = { code: Refusal['code'] | 'type_mismatch' | 'clock_skew'; detail?: MessageKey | undefined };

/** What the database made of one push. */
interface PushOutcome {
  acked: string[];
  refused: ({ id: string; row?: RowState | undefined } & Refused)[];
  deferred: string[];
}

/** A stored row as the push reads and merges it. */
interface StoredRow {
  type: string;
  teamId: string;
  state: RowState;
  changed: boolean;
  /** Not in the database before this push. */
  isNew: boolean;
  /** The sending device, where the row is now exactly what its last mutation sent (`echoOf`). */
  echo: string | null;
}

export async function applyPush(db: Db, actor: Actor, input: PushInput, locale: Locale, now = Date.now()): Promise<PushResponse> {
  const rejected: PushRejection[] = [];
  const refusedRows: string[] = [];
  const valid = validate(input.mutations, locale, rejected, refusedRows);
  const job: PushJob = {
    actor,
    valid,
    refusedRows,
    handIn: { id: input.deviceId, teamId: actor.teamId, appVersion: input.appVersion, pending: input.pending, held: input.held, at: now },
  };
  // SQLite has one writer: every waiting push joins its next transaction (one fsync for all).
  // PostgreSQL: a team's pushes queue for its lock anyway, so they share a transaction; other
  // teams' run side by side.
  const line = dialectOf(db) === 'sqlite' ? '' : actor.teamId;
  const out = await commitTogether(db, line, job, Math.max(1, valid.length), pushGroup);
  // 5.
  for (const r of out.refused) {
    rejected.push({
      id: r.id,
      code: r.code,
      message: translate(locale, `error.${r.code}`, { detail: r.detail ? translate(locale, r.detail) : '' }),
      ...(r.row ? { row: r.row } : {}),
    });
  }
  return { acked: out.acked, rejected, ...(out.deferred.length > 0 ? { deferred: out.deferred } : {}), serverTime: now };
}

/**
 * 1. Each mutation on its own: its envelope, its type, its fields against the type's schema
 * made partial. One without even an id to answer by makes the whole push a 400.
 */
function validate(items: readonly unknown[], locale: Locale, rejected: PushRejection[], refusedRows: string[]): ValidMutation[] {
  const valid: ValidMutation[] = [];
  const seen = new Set<string>();
  const refuse = (id: string, code: PushRejection['code'], detail = '', rowId?: string) => {
    rejected.push({ id, code, message: translate(locale, `error.${code as 'validation'}`, { detail }) });
    if (rowId) refusedRows.push(rowId);
  };
  for (const item of items) {
    const parsed = mutationSchema.safeParse(item);
    if (!parsed.success) {
      const rawId = (item as { id?: unknown } | null)?.id;
      if (typeof rawId !== 'string' || rawId.length > 64) {
        throw new ApiError(400, 'validation', { detail: describeIssues(locale, parsed.error.issues) });
      }
      refuse(rawId, 'validation', describeIssues(locale, parsed.error.issues));
      continue;
    }
    const m = parsed.data;
    if (seen.has(m.id)) continue;
    seen.add(m.id);
    if (!isRecordType(m.type)) {
      refuse(m.id, 'unknown_type', '', m.rowId);
      continue;
    }
    const fields = RECORDS[m.type].partial.safeParse(m.fields);
    if (!fields.success) {
      refuse(m.id, 'validation', describeIssues(locale, fields.error.issues), m.rowId);
      continue;
    }
    if (fields.data.id !== undefined && fields.data.id !== m.rowId) {
      refuse(m.id, 'validation', 'id ≠ rowId', m.rowId);
      continue;
    }
    valid.push({ id: m.id, type: m.type, rowId: m.rowId, hlc: m.hlc, fields: fields.data as Fields });
  }
  return valid;
}

/** Steps 2–4 for pushes taken together, in one transaction; re-runnable, its results are its own. */
async function pushGroup(trx: Tx, jobs: PushJob[]): Promise<PushOutcome[]> {
  // SQLite: take the write lock before the first read. A deferred transaction that read first
  // cannot upgrade once another process has written, and would fail with "database is
  // locked"; starting with a write makes it wait (busy_timeout) instead.
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
    parts.set(key, [...(parts.get(key) ?? []), j]);
  }
  const verdicts = new Map<PushJob, Verdict>();
  for (const part of parts.values()) {
    const verdict = await mergeMutations(trx, part);
    for (const j of part) verdicts.set(j, verdict);
  }
  return jobs.map((j) => {
    const verdict = verdicts.get(j)!;
    const out: PushOutcome = { acked: [], refused: [], deferred: [] };
    for (const m of j.valid) {
      const refusal = verdict.refused.get(m.id);
      if (refusal) out.refused.push({ id: m.id, ...refusal });
      else if (verdict.acked.has(m.id)) out.acked.push(m.id);
      else if (verdict.deferred.has(m.id)) out.deferred.push(m.id);
    }
    return out;
  });
}

interface Verdict {
  acked: Set<string>;
  refused: Map<string, Refused & { row?: RowState | undefined }>;
  deferred: Set<string>;
}

/** What steps 2–4 work on for one team and role: the rows, the teams' sequences, the references. */
interface Batch {
  /** The part's team and role (every sender's the same). */
  actor: Actor;
  now: number;
  rows: Map<string, StoredRow>;
  seqs: Map<string, number>;
  lookup: (id: string) => RowView | undefined;
  /** Threshold sets by version, the team's as the server has them and those this push brings. */
  thresholds: Map<string, Thresholds>;
  /** Rows whose first change was refused: a later change to them is refused too (no half rows). */
  refusedRows: Set<string>;
  /** Found in this push: rows whose first change it refuses, threshold sets, facts it hides. */
  newlyRefused: Map<string, string>;
  newThresholds: Map<string, Thresholds>;
  hidden: { mutation: ValidMutation; actor: Actor; reason: string }[];
  /** Points, confirmed hours and rules of the volunteers this push touches (ledger.ts), when it touches any. */
  ledger: Ledger | null;
  /** Redemptions refused for overdrawing: kept for the coordinator's follow-up. */
  overdrafts: { mutation: ValidMutation; actor: Actor; balance: number }[];
}

/** Steps 2–4 for the mutations of pushes from one team and role. */
async function mergeMutations(trx: Tx, jobs: PushJob[]): Promise<Verdict> {
  const verdict: Verdict = { acked: new Set(), refused: new Map(), deferred: new Set() };
  // the same mutation may come in two pushes at once (a phone retrying): applied once, acked to both
  const sender = new Map<string, PushJob>();
  const valid: ValidMutation[] = [];
  for (const j of jobs) {
    for (const m of j.valid) {
      if (sender.has(m.id)) continue;
      sender.set(m.id, j);
      valid.push(m);
    }
  }
  const now = Math.max(...jobs.map((j) => j.handIn.at));
  const shapeRefused = jobs.flatMap((j) => j.refusedRows);
  if (valid.length === 0 && shapeRefused.length === 0) return verdict;

  // 2.
  const batch = await lockAndLoad(trx, jobs[0]!.actor, valid, now);
  await refusedFirstChanges(trx, batch, shapeRefused);
  for (const id of await alreadyApplied(trx, valid)) verdict.acked.add(id);

  // 3. in passes: a mutation that waits for a row this same push writes later is judged again
  const applied: ValidMutation[] = [];
  let waiting = valid.filter((m) => !verdict.acked.has(m.id));
  for (let progress = true; progress && waiting.length > 0;) {
    progress = false;
    const still: ValidMutation[] = [];
    for (const m of waiting) {
      const judged = judge(batch, m, sender.get(m.id)!.actor);
      if (judged === WAIT) still.push(m);
      else if (judged) verdict.refused.set(m.id, judged);
      else {
        applied.push(m);
        progress = true;
      }
    }
    waiting = still;
  }
  for (const m of waiting) verdict.deferred.add(m.id);
  // a refused change to a row the server holds: the answer carries the row, for the phone to show what is true
  for (const m of valid) {
    const refused = verdict.refused.get(m.id);
    const row = batch.rows.get(m.rowId);
    if (refused && row && !row.isNew) refused.row = row.state;
  }

  // 4.
  await write(
    trx,
    batch,
    applied,
    (m) => sender.get(m.id)!.actor,
    (m) => sender.get(m.id)!.handIn,
  );
  for (const m of applied) verdict.acked.add(m.id);
  return verdict;
}

/** A row the server does not have whose mutation step 1 refused: that was its first change, so the row never half-exists. */
async function refusedFirstChanges(trx: Tx, batch: Batch, rowIds: readonly string[]): Promise<void> {
  const unknown = new Set(rowIds.filter((id) => !batch.rows.has(id)));
  for (const ids of chunks([...unknown])) {
    for (const r of await trx.selectFrom('record').select('row_id').where('row_id', 'in', ids).execute()) unknown.delete(r.row_id);
  }
  for (const id of unknown) batch.newlyRefused.set(id, 'validation');
}

async function alreadyApplied(trx: Tx, mutations: readonly ValidMutation[]): Promise<string[]> {
  const out: string[] = [];
  for (const ids of chunks(mutations.map((m) => m.id))) {
    for (const r of await trx.selectFrom('applied_mutation').select('id').where('id', 'in', ids).execute()) out.push(r.id);
  }
  return out;
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

async function loadRows(trx: Tx, rowIds: readonly string[]): Promise<Map<string, StoredRow>> {
  const rows = new Map<string, StoredRow>();
  for (const ids of chunks(rowIds)) {
    const found = await trx
      .selectFrom('record')
      .select(['row_id', 'type', 'team_id', 'fields', 'clocks'])
      .where('row_id', 'in', ids)
      .execute();
    for (const r of found) {
      const fields = JSON.parse(r.fields) as Fields;
      rows.set(r.row_id, {
        type: r.type,
        teamId: r.team_id,
        state: { fields, clocks: unpackClocks(fields, JSON.parse(r.clocks) as RowState['clocks']) },
        changed: false,
        isNew: false,
        echo: null,
      });
    }
  }
  return rows;
}

/**
 * 2. The teams the mutations touch, locked in a fixed order; then (read again under the
 * lock) the rows they write and the rows they point at (a visit's household, a reading's
 * resident), the team's threshold sets and the rows whose first change was refused.
 */
async function lockAndLoad(trx: Tx, actor: Actor, mutations: readonly ValidMutation[], now: number): Promise<Batch> {
  const rowIds = [...new Set(mutations.map((m) => m.rowId))];
  let rows = await loadRows(trx, rowIds);
  const teams = new Set<string>([actor.teamId]);
  for (const r of rows.values()) teams.add(r.teamId);
  for (const m of mutations) if (typeof m.fields.teamId === 'string') teams.add(m.fields.teamId);
  const seqs = new Map<string, number>();
  for (const team of [...teams].sort()) {
    const seq = await lockTeam(trx, team);
    if (seq !== undefined) seqs.set(team, seq);
  }
  // Under PostgreSQL's read committed, a row may have changed between the first read and
  // the lock; the lock now holds, so read again.
  if (dialectOf(trx) === 'postgres') rows = await loadRows(trx, rowIds);
  const refIds = new Set<string>();
  for (const m of mutations) {
    for (const id of referencedIds(m.type, m.fields)) refIds.add(id);
    const stored = rows.get(m.rowId);
    if (stored && isRecordType(stored.type)) for (const id of referencedIds(stored.type, stored.state.fields)) refIds.add(id);
  }
  // confirmed hours are worked out by the team's rounding rule: its settings row (id = the team's)
  if (mutations.some((m) => m.type === 'serviceRecord')) refIds.add(actor.teamId);
  const refs = await loadRows(
    trx,
    [...refIds].filter((id) => !rows.has(id)),
  );
  const lookup = (id: string): RowView | undefined => {
    const r = rows.get(id) ?? refs.get(id);
    return r ? { teamId: r.teamId, type: r.type, fields: r.state.fields } : undefined;
  };
  const thresholds = new Map<string, Thresholds>();
  if (mutations.some((m) => m.type === 'healthCheck')) {
    for (const t of await trx
      .selectFrom('threshold_set')
      .select(['version', 'vals'])
      .where('team_id', 'in', [...teams])
      .execute()) {
      thresholds.set(t.version, JSON.parse(t.vals) as Thresholds);
    }
  }
  const refusedRows = new Set<string>();
  const unknown = rowIds.filter((id) => !rows.has(id));
  for (const ids of chunks(unknown)) {
    for (const r of await trx.selectFrom('refused_row').select('row_id').where('row_id', 'in', ids).execute()) refusedRows.add(r.row_id);
  }
  let ledger: Ledger | null = null;
  if (mutations.some((m) => LEDGER_TYPES.has(m.type))) {
    const volunteers = mutations.flatMap((m) =>
      LEDGER_TYPES.has(m.type) && typeof m.fields.volunteerId === 'string' ? [m.fields.volunteerId] : [],
    );
    ledger = await loadLedger(trx, actor.teamId, volunteers);
  }
  return {
    actor,
    now,
    rows,
    seqs,
    lookup,
    thresholds,
    refusedRows,
    newlyRefused: new Map(),
    newThresholds: new Map(),
    hidden: [],
    ledger,
    overdrafts: [],
  };
}

/** The clock of a value the server writes over a phone's: just after the phone's, so it wins there and nowhere else. */
function serverAfter(hlc: string): string {
  const { ms, counter } = decodeHlc(hlc);
  return counter < HLC_MAX_COUNTER
    ? encodeHlc({ ms, counter: counter + 1, node: SERVER_NODE })
    : encodeHlc({ ms: ms + 1, counter: 0, node: SERVER_NODE });
}
const SERVER_NODE = 'ffffffffffffffff';

/**
 * `merged` with the server's values where they differ: at the mutation's clock where the
 * mutation did not send the field (the phone has no value of its own to keep), else at a
 * clock just after it, so the server's value replaces the phone's there too.
 */
function withServerValues(merged: RowState, values: Fields, m: ValidMutation): RowState {
  const changed = Object.keys(values).filter((k) => JSON.stringify(merged.fields[k]) !== JSON.stringify(values[k]));
  if (changed.length === 0) return merged;
  const fields = { ...merged.fields };
  const clocks = { ...merged.clocks };
  for (const k of changed) [fields[k], clocks[k]] = [values[k], k in m.fields ? serverAfter(m.hlc) : m.hlc];
  return { fields, clocks };
}

/** The fields every record carries, as the server knows them for a row's first change: its id and team, and when it was stamped. */
function baseFields(m: ValidMutation, teamId: string): Fields {
  const stamped = new Date(hlcMs(m.hlc)).toISOString();
  return { id: m.rowId, teamId, createdAt: stamped, updatedAt: stamped, deleted: false };
}

/**
 * 3. One mutation: may it be written (null), must it wait, or why not. Merges it into the
 * batch's rows when it may. `sender` is who sent it: who did it is theirs.
 */
function judge(batch: Batch, m: ValidMutation, sender: Actor): Judgement | { code: 'type_mismatch' | 'clock_skew' } {
  const { actor, rows } = batch;
  if (hlcMs(m.hlc) - batch.now > CLOCK_TOLERANCE_MS) return { code: 'clock_skew' };
  const current = rows.get(m.rowId);
  const teamId = current?.teamId ?? (m.fields.teamId as string | undefined) ?? actor.teamId;
  if (current && current.type !== m.type) return { code: 'type_mismatch' };
  if (
    (m.fields.teamId !== undefined && m.fields.teamId !== teamId) ||
    (actor.role !== 'admin' && teamId !== actor.teamId) ||
    !batch.seqs.has(teamId)
  ) {
    return { code: 'forbidden' };
  }
  const refusal = (r: Refusal): Refusal => {
    // a row whose first change is refused never half-exists: its later changes are refused too
    // (not for a refusal of the sender's rights, which says nothing of the row)
    if (!current && r.code !== 'forbidden') batch.newlyRefused.set(m.rowId, r.code);
    return r;
  };
  // a row named by its content, created again by a second phone: who created it and when stay the first's
  if (current && RECORDS[m.type].namedId) m = { ...m, fields: withoutCreation(m.fields) };
  const denied =
    checkAccess(m.type, m.rowId, teamId, actor.role, m.fields) ??
    (current ? checkChange(m.type, current.state.fields, m.fields, sender) : null);
  if (denied) return refusal(denied);
  // a resident's request is written by the server from its public page, never by a phone
  if (!current && m.type === 'request') return { code: 'forbidden' };
  const before = current?.state ?? { fields: {}, clocks: {} };
  // a row's first change: what every record carries and the server knows, where it is missing
  const fields = current ? m.fields : { ...baseFields(m, teamId), ...m.fields };
  let merged = mergeRows(before, mutationRow(fields, m.hlc));
  merged = withServerValues(merged, authorship(m.type, !current, m.fields, sender), m);
  const refs = checkReferences(m.type, teamId, current ? m.fields : merged.fields, batch.lookup);
  if (refs === WAIT) return WAIT;
  if (refs) return refusal(refs);
  if (!current && !isWholeRecord(m.type, merged.fields)) {
    // not a whole record: a change to a row whose first change was refused (so is it), or
    // has not arrived yet (it waits). A whole record is judged on its own, refused before or not.
    return batch.refusedRows.has(m.rowId) || batch.newlyRefused.has(m.rowId) ? { code: 'orphan' } : WAIT;
  }
  const thresholdsOf = (v: string) => batch.newThresholds.get(v) ?? batch.thresholds.get(v);
  const broken = checkMerged(m.type, merged.fields, m.fields, { lookup: batch.lookup, thresholdsOf, now: batch.now, actor: batch.actor });
  if (broken === WAIT) return WAIT;
  if (broken) return refusal(broken);
  merged = withServerValues(merged, derivedFields(m.type, merged.fields), m);
  if (!current && batch.ledger) {
    const booked = bookLedger(batch.ledger, m, merged.fields);
    if ('refused' in booked) {
      if (booked.balance !== undefined) batch.overdrafts.push({ mutation: m, actor: sender, balance: booked.balance });
      return refusal(booked.refused);
    }
    merged = withServerValues(merged, booked.values, m);
    addToLedger(batch.ledger, m, merged.fields);
  }
  if (m.type === 'healthThresholds') {
    const { values, version } = merged.fields as { values: Thresholds; version: string };
    batch.newThresholds.set(version, values);
  }
  if (current && RECORDS[m.type].appendOnly && m.fields.deleted === true && current.state.fields.deleted !== true) {
    batch.hidden.push({ mutation: m, actor: sender, reason: String(merged.fields.deletedReason ?? '') });
  }
  rows.set(m.rowId, {
    type: m.type,
    teamId,
    state: merged,
    changed: (current?.changed ?? false) || rowChanged(before, merged),
    isNew: current?.isNew ?? true,
    echo: echoOf(merged, m, sender),
  });
  return null;
}

/**
 * The sender's device when the row's state is exactly what this mutation sent — every field
 * at its clock, with its value: nothing merged in from elsewhere, nothing the server wrote
 * (those carry other clocks, or fields it did not send) — so that phone, which wrote the
 * row in its store before it queued the change, already holds all of it. Else null.
 */
function echoOf(merged: RowState, m: ValidMutation, sender: Actor): string | null {
  if (!sender.deviceId) return null;
  for (const [k, v] of Object.entries(merged.fields)) {
    if (merged.clocks[k] !== m.hlc || !(k in m.fields)) return null;
    if (JSON.stringify(m.fields[k]) !== JSON.stringify(v)) return null;
  }
  return sender.deviceId;
}

/** 4. Changed rows numbered in their team's sequence and written, with their report facts and the applied ids. */
async function write(
  trx: Tx,
  batch: Batch,
  applied: readonly ValidMutation[],
  senderOf: (m: ValidMutation) => PushJob['actor'],
  handInOf: (m: ValidMutation) => HandIn,
): Promise<void> {
  const { rows, seqs, now } = batch;
  const changed: { rowId: string; type: RecordType; row: StoredRow }[] = [];
  for (const [rowId, row] of rows) if (row.changed && isRecordType(row.type)) changed.push({ rowId, type: row.type, row });
  const writes: Schema['record'][] = changed.map(({ rowId, type, row }) => {
    const seq = seqs.get(row.teamId)! + 1;
    seqs.set(row.teamId, seq);
    return {
      row_id: rowId,
      type,
      team_id: row.teamId,
      fields: JSON.stringify(row.state.fields),
      clocks: JSON.stringify(packClocks(row.state.fields, row.state.clocks)),
      seq,
      updated_at: now,
      echo_device: row.echo,
    };
  });
  for (const part of chunks(writes)) {
    await trx
      .insertInto('record')
      .values(part)
      .onConflict((oc) =>
        oc.column('row_id').doUpdateSet((eb) => ({
          fields: eb.ref('excluded.fields'),
          clocks: eb.ref('excluded.clocks'),
          seq: eb.ref('excluded.seq'),
          updated_at: eb.ref('excluded.updated_at'),
          echo_device: eb.ref('excluded.echo_device'),
        })),
      )
      .execute();
  }
  // the report rows of the same records, in the same transaction
  await writeFacts(
    trx,
    changed.map(({ rowId, type, row }) => ({ type, rowId, teamId: row.teamId, fields: row.state.fields })),
  );
  await redirectMerged(
    trx,
    changed.flatMap(({ rowId, type, row }) =>
      type === 'household' && typeof row.state.fields.mergedInto === 'string'
        ? [{ from: rowId, into: row.state.fields.mergedInto, teamId: row.teamId }]
        : [],
    ),
    // only a push that wrote a household's report rows (or a merge) can have any to move
    [...new Set(changed.filter(({ type }) => NAMES_HOUSEHOLD.has(type) || type === 'household').map(({ row }) => row.teamId))],
  );
  for (const part of chunks(applied)) {
    await trx
      .insertInto('applied_mutation')
      .values(
        part.map((m) => ({
          id: m.id,
          row_id: m.rowId,
          device_id: handInOf(m).id,
          applied_at: handInOf(m).at,
          user_id: senderOf(m).userId,
        })),
      )
      // the team lock makes a second copy of one mutation wait and then find it applied; never fail a push on it
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
  const teamOf = (rowId: string) => rows.get(rowId)?.teamId ?? batch.actor.teamId;
  for (const [version, values] of batch.newThresholds) {
    await trx
      .insertInto('threshold_set')
      .values({ team_id: batch.actor.teamId, version, vals: JSON.stringify(values), first_seen: now })
      .onConflict((oc) => oc.columns(['team_id', 'version']).doNothing())
      .execute();
  }
  for (const [rowId, code] of batch.newlyRefused) {
    await trx
      .insertInto('refused_row')
      .values({ row_id: rowId, team_id: teamOf(rowId), code, at: now })
      .onConflict((oc) => oc.column('row_id').doNothing())
      .execute();
  }
  for (const { mutation: m, actor, reason } of batch.hidden) {
    await trx
      .insertInto('audit')
      .values({
        at: now,
        user_id: actor.userId,
        team_id: teamOf(m.rowId),
        action: 'fact.hide',
        detail: JSON.stringify({ type: m.type, rowId: m.rowId, reason }),
      })
      .execute();
  }
  for (const { mutation: m, actor, balance } of batch.overdrafts) {
    const r = withDefaults('redemption', m.fields);
    await trx
      .insertInto('audit')
      .values({
        at: now,
        user_id: actor.userId,
        team_id: teamOf(m.rowId),
        action: 'points.overdraft',
        detail: JSON.stringify({
          rowId: m.rowId,
          volunteerId: r.volunteerId,
          points: r.points,
          item: r.item,
          at: r.at,
          balance,
          byName: actor.name,
        }),
      })
      .execute();
  }
  for (const [teamId, seq] of seqs) {
    await trx.updateTable('team_seq').set({ seq }).where('team_id', '=', teamId).execute();
  }
}

/**
 * A new row's part in the ledger: the points a confirmation earns by the rule in force on
 * its day; a redemption within the balance; a certificate's serial its id's and its totals
 * the confirmed hours the server holds. The values are the server's, written over the phone's.
 */
function bookLedger(ledger: Ledger, m: ValidMutation, merged: Fields): { values: Fields } | { refused: Refusal; balance?: number } {
  if (m.type === 'serviceRecord') {
    const r = withDefaults('serviceRecord', merged);
    const rule = ledger.ruleFor(r.date);
    return { values: { points: pointsFor(r.hours, rule), pointsRuleId: rule?.id ?? null } };
  }
  if (m.type === 'redemption') {
    const r = withDefaults('redemption', merged);
    const balance = ledger.balance(r.volunteerId);
    return r.points > balance ? { refused: { code: 'validation', detail: 'points.overdraft' }, balance } : { values: {} };
  }
  if (m.type === 'certificate') {
    const c = withDefaults('certificate', merged);
    const year = c.serial.slice(2, 6);
    if (!/^\d{4}$/.test(year) || c.serial !== certificateSerial(m.rowId, year))
      return { refused: { code: 'validation', detail: 'v.certificateSerial' } };
    return { values: ledger.confirmed(c.volunteerId, c.from, c.to) };
  }
  return { values: {} };
}

function addToLedger(ledger: Ledger, m: ValidMutation, merged: Fields): void {
  if (m.type === 'pointsRule') ledger.addRule(merged);
  if (m.type === 'serviceRecord') {
    const { volunteerId, attendanceId, standing } = standingOf(m.rowId, merged);
    ledger.addService(volunteerId, attendanceId, standing);
  }
  if (m.type === 'redemption') ledger.addRedemption(String(merged.volunteerId), Number(merged.points));
}

function withoutCreation(fields: Fields): Fields {
  const { createdBy: _by, createdAt: _at, ...rest } = fields;
  return rest;
}
