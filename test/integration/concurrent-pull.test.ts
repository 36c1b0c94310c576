/**
 * "A pull never skips a change" with several server processes and many concurrent pushers:
 * 20 pushers spread over 2 real server processes (`node src/server/main.ts`) on one
 * database, each pushing 50 batches that create rows and keep editing shared ones, while a
 * puller loops from its cursor. At the end the puller, having only ever moved forward from
 * its cursor, holds every row exactly as the database does.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHlc } from '../../src/shared/hlc.ts';
import { mergeRows, unpackClocks, type RowState } from '../../src/shared/merge.ts';
import { PULL_PACKED_CLOCKS, type PullResponse } from '../../src/shared/protocol.ts';
import { newId } from '../../src/data/records.ts';
import { freePort } from '../free-port.ts';
import { BACKENDS, HttpClient, spawnServer, startServer, storedState, type TestServer } from './harness.ts';

const PUSHERS = 20;
const BATCHES = 50;
const PER_BATCH = 4;
const SHARED_ROWS = 10;

describe.each(BACKENDS)('pull under concurrent pushers on $name', (backend) => {
  let t: TestServer;
  const procs: ChildProcess[] = [];
  const ports: number[] = [];

  beforeAll(async () => {
    t = await startServer(backend);
    for (let i = 0; i < 2; i++) ports.push(await freePort(ports));
    for (const port of ports) procs.push(await spawnServer(t, port));
  });
  afterAll(async () => {
    for (const p of procs) p.kill('SIGTERM');
    await t.stop();
  });

  it(`${PUSHERS} pushers × ${BATCHES} batches over 2 processes: the looping puller sees every change`, async () => {
    const teamId = await t.addTeam('并发');
    const users = await Promise.all(Array.from({ length: PUSHERS + 1 }, (_, i) => t.addUser(teamId, `p${i}`)));
    const clients = await Promise.all(
      users.map(async (u, i) => {
        const c = new HttpClient(`http://127.0.0.1:${ports[i % 2]}`);
        const res = await c.json('/api/auth/login', { body: { username: u.username, password: u.password } });
        expect(res.status).toBe(200);
        return c;
      }),
    );
    const shared = Array.from({ length: SHARED_ROWS }, () => newId());
    // the shared rows exist before the crowd edits them (a first change must be a whole record)
    const created = await clients[0]!.json<{ acked: string[] }>('/api/sync/push', {
      body: {
        deviceId: 'ffffffffffff0000',
        schemaVersion: 1,
        mutations: shared.map((rowId) => ({
          id: newId(),
          type: 'repairEvent',
          rowId,
          hlc: encodeHlc({ ms: Date.now() - 1000, counter: 0, node: 'ffffffffffff0000' }),
          fields: { title: '共用', date: '2026-11-22', site: '院子', status: 'open' },
        })),
      },
    });
    expect(created.body.acked).toHaveLength(SHARED_ROWS);
    let pushing = true;
    const seen = new Map<string, RowState>();
    let lastSeq = 0;
    let cursor = '0';
    const puller = clients[PUSHERS]!;
    async function pullOnce(): Promise<boolean> {
      const page = await puller.json<PullResponse>(`/api/sync/pull?cursor=${cursor}&limit=200&${PULL_PACKED_CLOCKS}`);
      expect(page.status).toBe(200);
      for (const c of page.body.changes) {
        expect(c.seq).toBeGreaterThan(lastSeq);
        lastSeq = c.seq;
        seen.set(
          c.rowId,
          mergeRows(seen.get(c.rowId) ?? { fields: {}, clocks: {} }, { fields: c.fields, clocks: unpackClocks(c.fields, c.clocks) }),
        );
      }
      cursor = page.body.cursor;
      return page.body.more;
    }
    const pulling = (async () => {
      while (pushing) {
        await pullOnce();
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await Promise.all(
      clients.slice(0, PUSHERS).map(async (c, p) => {
        const node = (p + 1).toString(16).padStart(16, '0');
        let counter = 0;
        for (let b = 0; b < BATCHES; b++) {
          const mutations = Array.from({ length: PER_BATCH }, (_, k) => {
            const own = k > 0;
            return {
              id: newId(),
              type: 'repairEvent',
              rowId: own ? newId() : shared[(p + b) % SHARED_ROWS]!,
              hlc: encodeHlc({ ms: Date.now(), counter: counter++ % 0xffff, node }),
              fields: own
                ? { title: `p${p}-b${b}-${k}`, date: '2026-11-22', site: '院子', status: 'open' }
                : { site: `p${p}-b${b}`, [`n${p % 3}`]: undefined, status: b % 2 ? 'open' : 'closed' },
            };
          });
          for (const m of mutations) delete (m.fields as Record<string, unknown>)[`n${p % 3}`];
          const res = await c.json<{ acked: string[] }>('/api/sync/push', { body: { deviceId: node, schemaVersion: 1, mutations } });
          expect(res.status).toBe(200);
          expect(res.body.acked).toHaveLength(PER_BATCH);
        }
      }),
    );
    pushing = false;
    await pulling;
    while (await pullOnce()) {
      // catch up from the cursor — never from zero
    }
    const rows = await t.db.selectFrom('record').selectAll().where('team_id', '=', teamId).execute();
    expect(rows.length).toBe(PUSHERS * BATCHES * (PER_BATCH - 1) + SHARED_ROWS);
    expect(seen.size).toBe(rows.length);
    for (const r of rows) {
      const mine = seen.get(r.row_id);
      expect(mine, r.row_id).toBeDefined();
      expect(mine).toEqual(storedState(r));
    }
    const applied = await t.db
      .selectFrom('applied_mutation')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    // every pusher's mutation, and the shared rows' creates
    expect(Number(applied.n)).toBe(PUSHERS * BATCHES * PER_BATCH + SHARED_ROWS);
  });
});
