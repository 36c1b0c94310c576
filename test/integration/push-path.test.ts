/**
 * The server's push and pull paths under load: pushes taken into one transaction together
 * keep each push's outcome its own, even when one push in a group fails; a pull
 * page served again from the cache is a correct answer — a change made after it was kept is
 * never lost, it arrives further on.
 */
import type { Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHlc } from '../../src/shared/hlc.ts';
import { SHARED_CLOCK_KEY, unpackClocks } from '../../src/shared/merge.ts';
import { PULL_PACKED_CLOCKS, SCHEMA_VERSION, type PullResponse, type PushResponse } from '../../src/shared/protocol.ts';
import { newId } from '../../src/data/records.ts';
import type { Schema } from '../../src/server/db.ts';
import { registerDevice } from '../../src/server/device.ts';
import type { Actor } from '../../src/server/app-env.ts';
import { commitTogether, waitingOn } from '../../src/server/group-commit.ts';
import { applyPush } from '../../src/server/push.ts';
import { BACKENDS, HttpClient, startServer, type TestServer } from './harness.ts';

describe.each(BACKENDS)('push and pull paths on $name', (backend) => {
  let server: TestServer;
  let client: HttpClient;
  let teamId: string;
  const node = 'abcabcabcabc0001';
  let counter = 0;
  const hlc = () => encodeHlc({ ms: Date.now(), counter: counter++ % 0xffff, node });

  beforeAll(async () => {
    server = await startServer(backend);
    teamId = await server.addTeam('路径');
    const u = await server.addUser(teamId, 'path-user');
    client = new HttpClient(server.url);
    await client.json('/api/auth/login', { body: { username: u.username, password: u.password } });
  });
  afterAll(async () => {
    await server.stop();
  });

  const push = (mutations: unknown[]) =>
    client.json<PushResponse>('/api/sync/push', { body: { deviceId: node, schemaVersion: SCHEMA_VERSION, mutations } });
  const event = (rowId: string, title: string) => ({
    id: newId(),
    type: 'repairEvent',
    rowId,
    hlc: hlc(),
    fields: { title, date: '2026-11-23', site: '院子', status: 'open' },
  });

  it('many concurrent pushes: each answered for its own mutations, all on disk', async () => {
    const rows = Array.from({ length: 60 }, () => newId());
    const answers = await Promise.all(rows.map((r, i) => push([event(r, `活动${i}`)])));
    for (const a of answers) expect(a.body.acked).toHaveLength(1);
    const stored = await server.db.selectFrom('record').select('row_id').where('row_id', 'in', rows).execute();
    expect(stored).toHaveLength(rows.length);
  });

  it("a team's phones pushing at once share one transaction: each answered for exactly its own mutations, in its own language; hand-ins per phone; a mutation in two pushes applied once", async () => {
    const stamp = Date.now() % 100000;
    const team = await server.addTeam(`同时-${stamp}`);
    const other = await server.addTeam(`别队-${stamp}`);
    const phone = async (teamOf: string, name: string, deviceId: string): Promise<Actor> => {
      const u = await server.addUser(teamOf, `${name}${stamp}`);
      await registerDevice(server.db, { id: deviceId, teamId: teamOf, userId: u.id, userAgent: 'test' });
      return { userId: u.id, teamId: teamOf, role: 'volunteer', username: u.username, name: u.username, sessionId: '', deviceId };
    };
    const zh = await phone(team, 'zh', '0000000000000d01');
    const en = await phone(team, 'en', '0000000000000d02');
    const far = await phone(other, 'far', '0000000000000d03');
    const theirEvent = event(newId(), '别队的活动');
    expect((await applyPush(server.db, far, { deviceId: far.deviceId!, mutations: [theirEvent] }, 'zh-CN')).acked).toEqual([theirEvent.id]);

    const mine = event(newId(), '中文的活动');
    // a ticket pointing at another team's event: refused
    const pointsAway = {
      id: newId(),
      type: 'repairTicket',
      rowId: newId(),
      hlc: hlc(),
      fields: { eventId: theirEvent.rowId, problem: '不转' },
    };
    const theirs = event(newId(), 'English event');
    // a volunteer may not set the team's health thresholds: refused
    const thresholds = { id: newId(), type: 'healthThresholds', rowId: team, hlc: hlc(), fields: {} };
    // all three reach the team's line (SQLite: the one writer's) before its next transaction starts
    const line = backend.name === 'sqlite' ? '' : team;
    const answers = Promise.all([
      applyPush(server.db, zh, { deviceId: zh.deviceId!, mutations: [mine, pointsAway], pending: 3, appVersion: 'zh-1' }, 'zh-CN'),
      // the same push again at once, as a phone retrying after a lost answer
      applyPush(server.db, zh, { deviceId: zh.deviceId!, mutations: [mine, pointsAway], pending: 3, appVersion: 'zh-1' }, 'zh-CN'),
      applyPush(server.db, en, { deviceId: en.deviceId!, mutations: [theirs, thresholds], pending: 0, appVersion: 'en-1' }, 'en'),
    ]);
    expect(waitingOn(server.db, line)).toBe(3);
    const [a, again, b] = await answers;
    for (const answer of [a, again]) {
      expect(answer.acked).toEqual([mine.id]);
      expect(answer.rejected).toEqual([{ id: pointsAway.id, code: 'forbidden', message: '没有权限进行这个操作。' }]);
    }
    expect(b.acked).toEqual([theirs.id]);
    expect(b.rejected).toEqual([{ id: thresholds.id, code: 'forbidden', message: 'You are not allowed to do this.' }]);

    const byId = <T extends { id?: string; row_id?: string }>(xs: T[]) =>
      xs.sort((x, y) => String(x.id ?? x.row_id).localeCompare(String(y.id ?? y.row_id)));
    const applied = await server.db
      .selectFrom('applied_mutation')
      .select(['id', 'device_id'])
      .where('id', 'in', [mine.id, pointsAway.id, theirs.id, thresholds.id])
      .execute();
    expect(byId(applied)).toEqual(
      byId([
        { id: mine.id, device_id: zh.deviceId },
        { id: theirs.id, device_id: en.deviceId },
      ]),
    );
    const rows = await server.db
      .selectFrom('record')
      .select(['row_id', 'team_id'])
      .where('row_id', 'in', [mine.rowId, pointsAway.rowId, theirs.rowId, team])
      .execute();
    expect(byId(rows)).toEqual(
      byId([
        { row_id: mine.rowId, team_id: team },
        { row_id: theirs.rowId, team_id: team },
      ]),
    );
    const devices = await server.db
      .selectFrom('device')
      .select(['id', 'pending', 'app_version', 'last_sync_at'])
      .where('team_id', '=', team)
      .orderBy('id')
      .execute();
    expect(devices.map((d) => [d.id, d.pending, d.app_version])).toEqual([
      [zh.deviceId, 3, 'zh-1'],
      [en.deviceId, 0, 'en-1'],
    ]);
    for (const d of devices) expect(Number(d.last_sync_at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('a push that fails inside a group does not take the others with it', async () => {
    const good = newId();
    const third = newId();
    // jobs on one line, answered in arrival order; the second cannot be written
    const write = async (trx: Transaction<Schema>, jobs: string[]) => {
      for (const job of jobs) {
        await trx.insertInto('audit').values({ at: 1, user_id: null, team_id: null, action: 'group.job', detail: job }).execute();
        if (job === 'bad') throw new Error('this push cannot be written');
      }
      return jobs.map((job) => `done ${job}`);
    };
    const results = await Promise.allSettled([
      commitTogether(server.db, 'test', good, 1, write),
      commitTogether(server.db, 'test', 'bad', 1, write),
      commitTogether(server.db, 'test', third, 1, write),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : null))).toEqual([`done ${good}`, null, `done ${third}`]);
    const audit = await server.db.selectFrom('audit').select('detail').where('action', '=', 'group.job').execute();
    // the good jobs are written once each, the failed one not at all
    expect(audit.map((a) => a.detail).sort()).toEqual([good, third].sort());
  });

  it('a cached pull page never hides a change made after it was kept', async () => {
    // a fresh team with 6 rows; pages of 2
    const team = await server.addTeam(`分页-${Date.now()}`);
    const u = await server.addUser(team, `pager${Date.now() % 100000}`);
    const c = new HttpClient(server.url);
    await c.json('/api/auth/login', { body: { username: u.username, password: u.password } });
    const rows = Array.from({ length: 6 }, () => newId());
    const pushTo = (mutations: unknown[]) =>
      c.json<PushResponse>('/api/sync/push', { body: { deviceId: node, schemaVersion: SCHEMA_VERSION, mutations } });
    expect((await pushTo(rows.map((r, i) => event(r, `第${i}`)))).body.acked).toHaveLength(6);
    const pull = async (cursor: string) => (await c.json<PullResponse>(`/api/sync/pull?cursor=${cursor}&limit=2`)).body;

    const first = await pull('0'); // full page: kept
    expect(first.more).toBe(true);
    // a row of that first page changes: it is re-sequenced after every other row
    const changed = first.changes[0]!.rowId;
    expect((await pushTo([event(changed, '改过的标题')])).body.acked).toHaveLength(1);
    const again = await pull('0');
    // the kept page may be served (the older version of that row)…
    expect(again.changes.map((ch) => ch.rowId)).toEqual(first.changes.map((ch) => ch.rowId));
    // …but a pull on from its cursor reaches the new version, and misses nothing
    const seen = new Map<string, string>();
    let cursor = '0';
    for (;;) {
      const page = await pull(cursor);
      for (const ch of page.changes) seen.set(ch.rowId, String(ch.fields.title));
      cursor = page.cursor;
      if (!page.more) break;
    }
    expect([...seen.keys()].sort()).toEqual([...rows].sort());
    expect(seen.get(changed)).toBe('改过的标题');
    expect(again.serverTime).toBeGreaterThanOrEqual(first.serverTime);
  });

  it.each([
    ['packed', `&${PULL_PACKED_CLOCKS}`],
    ['full', ''],
  ])('a pull page (clocks %s) carries any text exactly and pages without gaps', async (form, asked) => {
    const team = await server.addTeam(`文字-${form}-${Date.now()}`);
    const u = await server.addUser(team, `texter${form}${Date.now() % 100000}`);
    const c = new HttpClient(server.url);
    await c.json('/api/auth/login', { body: { username: u.username, password: u.password } });
    const titles = ['引号 " 与反斜杠 \\ 与换行\n', 'emoji 🧓🏻 与 \u2028 行分隔', '制表\t控制\u0001', '{"type":"不是记录"}', '普通'];
    const rows = titles.map(() => newId());
    const pushed = await c.json<PushResponse>('/api/sync/push', {
      body: { deviceId: node, schemaVersion: SCHEMA_VERSION, mutations: rows.map((r, i) => event(r, titles[i]!)) },
    });
    expect(pushed.body.acked).toHaveLength(rows.length);
    const got: { rowId: string; title: unknown; seq: number }[] = [];
    let cursor = '0';
    for (let pages = 0; ; pages++) {
      const page = (await c.json<PullResponse>(`/api/sync/pull?cursor=${cursor}&limit=2${asked}`)).body;
      for (const ch of page.changes) got.push({ rowId: ch.rowId, title: ch.fields.title, seq: Number(ch.seq) });
      expect(page.changes.length).toBeLessThanOrEqual(2);
      cursor = page.cursor;
      if (!page.more) break;
      expect(pages).toBeLessThan(5);
    }
    expect(got.map((g) => g.rowId)).toEqual(rows);
    // exactly as stored (the schema trims ends), and the text inside intact
    const stored = await server.db.selectFrom('record').select(['row_id', 'fields']).where('row_id', 'in', rows).execute();
    const storedTitle = new Map(stored.map((r) => [r.row_id, (JSON.parse(r.fields) as { title: string }).title]));
    expect(got.map((g) => g.title)).toEqual(rows.map((r) => storedTitle.get(r)));
    expect(got.map((g) => g.title)).toEqual(titles.map((t) => t.trim()));
    // sequence order, and the cursor is the last change's
    expect(got.map((g) => g.seq)).toEqual([...got.map((g) => g.seq)].sort((a, b) => a - b));
    expect(cursor).toBe(String(got.at(-1)!.seq));
    // a pull past the end: no changes, the same cursor
    const end = (await c.json<PullResponse>(`/api/sync/pull?cursor=${cursor}&limit=2${asked}`)).body;
    expect(end).toMatchObject({ changes: [], cursor, more: false });
  });

  it('clocks are stored and pulled packed for the app, one per field for an older app; both read the same', async () => {
    const team = await server.addTeam(`时钟-${Date.now()}`);
    const u = await server.addUser(team, `clocker${Date.now() % 100000}`);
    const c = new HttpClient(server.url);
    await c.json('/api/auth/login', { body: { username: u.username, password: u.password } });
    const pushTo = (mutations: unknown[]) =>
      c.json<PushResponse>('/api/sync/push', { body: { deviceId: node, schemaVersion: SCHEMA_VERSION, mutations } });
    const created = event(newId(), '包装时钟');
    const edited = { id: newId(), type: 'repairEvent', rowId: created.rowId, hlc: hlc(), fields: { site: '新地点' } };
    const once = event(newId(), '只写一次');
    expect((await pushTo([created, edited, once])).body.acked).toHaveLength(3);

    const stored = await server.db.selectFrom('record').select(['row_id', 'fields', 'clocks']).where('team_id', '=', team).execute();
    const storedClocks = new Map(stored.map((r) => [r.row_id, JSON.parse(r.clocks) as Record<string, string>]));
    // a row written once is one clock; an edited one names only its edited field besides
    expect(storedClocks.get(once.rowId)).toEqual({ [SHARED_CLOCK_KEY]: once.hlc });
    expect(storedClocks.get(created.rowId)).toEqual({ [SHARED_CLOCK_KEY]: created.hlc, site: edited.hlc });

    const packed = (await c.json<PullResponse>(`/api/sync/pull?cursor=0&${PULL_PACKED_CLOCKS}`)).body.changes;
    const full = (await c.json<PullResponse>('/api/sync/pull?cursor=0')).body.changes;
    expect(packed.map((ch) => ch.rowId)).toEqual(full.map((ch) => ch.rowId));
    for (const [i, ch] of packed.entries()) {
      expect(ch.clocks).toEqual(storedClocks.get(ch.rowId));
      const old = full[i]!;
      // the older app's form: every field its clock, nothing packed
      expect(Object.keys(old.clocks).sort()).toEqual(Object.keys(old.fields).sort());
      expect(unpackClocks(ch.fields, ch.clocks)).toEqual(old.clocks);
      expect(ch.fields).toEqual(old.fields);
    }
    // (the fields every record carries, which this terse create left out, the server filled at its clock)
    const filled = Object.fromEntries(['id', 'teamId', 'createdAt', 'createdBy', 'updatedAt', 'deleted'].map((k) => [k, created.hlc]));
    expect(full.find((ch) => ch.rowId === created.rowId)!.clocks).toEqual({
      ...filled,
      title: created.hlc,
      date: created.hlc,
      site: edited.hlc,
      status: created.hlc,
    });

    const bad = await c.json<{ error: { code: string; message: string } }>('/api/sync/pull?cursor=0&clocks=zipped');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad_request');
  });

  it("a phone's sign-in and its pull are answered while the writer is inside a long transaction", async () => {
    const team = await server.addTeam(`读者-${Date.now()}`);
    const u = await server.addUser(team, `reader${Date.now() % 100000}`);
    const c = new HttpClient(server.url);
    const writer = new HttpClient(server.url);
    await c.json('/api/auth/login', { body: { username: u.username, password: u.password } });
    await writer.json('/api/auth/login', { body: { username: u.username, password: u.password } });
    const row = event(newId(), '已提交');
    expect(
      (await writer.json<PushResponse>('/api/sync/push', { body: { deviceId: node, schemaVersion: SCHEMA_VERSION, mutations: [row] } }))
        .body.acked,
    ).toEqual([row.id]);
    // `c` has not been looked up yet: its session is read from the database during the hold
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    let started!: () => void;
    const inside = new Promise<void>((r) => (started = r));
    const holding = server.db.transaction().execute(async (trx) => {
      await trx.insertInto('audit').values({ at: 1, user_id: null, team_id: team, action: 'test.hold', detail: '' }).execute();
      started();
      await gate;
    });
    await inside;
    const answer = c.json<PullResponse>(`/api/sync/pull?cursor=0&${PULL_PACKED_CLOCKS}`);
    const first = await Promise.race([answer, new Promise<'waiting'>((r) => setTimeout(() => r('waiting'), 3000))]);
    open();
    await holding;
    expect(first).not.toBe('waiting');
    const page = await answer;
    expect(page.status).toBe(200);
    // what was committed, and not what the open transaction had written
    expect(page.body.changes.map((ch) => ch.rowId)).toEqual([row.rowId]);
  });

  it('a long line of jobs (as of pushes) lets the server read and answer other requests between its transactions', async () => {
    // ten transactions' worth of jobs, each transaction holding the thread for 40 ms as a
    // synchronous SQLite group does
    const finished: number[] = [];
    const busy = async (_trx: Transaction<Schema>, jobs: number[]) => {
      const until = Date.now() + 40;
      while (Date.now() < until) {
        // the thread is held, as by a group of synchronous statements
      }
      finished.push(Date.now());
      return jobs;
    };
    const line = Promise.all(Array.from({ length: 64 * 10 }, (_, i) => commitTogether(server.db, 'busy', i, 1, busy)));
    const health = await client.json<{ ok: boolean }>('/api/health');
    const answeredAt = Date.now();
    await line;
    expect(health.body.ok).toBe(true);
    expect(finished).toHaveLength(10);
    // answered while the line still had transactions to run
    expect(answeredAt).toBeLessThan(finished.at(-1)!);
  });

  it(
    backend.name === 'sqlite'
      ? "teams' transactions take turns: never two in one turn of the event loop"
      : "teams' transactions run side by side, each on its own connection",
    async () => {
      if (backend.name === 'sqlite') {
        // a tick per turn of the loop; between any two transactions there must be one
        const events: string[] = [];
        let ticking = true;
        const tick = () => {
          events.push('turn');
          if (ticking) setImmediate(tick);
        };
        setImmediate(tick);
        const write = async (_trx: Transaction<Schema>, jobs: number[]) => {
          events.push('transaction');
          return jobs;
        };
        const lines = ['a', 'b', 'c', 'd'].flatMap((line) => [0, 1, 2].map((i) => commitTogether(server.db, `turns-${line}`, i, 1, write)));
        expect(await Promise.all(lines)).toEqual(['a', 'b', 'c', 'd'].flatMap(() => [0, 1, 2]));
        ticking = false;
        const transactions = events.filter((e) => e === 'transaction');
        expect(transactions.length).toBeGreaterThanOrEqual(4);
        for (let i = 1; i < events.length; i++) if (events[i] === 'transaction') expect(events[i - 1]).toBe('turn');
      } else {
        // each transaction waits, inside, for the other to have begun: in turn, neither ends
        let aIn!: () => void;
        let bIn!: () => void;
        const aBegun = new Promise<void>((r) => (aIn = r));
        const bBegun = new Promise<void>((r) => (bIn = r));
        const meet = (mine: () => void, theirs: Promise<void>) => async (_trx: Transaction<Schema>, jobs: number[]) => {
          mine();
          await theirs;
          return jobs;
        };
        const both = Promise.all([
          commitTogether(server.db, 'side-a', 1, 1, meet(aIn, bBegun)),
          commitTogether(server.db, 'side-b', 2, 1, meet(bIn, aBegun)),
        ]);
        const outcome = await Promise.race([both, new Promise<'stuck'>((r) => setTimeout(() => r('stuck'), 5000))]);
        expect(outcome).toEqual([1, 2]);
      }
    },
  );

  it('twenty phones asking for the same pages at once each get every row once, in order', async () => {
    const team = await server.addTeam(`同页-${Date.now()}`);
    const u = await server.addUser(team, `samepage${Date.now() % 100000}`);
    const c = new HttpClient(server.url);
    await c.json('/api/auth/login', { body: { username: u.username, password: u.password } });
    const rows = Array.from({ length: 7 }, () => newId());
    await c.json<PushResponse>('/api/sync/push', {
      body: { deviceId: node, schemaVersion: SCHEMA_VERSION, mutations: rows.map((r, i) => event(r, `同页${i}`)) },
    });
    // 20 phones pull the whole team in pages of 3, all at once: shared reads, no mix-ups
    const phone = async () => {
      const ids: string[] = [];
      let cursor = '0';
      for (;;) {
        const res = await c.json<PullResponse>(`/api/sync/pull?cursor=${cursor}&limit=3`);
        expect(res.status).toBe(200);
        ids.push(...res.body.changes.map((ch) => ch.rowId));
        cursor = res.body.cursor;
        if (!res.body.more) break;
      }
      return ids;
    };
    const all = await Promise.all(Array.from({ length: 20 }, phone));
    for (const ids of all) expect(ids).toEqual(rows);
  });
});
