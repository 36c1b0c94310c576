/**
 * Group commit on its own (group-commit.ts): generic jobs on a real SQLite file — jobs that
 * arrive while a transaction runs share the next one, each answered with its own result; a
 * group that fails is retried job by job, so one bad job fails alone; different work never
 * shares a transaction.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db, type Schema } from '../../src/server/db.ts';
import { commitTogether, waitingOn } from '../../src/server/group-commit.ts';

let db: Db;
let dir: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-gc-'));
  db = openDatabase({ dataDir: dir });
  await sql`create table item (id integer primary key, value text not null unique)`.execute(db);
});
afterAll(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The transactions each job ran in, by an id the job's transaction gets from SQLite. */
const txOf = new Map<string, number>();
let tx = 0;
async function insertAll(trx: Transaction<Schema>, values: string[]): Promise<string[]> {
  const id = ++tx;
  const out: string[] = [];
  for (const v of values) {
    await sql`insert into item (value) values (${v})`.execute(trx);
    txOf.set(v, id);
    out.push(`stored ${v}`);
  }
  return out;
}

describe('group commit', () => {
  it('jobs arriving while a transaction runs share the next one, each answered with its own result', async () => {
    const first = commitTogether(db, 'a', 'one', 1, insertAll);
    // the first transaction starts on the next turn; these arrive meanwhile and wait
    const rest = ['two', 'three', 'four'].map((v) => commitTogether(db, 'a', v, 1, insertAll));
    expect(waitingOn(db, 'a')).toBe(4);
    expect(await Promise.all([first, ...rest])).toEqual(['stored one', 'stored two', 'stored three', 'stored four']);
    // all four waited together, so they share one transaction
    expect(new Set(['one', 'two', 'three', 'four'].map((v) => txOf.get(v))).size).toBe(1);
    const rows = await sql<{ value: string }>`select value from item order by id`.execute(db);
    expect(rows.rows.map((r) => r.value)).toEqual(['one', 'two', 'three', 'four']);
  });

  it('a group that fails is retried job by job: only the job that cannot be written fails', async () => {
    const jobs = ['five', 'one', 'six'].map((v) => commitTogether(db, 'a', v, 1, insertAll));
    const results = await Promise.allSettled(jobs);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // the failed group wrote nothing; each survivor then ran in a transaction of its own
    expect(txOf.get('five')).not.toBe(txOf.get('six'));
    const rows = await sql<{ value: string }>`select value from item order by id`.execute(db);
    expect(rows.rows.map((r) => r.value)).toEqual(['one', 'two', 'three', 'four', 'five', 'six']);
  });

  it('work of another kind never shares a transaction, and the line keeps arrival order', async () => {
    const other = async (trx: Transaction<Schema>, values: string[]) =>
      insertAll(
        trx,
        values.map((v) => `${v}!`),
      );
    const a = commitTogether(db, 'a', 'seven', 1, insertAll);
    const b = commitTogether(db, 'a', 'eight', 1, other);
    const c = commitTogether(db, 'a', 'nine', 1, insertAll);
    await Promise.all([a, b, c]);
    const [seven, eight, nine] = [txOf.get('seven')!, txOf.get('eight!')!, txOf.get('nine')!];
    expect(eight).not.toBe(seven);
    expect(eight).not.toBe(nine);
    expect(seven < eight && eight < nine).toBe(true);
    expect(waitingOn(db, 'a')).toBe(0);
  });
});
