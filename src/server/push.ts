/**
 * The push (docs/ARCHITECTURE.md, "Sync protocol"), in the design's steps:
 *
 * 1. validate each mutation on its own — shape, type, fields, clock — so a bad one is refused alone
 *    and never blocks the rest (`validate`);
 * 2. in one transaction: lock the teams touched, in a fixed order, and skip what is already
 *    applied — a replayed batch is acknowledged again and changes nothing (`lockTeams`,
 *    `alreadyApplied`);
 * 3. judge each against its row's team and the rules of its type, and merge it into the row
 *    (`judge`, push-rules.ts);
 * 4. give each changed row its team's next sequence number, write the rows, their report
 *    facts and the applied ids (`write`);
 * 5. answer per mutation, in the caller's words (`applyPush`).
 *
 * Steps 2–4 run for several pushes at once when they arrive together (group-commit.ts): on
 * SQLite every push waiting for the one writer, on PostgreSQL the pushes of one team, which
 * its lock would have run one after another anyway. Each push is still answered for exactly
 * its own mutations.
 */
import type { Kysely, Transaction } from 'kysely';
import { HLC_MAX_DRIFT_MS, hlcMs } from '../shared/hlc.ts';
import { describeIssues, translate, type Locale } from '../shared/i18n/index.ts';
import type { MessageKey } from '../shared/i18n/format.ts';
import { mergeRows, mutationRow, packClocks, rowChanged, unpackClocks, type Fields, type RowState } from '../shared/merge.ts';
import { mutationSchema, type PushRejection, type PushResponse } from '../shared/protocol.ts';
import { isRecordType, RECORDS, type RecordType } from '../shared/registry.ts';
import { ApiError } from './api-error.ts';
import type { Actor } from './app-env.ts';
import { dialectOf, type Db, type Schema } from './db.ts';
import { recordHandIns, type HandIn } from './device.ts';
import { writeFacts } from './facts.ts';
import { commitTogether } from './group-commit.ts';
import { checkAccess, checkMerged, referencedIds, type Refusal, type RowView } from './push-rules.ts';

type Tx = Transaction<Schema> | Kysely<Schema>;

/** Well under SQLite's 32,766 bound variables per statement. */
const CHUNK = 400;

function chunks<T>(xs: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

export interface PushInput {
  deviceId: string;
  mutations: unknown[];
  /** For the hand-in check: the app's version and what the phone still held. */
  appVersion?: string | undefined;
  pending?: number | undefined;
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
  handIn: HandIn;
}

/** A refusal before it is put in the caller's words. */
type Refused = { code: Refusal['code'] | 'type_mismatch'; detail?: MessageKey | undefined };

/** What the database made of one push. */
interface PushOutcome {
  acked: string[];
  refused: ({ id: string } & Refused)[];
}

/** A stored row as the push reads and merges it. */
interface StoredRow {
  type: string;
  teamId: string;
  state: RowState;
  changed: boolean;
}

export async function applyPush(db: Db, actor: Actor, input: PushInput, locale: Locale, now = Date.now()): Promise<PushResponse> {
  const rejected: PushRejection[] = [];
  const valid = validate(input.mutations, locale, rejected, now);
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
  // 5.
  for (const r of out.refused) {
    rejected.push({
      id: r.id,
      code: r.code,
      message: translate(locale, `error.${r.code}`, { detail: r.detail ? translate(locale, r.detail) : '' }),
    });
  }
  return { acked: out.acked, rejected, serverTime: now };
}

/**
 * 1. Each mutation on its own: its envelope, its type, its fields against the type's schema
 * made partial. One without even an id to answer by makes the whole push a 400.
 */
function validate(items: readonly unknown[], locale: Locale, rejected: PushRejection[], now: number): ValidMutation[] {
  const valid: ValidMutation[] = [];
  const seen = new Set<string>();
  const refuse = (id: string, code: PushRejection['code'], detail = '') =>
    rejected.push({ id, code, message: translate(locale, `error.${code as 'validation'}`, { detail }) });
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
      refuse(m.id, 'unknown_type');
      continue;
    }
    const fields = RECORDS[m.type].partial.safeParse(m.fields);
    if (!fields.success) {
      refuse(m.id, 'validation', describeIssues(locale, fields.error.issues));
      continue;
    }
    if (fields.data.id !== undefined && fields.data.id !== m.rowId) {
      refuse(m.id, 'validation', 'id ≠ rowId');
      continue;
    }
    if (hlcMs(m.hlc) - now > HLC_MAX_DRIFT_MS) {
      refuse(m.id, 'clock_skew');
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

/** What steps 2–4 work on for one team and role: the rows, the teams' sequences, the references. */
interface Batch {
  actor: Actor;
  now: number;
  rows: Map<string, StoredRow>;
  seqs: Map<string, number>;
  lookup: (id: string) => RowView | undefined;
}

/** Steps 2–4 for the mutations of pushes from one team and role. */
async function mergeMutations(trx: Tx, jobs: PushJob[]): Promise<Verdict> {
  const verdict: Verdict = { acked: new Set(), refused: new Map() };
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
  if (valid.length === 0) return verdict;
  const now = Math.max(...jobs.map((j) => j.handIn.at));

  // 2.
  for (const id of await alreadyApplied(trx, valid)) verdict.acked.add(id);
  const todo = valid.filter((m) => !verdict.acked.has(m.id));
  if (todo.length === 0) return verdict;
  const batch = await lockAndLoad(trx, jobs[0]!.actor, todo, now);

  // 3.
  const applied: ValidMutation[] = [];
  for (const m of todo) {
    const refusal = judge(batch, m);
    if (refusal) verdict.refused.set(m.id, refusal);
    else applied.push(m);
  }

  // 4.
  await write(trx, batch, applied, (m) => sender.get(m.id)!.handIn);
  for (const m of applied) verdict.acked.add(m.id);
  return verdict;
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
      });
    }
  }
  return rows;
}

