/**
 * Offline hand-over: a phone that will not see a network for days writes its pending changes
 * to a file; another phone of the same team imports it and uploads them with its next sync.
 *
 * The file holds the outbox — each change with its own id, clock and fields — and the
 * current state of every row those changes touch, so the importing phone shows the records at
 * once. Import checks the whole file (size, format, every record against its schema, the
 * team) before it writes anything; then, in one transaction, it merges the rows with the same
 * merge as a pull and adds the changes to its outbox under their original ids. The server
 * applies each change id once, so however many times a file is imported — and whether or not
 * the first phone later syncs too — each change lands exactly once.
 */
import * as z from 'zod/mini';
import { isHlc } from '../shared/hlc.ts';
import { mergeRows, mutationRow } from '../shared/merge.ts';
import { SCHEMA_VERSION } from '../shared/protocol.ts';
import { idSchema } from '../shared/schema-kit.ts';
import { RECORD_TYPES, RECORDS, isRecordType, type RecordType } from '../shared/registry.ts';
import { deviceId, observeHlc } from './clock.ts';
import { localDb, type LinliDb, type OutboxEntry } from './db.ts';
import { rowState, toLocalRow, withStore } from './records.ts';
import { refreshRollups, rollupTablesFor } from './rollups.ts';

export const HANDOVER_FORMAT = 'linli-handover';
export const HANDOVER_VERSION = 1;
/** A phone's week offline is a few thousand records; far more is not a hand-over file. */
export const MAX_HANDOVER_BYTES = 20 * 1024 * 1024;

const hlc = z.string().check(z.refine(isHlc, 'v.hlc'));
const handoverSchema = z.strictObject({
  format: z.literal(HANDOVER_FORMAT),
  version: z.literal(HANDOVER_VERSION),
  schemaVersion: z.int(),
  teamId: idSchema,
  teamName: z.string().check(z.maxLength(200)),
  deviceId: z.string().check(z.regex(/^[0-9a-f]{16}$/)),
  exportedBy: z.strictObject({ id: idSchema, name: z.string().check(z.maxLength(60)) }),
  exportedAt: z.string().check(z.maxLength(40)),
  mutations: z.array(
    z.strictObject({
      id: idSchema,
      type: z.enum(RECORD_TYPES),
      rowId: idSchema,
      hlc,
      fields: z.record(z.string(), z.unknown()),
      createdAt: z.number(),
    }),
  ),
  records: z.array(z.strictObject({ type: z.enum(RECORD_TYPES), rowId: idSchema, fields: z.record(z.string(), z.unknown()), clocks: z.record(z.string(), hlc) })),
});
export type HandoverFile = z.infer<typeof handoverSchema>;

export type HandoverError = 'notSignedIn' | 'tooBig' | 'badFile' | 'wrongTeam';
export class HandoverRefused extends Error {
  readonly code: HandoverError;
  constructor(code: HandoverError, detail = '') {
    super(`${code}${detail ? `: ${detail}` : ''}`);
    this.name = 'HandoverRefused';
    this.code = code;
  }
}

/** The phone's pending changes and the rows they touch, as the text of a hand-over file (null when nothing is pending). */
export async function exportHandover(db: LinliDb = localDb()): Promise<{ text: string; filename: string; count: number } | null> {
  const user = await db.getMeta('user');
  if (!user) throw new HandoverRefused('notSignedIn');
  return db.transaction('r', [db.outbox, db.meta, ...RECORD_TYPES.map((t) => db.recordTable(t))], async () => {
    const outbox = await db.outbox.orderBy('seq').toArray();
    if (outbox.length === 0) return null;
    const rows = new Map<string, { type: RecordType; rowId: string }>();
    for (const e of outbox) rows.set(e.rowId, { type: e.type, rowId: e.rowId });
    const records: HandoverFile['records'] = [];
    for (const { type, rowId } of rows.values()) {
      const row = await db.recordTable(type).get(rowId);
      if (row) {
        const s = rowState(row);
        records.push({ type, rowId, fields: s.fields, clocks: s.clocks });
      }
    }
    const device = await deviceId(db);
    const now = new Date();
    const file: HandoverFile = {
      format: HANDOVER_FORMAT,
      version: HANDOVER_VERSION,
      schemaVersion: SCHEMA_VERSION,
      teamId: user.teamId,
      teamName: user.teamName,
      deviceId: device,
      exportedBy: { id: user.id, name: user.name },
      exportedAt: now.toISOString(),
      mutations: outbox.map(({ id, type, rowId, hlc: h, fields, createdAt }) => ({ id, type, rowId, hlc: h, fields, createdAt })),
      records,
    };
    const stamp = now.toISOString().slice(0, 16).replace(/[-:T]/g, '');
    return { text: JSON.stringify(file), filename: `linli-handover-${user.username}-${stamp}.json`, count: outbox.length };
  });
}

