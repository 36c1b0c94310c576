/**
 * Records the server writes itself — a resident's request from the public page, a
 * resident's evaluation of what was done — into a team's rows the way a push does: under
 * the team's lock, merged per field at a clock of the server's own (so a phone's later
 * change to a field still wins there), numbered in the team's sequence so every phone pulls
 * them, with their report rows, in one transaction.
 */
import type { Kysely, Transaction } from 'kysely';
import { encodeHlc } from '../shared/hlc.ts';
import { mergeRows, mutationRow, packClocks, unpackClocks, type Fields, type RowState } from '../shared/merge.ts';
import type { RecordType } from '../shared/registry.ts';
import type { Schema } from './db.ts';
import { writeFacts } from './facts.ts';

type Tx = Transaction<Schema> | Kysely<Schema>;

/** The server's clock node: after any phone's at the same instant. */
const SERVER_NODE = 'ffffffffffffffff';

export interface ServerRow {
  type: RecordType;
  rowId: string;
  fields: Fields;
}

/** Writes (creates or merges into) rows of one team; inside the caller's transaction. */
export async function writeServerRows(trx: Tx, teamId: string, rows: readonly ServerRow[], now: number): Promise<void> {
  const lock = await trx
    .updateTable('team_seq')
    .set((eb) => ({ seq: eb.ref('seq') }))
    .where('team_id', '=', teamId)
    .returning('seq')
    .executeTakeFirst();
  if (!lock) throw new Error(`no sequence for team ${teamId}`);
  let seq = Number(lock.seq);
  const hlc = encodeHlc({ ms: now, counter: 0, node: SERVER_NODE });
  const written: { type: RecordType; rowId: string; teamId: string; fields: Fields }[] = [];
  for (const r of rows) {
    const stored = await trx.selectFrom('record').select(['fields', 'clocks', 'team_id']).where('row_id', '=', r.rowId).executeTakeFirst();
    if (stored && stored.team_id !== teamId) throw new Error('a server write across teams');
    const before: RowState = stored
      ? {
          fields: JSON.parse(stored.fields) as Fields,
          clocks: unpackClocks(JSON.parse(stored.fields) as Fields, JSON.parse(stored.clocks) as RowState['clocks']),
        }
      : { fields: {}, clocks: {} };
    const merged = mergeRows(before, mutationRow(r.fields, hlc));
    seq += 1;
    const row = {
      row_id: r.rowId,
      type: r.type,
      team_id: teamId,
      fields: JSON.stringify(merged.fields),
      clocks: JSON.stringify(packClocks(merged.fields, merged.clocks)),
      seq,
      updated_at: now,
      // the server's own write: no phone holds it yet
      echo_device: null,
    };
    await trx
      .insertInto('record')
      .values(row)
      .onConflict((oc) =>
        oc
          .column('row_id')
          .doUpdateSet({ fields: row.fields, clocks: row.clocks, seq: row.seq, updated_at: row.updated_at, echo_device: null }),
      )
      .execute();
    written.push({ type: r.type, rowId: r.rowId, teamId, fields: merged.fields });
  }
  await writeFacts(trx, written);
  await trx.updateTable('team_seq').set({ seq }).where('team_id', '=', teamId).execute();
}