/**
 * 2. The rows the mutations write, the teams they touch locked in a fixed order, and the rows
 * they point at (a visit's household, a reading's resident) — to keep references inside the
 * team and to find a resident's consent.
 */
async function lockAndLoad(trx: Tx, actor: Actor, todo: readonly ValidMutation[], now: number): Promise<Batch> {
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
  // Under PostgreSQL's read committed, a row may have changed between the first read and
  // the lock; the lock now holds, so read again.
  if (dialectOf(trx) === 'postgres') rows = await loadRows(trx, rowIds);
  const refIds = new Set<string>();
  for (const m of todo) {
    for (const id of referencedIds(m.type, m.fields)) refIds.add(id);
    const stored = rows.get(m.rowId);
    if (stored) for (const id of referencedIds(m.type, stored.state.fields)) refIds.add(id);
  }
  const refs = await loadRows(
    trx,
    [...refIds].filter((id) => !rows.has(id)),
  );
  const lookup = (id: string): RowView | undefined => {
    const r = rows.get(id) ?? refs.get(id);
    return r ? { teamId: r.teamId, type: r.type, fields: r.state.fields } : undefined;
  };
  return { actor, now, rows, seqs, lookup };
}

/** 3. One mutation: may it be written, and the row it makes. Merges it into the batch's rows when it may. */
function judge(batch: Batch, m: ValidMutation): Refused | null {
  const { actor, rows } = batch;
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
  const denied = checkAccess(m.type, m.rowId, teamId, actor.role, m.fields, batch.lookup);
  if (denied) return denied;
  const before = current?.state ?? { fields: {}, clocks: {} };
  const merged = mergeRows(before, mutationRow(m.fields, m.hlc));
  const broken = checkMerged(m.type, merged.fields, batch.lookup);
  if (broken) return broken;
  rows.set(m.rowId, { type: m.type, teamId, state: merged, changed: (current?.changed ?? false) || rowChanged(before, merged) });
  return null;
}

/** 4. Changed rows numbered in their team's sequence and written, with their report facts and the applied ids. */
async function write(trx: Tx, batch: Batch, applied: readonly ValidMutation[], handInOf: (m: ValidMutation) => HandIn): Promise<void> {
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
        })),
      )
      .execute();
  }
  // the report rows of the same records, in the same transaction
  await writeFacts(
    trx,
    changed.map(({ rowId, type, row }) => ({ type, rowId, teamId: row.teamId, fields: row.state.fields })),
  );
  for (const part of chunks(applied)) {
    await trx
      .insertInto('applied_mutation')
      .values(part.map((m) => ({ id: m.id, row_id: m.rowId, device_id: handInOf(m).id, applied_at: handInOf(m).at })))
      .execute();
  }
  for (const [teamId, seq] of seqs) {
    await trx.updateTable('team_seq').set({ seq }).where('team_id', '=', teamId).execute();
  }
}