/** Checks a file completely; throws HandoverRefused, writes nothing. */
export function checkHandover(text: string, teamId: string): HandoverFile {
  if (new Blob([text]).size > MAX_HANDOVER_BYTES) throw new HandoverRefused('tooBig');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new HandoverRefused('badFile', 'not JSON');
  }
  const parsed = handoverSchema.safeParse(raw);
  if (!parsed.success) throw new HandoverRefused('badFile', 'not the hand-over format');
  const file = parsed.data;
  if (file.schemaVersion > SCHEMA_VERSION) throw new HandoverRefused('badFile', 'from a newer app');
  if (file.teamId !== teamId) throw new HandoverRefused('wrongTeam');
  for (const m of file.mutations) {
    if (!isRecordType(m.type) || !RECORDS[m.type].partial.safeParse(m.fields).success) throw new HandoverRefused('badFile', `change ${m.id}`);
    if (typeof m.fields.teamId === 'string' && m.fields.teamId !== teamId) throw new HandoverRefused('wrongTeam');
  }
  for (const r of file.records) {
    if (!isRecordType(r.type) || !RECORDS[r.type].partial.safeParse(r.fields).success) throw new HandoverRefused('badFile', `record ${r.rowId}`);
    if (Object.keys(r.fields).some((k) => !(k in r.clocks))) throw new HandoverRefused('badFile', `record ${r.rowId} clocks`);
    if (typeof r.fields.teamId === 'string' && r.fields.teamId !== teamId) throw new HandoverRefused('wrongTeam');
  }
  return file;
}

/**
 * Imports a checked file: rows merged, changes queued under their own ids (one already in
 * this phone's outbox is not queued twice). Returns how many changes the file held and how
 * many were new to this phone's outbox.
 */
export async function importHandover(text: string, db: LinliDb = localDb()): Promise<{ count: number; fresh: number }> {
  const user = await db.getMeta('user');
  if (!user) throw new HandoverRefused('notSignedIn');
  const file = checkHandover(text, user.teamId);
  const types = new Set<RecordType>([...file.mutations, ...file.records].map((x) => x.type));
  for (const t of rollupTablesFor(types)) types.add(t);
  let fresh = 0;
  await withStore(db, () =>
    db.transaction('rw', [db.outbox, db.meta, ...[...types].map((t) => db.recordTable(t))], async () => {
      // 1. the rows as the other phone holds them, merged like a pull
      for (const r of file.records) {
        const type = r.type;
        const table = db.recordTable(type);
        const current = await table.get(r.rowId);
        await table.put(toLocalRow(type, r.rowId, mergeRows(rowState(current), { fields: r.fields, clocks: r.clocks }), current));
      }
      // 2. the changes, each once, with the same merge into the rows (a no-op where step 1 had them)
      const known = new Set((await db.outbox.where('id').anyOf(file.mutations.map((m) => m.id)).toArray()).map((e) => e.id));
      let newest = '';
      for (const m of file.mutations) {
        const type = m.type;
        const table = db.recordTable(type);
        const current = await table.get(m.rowId);
        await table.put(toLocalRow(type, m.rowId, mergeRows(rowState(current), mutationRow(m.fields, m.hlc)), current));
        if (m.hlc > newest) newest = m.hlc;
        if (known.has(m.id)) continue;
        const entry: OutboxEntry = { id: m.id, type, rowId: m.rowId, hlc: m.hlc, fields: m.fields, createdAt: m.createdAt };
        await db.outbox.add(entry);
        fresh++;
      }
      // 3. this phone's clock moves past the imported ones, so its own later edits win
      if (newest) await observeHlc(db, newest);
      await refreshRollups(db, [...file.records, ...file.mutations].map((x) => ({ type: x.type, rowId: x.rowId })));
    }),
  );
  return { count: file.mutations.length, fresh };
}
