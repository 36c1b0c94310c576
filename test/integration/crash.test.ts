/**
 * Crash (issue 8): the real server process is killed with SIGKILL — no shutdown, no flush —
 * three times in the middle of a storm of pushes from 10 phones, and restarted each time.
 * The phones carry on by themselves. At the end: every change any phone made is applied
 * exactly once, every phone holds exactly the server's rows, and the database is consistent
 * (SQLite's integrity check, one sequence number per change, the team's counter at the top).
 *
 * SQLite runs in WAL mode with synchronous=FULL: a push is acknowledged only after its
 * transaction is on disk, so a kill can lose an unacknowledged push — which the phone still
 * holds and sends again — but never an acknowledged one.
 */
import type { ChildProcess } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../src/data/db.ts';
import { newId } from '../../src/data/records.ts';
import { saveRepairEvent, saveRepairTicket } from '../../src/data/repair-save.ts';
import { flush } from '../../src/data/sync/flush.ts';
import { stableStringify } from '../../src/shared/merge.ts';
import { freePort } from '../free-port.ts';
import { BACKENDS, Device, spawnServer, startServer, storedState, type TestServer } from './harness.ts';

const PHONES = 10;
const ROUNDS = 30;
const KILLS = 3;

describe.each(BACKENDS)('crash on $name', (backend) => {
  let t: TestServer;
  let proc: ChildProcess | null = null;
  let port = 0;

  beforeAll(async () => {
    t = await startServer(backend);
    port = await freePort();
    proc = await spawnServer(t, port);
  });
  afterAll(async () => {
    proc?.kill('SIGKILL');
    await t.stop();
  });

  it(`SIGKILL ×${KILLS} in a storm of pushes from ${PHONES} phones: nothing lost, nothing duplicated, database consistent`, async () => {
    const teamId = await t.addTeam('断电');
    const remote = { ...t, url: `http://127.0.0.1:${port}` } as TestServer;
    const phones: Device[] = [];
    for (let i = 0; i < PHONES; i++) {
      const u = await t.addUser(teamId, `crash-${i}`);
      const d = new Device(remote);
      await d.signIn(u.username, u.password);
      phones.push(d);
    }
    const made = new Map<string, OutboxEntry>();
    const collect = async (d: Device) => {
      for (const e of await d.db.outbox.toArray()) made.set(e.id, e);
    };
    let failedFlushes = 0;
    let storming = true;

    const storm = phones.map(async (d, i) => {
      const eventId = newId();
      expect((await saveRepairEvent({ id: eventId, title: `第${i}桌`, date: '2026-11-22', site: '院子', status: 'open' }, d.db)).ok).toBe(
        true,
      );
      const mine: string[] = [];
      for (let round = 0; round < ROUNDS || storming; round++) {
        if (round >= ROUNDS * 3) break;
        for (let k = 0; k < 3; k++) {
          const id = newId();
          mine.push(id);
          expect((await saveRepairTicket({ id, eventId, category: 'fan', problem: `第${round}轮 ${k}` }, d.db)).ok).toBe(true);
        }
        // and keep changing an earlier one, so replays after a crash meet edits
        const again = mine[(round * 7) % mine.length]!;
        expect(
          (await saveRepairTicket({ id: again, eventId, status: round % 2 ? 'repairing' : 'waiting', notes: `改${round}` }, d.db)).ok,
        ).toBe(true);
        await collect(d);
        const r = await flush({ db: d.db, fetch: d.fetch, appVersion: 'crash', batchSize: 4 });
        if (r.outcome !== 'ok') failedFlushes++;
      }
    });

    const killer = (async () => {
      for (let k = 0; k < KILLS; k++) {
        await new Promise((r) => setTimeout(r, 700));
        proc!.kill('SIGKILL');
        await new Promise<void>((r) => (proc!.exitCode !== null || proc!.signalCode !== null ? r() : proc!.once('exit', () => r())));
        await new Promise((r) => setTimeout(r, 300));
        proc = await spawnServer(t, port);
      }
      storming = false;
    })();

    await Promise.all([...storm, killer]);
    for (const d of phones) await collect(d);
    for (const d of phones) await d.syncUntilClean();
    for (const d of phones) await d.syncUntilClean();

    // The kills really landed mid-storm: some flushes failed and were carried on from.
    expect(failedFlushes).toBeGreaterThan(0);
    console.log(`crash: ${made.size} changes, ${failedFlushes} flushes failed across ${KILLS} kills`);

    const applied = await t.db
      .selectFrom('applied_mutation')
      .select('id')
      .where('id', 'in', [...made.keys()])
      .execute();
    expect(applied.length).toBe(made.size);
    const rows = await t.db.selectFrom('record').selectAll().where('team_id', '=', teamId).execute();
    const rowIds = new Set([...made.values()].map((m) => m.rowId));
    expect(rows.length).toBe(rowIds.size);
    expect(new Set(rows.map((r) => r.row_id)).size).toBe(rows.length);

    // consistent: one seq per row version, the team's counter at the top
    const seqs = rows.map((r) => Number(r.seq));
    expect(new Set(seqs).size).toBe(seqs.length);
    const counter = await t.db.selectFrom('team_seq').select('seq').where('team_id', '=', teamId).executeTakeFirstOrThrow();
    expect(Number(counter.seq)).toBeGreaterThanOrEqual(Math.max(...seqs));
    if (backend.name === 'sqlite') {
      const check = await sql<{ integrity_check: string }>`PRAGMA integrity_check`.execute(t.db);
      expect(check.rows).toEqual([{ integrity_check: 'ok' }]);
    }

    // every phone holds exactly the server's rows
    const serverState = stableStringify(rows.map((r) => [r.row_id, storedState(r).fields, storedState(r).clocks]).sort());
    for (const d of phones) {
      expect(await d.db.outbox.count()).toBe(0);
      const local = [...(await d.db.repairEvent.toArray()), ...(await d.db.repairTicket.toArray())].map((row) => {
        const { $clocks, ...fields } = row;
        return [row.id, fields, $clocks];
      });
      expect(stableStringify(local.sort())).toBe(serverState);
      await d.close();
    }
  }, 240_000);
});
