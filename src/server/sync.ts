/**
 * The sync protocol on the server (ARCHITECTURE.md, "Sync protocol"): push merges mutations
 * into rows with the shared per-field merge, pull hands out a team's changes in sequence.
 */
import type { Kysely, Transaction } from 'kysely';
import { HLC_MAX_DRIFT_MS, hlcMs } from '../shared/hlc.ts';
import { describeIssues, type Locale } from '../shared/i18n/index.ts';
import { translate } from '../shared/i18n/index.ts';
import { mergeRows, mutationRow, rowChanged, type RowState } from '../shared/merge.ts';
import { mutationSchema, type Mutation, type PushRejection, type PushResponse } from '../shared/protocol.ts';
import { isRecordType, partialSchema, type RecordType } from '../shared/records.ts';
import { ApiError } from './api-error.ts';
import { dialectOf, type Db, type Schema } from './db.ts';
import type { Actor } from './session.ts';

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
    const found = await trx.selectFrom('record').select(['row_id', 'type', 'team_id', 'fields', 'clocks']).where('row_id', 'in', ids).execute();
    for (const r of found) {
      rows.set(r.row_id, {
        type: r.type,
        teamId: r.team_id,
        state: { fields: JSON.parse(r.fields) as RowState['fields'], clocks: JSON.parse(r.clocks) as RowState['clocks'] },
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

  const acked: string[] = [];
  if (valid.length > 0) {
    await db.transaction().execute(async (trx) => {
      // 2. SQLite: take the write lock before the first read. A deferred transaction that
      // read first cannot upgrade once another process has written, and would fail with
      // "database is locked"; starting with a write makes it wait (busy_timeout) instead.
      if (dialectOf(trx) === 'sqlite') await lockTeam(trx, actor.teamId);
      const done = new Set<string>();
      for (const ids of chunks(valid.map((m) => m.id))) {
        for (const r of await trx.selectFrom('applied_mutation').select('id').where('id', 'in', ids).execute()) done.add(r.id);
      }
      const todo = valid.filter((m) => !done.has(m.id));
      acked.push(...valid.filter((m) => done.has(m.id)).map((m) => m.id));
      if (todo.length === 0) return;

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

      // 3.
      const applied: Mutation[] = [];
      for (const m of todo) {
        const current = rows.get(m.rowId);
        const teamId = current?.teamId ?? (m.fields.teamId as string | undefined) ?? actor.teamId;
        if (current && current.type !== m.type) {
          reject(m.id, 'type_mismatch', translate(locale, 'error.type_mismatch'));
          continue;
        }
        if (
          (m.fields.teamId !== undefined && m.fields.teamId !== teamId) ||
          (actor.role !== 'admin' && teamId !== actor.teamId) ||
          !seqs.has(teamId)
        ) {
          reject(m.id, 'forbidden', translate(locale, 'error.forbidden'));
          continue;
        }
        const before = current?.state ?? { fields: {}, clocks: {} };
        const merged = mergeRows(before, mutationRow(m.fields, m.hlc));
        rows.set(m.rowId, {
          type: m.type as RecordType,
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
          clocks: JSON.stringify(r.state.clocks),
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
      for (const batch of chunks(applied)) {
        await trx
          .insertInto('applied_mutation')
          .values(batch.map((m) => ({ id: m.id, row_id: m.rowId, device_id: input.deviceId, applied_at: now })))
          .execute();
      }
      for (const [teamId, seq] of seqs) {
        await trx.updateTable('team_seq').set({ seq }).where('team_id', '=', teamId).execute();
      }
      acked.push(...applied.map((m) => m.id));
    });
  }
  // 5.
  return { acked, rejected, serverTime: now };
}

export function parseCursor(cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 0;
  if (!/^\d{1,12}$/.test(cursor)) throw new ApiError(400, 'bad_request');
  return Number(cursor);
}

/**
 * A team's rows changed after the cursor, oldest change first, as the pull's JSON text: rows hold their fields and clocks as JSON
 * written by this server, so they are spliced in rather than parsed and re-serialised —
 * pulls are most of a sync's bytes.
 */
export async function pullChangesJson(db: Db, teamId: string, cursor: number, limit: number, now = Date.now()): Promise<string> {
  const rows = await db
    .selectFrom('record')
    .select(['row_id', 'type', 'fields', 'clocks', 'seq'])
    .where('team_id', '=', teamId)
    .where('seq', '>', cursor)
    .orderBy('seq')
    .limit(limit + 1)
    .execute();
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const changes = page.map((r) => `{"type":${JSON.stringify(r.type)},"rowId":${JSON.stringify(r.row_id)},"fields":${r.fields},"clocks":${r.clocks},"seq":${r.seq}}`);
  const last = page.at(-1);
  return `{"changes":[${changes.join(',')}],"cursor":${JSON.stringify(String(last ? last.seq : cursor))},"more":${more},"serverTime":${now}}`;
}
