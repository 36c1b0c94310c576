/**
 * The sync protocol end to end in Node: the real sync client (flush over fake-indexeddb)
 * against the real server and database, with a network that drops, loses and duplicates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gunzipSync, gzipSync } from 'node:zlib';
import { encodeHlc } from '../../src/shared/hlc.ts';
import {
  PUSH_BATCH_FIRST,
  PUSH_BATCH_MIN,
  RECORD_SET_VERSION,
  SCHEMA_VERSION,
  nextPushBatch,
  pushServerMs,
} from '../../src/shared/protocol.ts';
import { newId } from '../../src/data/records.ts';
import { saveRepairEvent, saveRepairTicket, type EventDraft, type TicketDraft } from '../../src/data/repair-save.ts';
import { Link } from '../../src/data/sync/link.ts';
import { pullTeam } from '../../src/data/sync/pull.ts';
import { pushOutbox } from '../../src/data/sync/push.ts';
import { BACKENDS, HttpClient, signedInDevice, startServer, storedState, type Device, type TestServer } from './harness.ts';

function eventDraft(over: Partial<EventDraft> = {}): EventDraft {
  return { id: newId(), title: '秋季维修日', date: '2026-11-22', site: '3号楼前', status: 'open', ...over };
}
function ticketDraft(eventId: string, over: Partial<TicketDraft> = {}): TicketDraft {
  return {
    id: newId(),
    eventId,
    category: 'fan',
    item: '台扇',
    problem: '不转',
    residentName: '',
    residentPhone: '',
    status: 'waiting',
    ...over,
  };
}

async function serverRows(server: TestServer, type?: string) {
  let q = server.db.selectFrom('record').selectAll();
  if (type) q = q.where('type', '=', type);
  return (await q.execute()).map((r) => ({ ...r, fields: JSON.parse(r.fields) as Record<string, unknown> }));
}

describe.each(BACKENDS)('sync on $name', (backend) => {
  let server: TestServer;
  let teamId: string;
  let otherTeamId: string;
  const users: Record<string, { username: string; password: string }> = {};

  beforeAll(async () => {
    server = await startServer(backend);
    teamId = await server.addTeam('东湖社区');
    otherTeamId = await server.addTeam('西湖社区');
    users.a = await server.addUser(teamId, 'alice');
    users.b = await server.addUser(teamId, 'bob');
    users.x = await server.addUser(otherTeamId, 'xavier');
  });
  afterAll(async () => {
    await server.stop();
  });

  const device = (user: keyof typeof users = 'a') => signedInDevice(server, users[user]!);

  it('gives each device of a team its own ticket letter', async () => {
    const d1 = await device('a');
    const d2 = await device('b');
    const l1 = await d1.db.getMeta('deviceLetter');
    const l2 = await d2.db.getMeta('deviceLetter');
    expect(l1).toMatch(/^[A-Z]+$/);
    expect(l2).toMatch(/^[A-Z]+$/);
    expect(l1).not.toBe(l2);
  });

  it('pushing the same batch twice makes one row, and both answers ack it', async () => {
    const d = await device();
    expect((await saveRepairEvent(eventDraft(), d.db)).ok).toBe(true);
    const entries = await d.db.outbox.toArray();
    const body = {
      deviceId: await d.db.getMeta('deviceId'),
      schemaVersion: SCHEMA_VERSION,
      mutations: entries.map(({ id, type, rowId, hlc, fields }) => ({ id, type, rowId, hlc, fields })),
    };
    const first = await d.http.json<{ acked: string[] }>('/api/sync/push', { body });
    const second = await d.http.json<{ acked: string[] }>('/api/sync/push', { body });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(first.body.acked).toEqual(entries.map((e) => e.id));
    expect(second.body.acked).toEqual(entries.map((e) => e.id));
    const rows = (await serverRows(server)).filter((r) => r.row_id === entries[0]!.rowId);
    expect(rows).toHaveLength(1);
    const seqBefore = rows[0]!.seq;
    await d.http.json('/api/sync/push', { body });
    expect((await serverRows(server)).find((r) => r.row_id === entries[0]!.rowId)!.seq).toBe(seqBefore);
    await d.close();
  });

  it('a response lost after the server committed is resent, still one row, and the outbox empties', async () => {
    const d = await device();
    const ev = eventDraft();
    expect((await saveRepairEvent(ev, d.db)).ok).toBe(true);
    for (let i = 0; i < 3; i++) expect((await saveRepairTicket(ticketDraft(ev.id, { problem: `问题 ${i}` }), d.db)).ok).toBe(true);
    d.faults = ['lose-response'];
    const lost = await d.flush();
    expect(lost.outcome).toBe('offline');
    expect(await d.db.outbox.count()).toBe(4);
    const ticketIds = (await d.db.repairTicket.toArray()).map((t) => t.id);
    // committed although the device never heard back
    expect((await serverRows(server, 'repairTicket')).filter((r) => ticketIds.includes(r.row_id))).toHaveLength(3);
    const again = await d.flush();
    expect(again.outcome).toBe('ok');
    expect(await d.db.outbox.count()).toBe(0);
    const rows = (await serverRows(server, 'repairTicket')).filter((r) => ticketIds.includes(r.row_id));
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((r) => r.fields.number)).size).toBe(3);
    await d.close();
  });

  it('a push answer cut off mid-body: the flush says offline, nothing is lost, and the next flush applies each change once', async () => {
    const d = await device();
    const ev = eventDraft();
    expect((await saveRepairEvent(ev, d.db)).ok).toBe(true);
    const mine = Array.from({ length: 3 }, (_, i) => ticketDraft(ev.id, { problem: `断 ${i}` }));
    for (const t of mine) expect((await saveRepairTicket(t, d.db)).ok).toBe(true);
    d.faults = ['cut-response'];
    const cut = await d.flush();
    expect(cut.outcome).toBe('offline');
    expect(await d.db.outbox.count()).toBe(4);
    expect((await d.db.getMeta('lastSync'))?.outcome).toBe('offline');
    const again = await d.flush();
    expect(again.outcome).toBe('ok');
    expect(await d.db.outbox.count()).toBe(0);
    const rows = (await serverRows(server, 'repairTicket')).filter((r) => mine.some((t) => t.id === r.row_id));
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((r) => r.fields.number)).size).toBe(3);
    await d.close();
  });

  it('a pull page cut off mid-body: the flush says offline, the cursor stays, and the next flush pulls the page whole', async () => {
    const writer = await device('a');
    const ev = eventDraft({ title: '断页' });
    expect((await saveRepairEvent(ev, writer.db)).ok).toBe(true);
    for (let i = 0; i < 5; i++) expect((await saveRepairTicket(ticketDraft(ev.id, { problem: `页 ${i}` }), writer.db)).ok).toBe(true);
    expect((await writer.flush()).outcome).toBe('ok');
    const reader = await device('b');
    const user = (await reader.db.getMeta('user'))!;
    const cursorKey = `cursor:${user.teamId}:v${RECORD_SET_VERSION}` as const;
    // nothing to push: the first request is the pull
    reader.faults = ['cut-response'];
    const cut = await reader.flush();
    expect(cut.outcome).toBe('offline');
    expect(await reader.db.getMeta(cursorKey)).toBeUndefined();
    expect(await reader.db.repairTicket.where('eventId').equals(ev.id).count()).toBe(0);
    expect((await reader.flush()).outcome).toBe('ok');
    expect(await reader.db.repairTicket.where('eventId').equals(ev.id).count()).toBe(5);
    await writer.close();
    await reader.close();
  });

  it('the push alone empties the outbox and pulls nothing; the pull alone brings the team and pushes nothing', async () => {
    const a = await device('a');
    const ev = eventDraft({ title: '只推' });
    expect((await saveRepairEvent(ev, a.db)).ok).toBe(true);
    for (let i = 0; i < 2; i++) expect((await saveRepairTicket(ticketDraft(ev.id, { problem: `推 ${i}` }), a.db)).ok).toBe(true);
    const pushed = await pushOutbox({ db: a.db, link: new Link({ fetch: a.fetch }) });
    expect(pushed).toEqual({ pushed: 3, rejected: 0, deferred: 0 });
    expect(await a.db.outbox.count()).toBe(0);
    const user = (await a.db.getMeta('user'))!;
    expect(await a.db.getMeta(`cursor:${user.teamId}:v${RECORD_SET_VERSION}`)).toBeUndefined();
    expect((await serverRows(server, 'repairTicket')).filter((r) => r.fields.eventId === ev.id)).toHaveLength(2);

    const b = await device('b');
    const own = eventDraft({ title: '只拉' });
    expect((await saveRepairEvent(own, b.db)).ok).toBe(true);
    const link = new Link({ fetch: b.fetch });
    const pulled = await pullTeam({ db: b.db, link });
    expect(pulled).toBeGreaterThanOrEqual(3);
    expect(link.requests).toBeGreaterThanOrEqual(1);
    expect(await b.db.repairTicket.where('eventId').equals(ev.id).count()).toBe(2);
    // b's own event is still only on b
    expect(await b.db.outbox.count()).toBe(1);
    expect((await serverRows(server, 'repairEvent')).some((r) => r.row_id === own.id)).toBe(false);
    await a.close();
    await b.close();
  });

  it('survives dropped and duplicated requests', async () => {
    const d = await device();
    const ev = eventDraft();
    expect((await saveRepairEvent(ev, d.db)).ok).toBe(true);
    expect((await saveRepairTicket(ticketDraft(ev.id), d.db)).ok).toBe(true);
    d.faults = ['drop', 'duplicate', 'duplicate'];
    expect((await d.flush()).outcome).toBe('offline');
    await d.syncUntilClean();
    const rows = (await serverRows(server)).filter((r) => r.row_id === ev.id || r.fields.eventId === ev.id);
    expect(rows).toHaveLength(2);
    await d.close();
  });

  it('rejects one invalid mutation of a batch, applies the others, and tells the device why in its language', async () => {
    const d = await device();
    const good = eventDraft();
    expect((await saveRepairEvent(good, d.db)).ok).toBe(true);
    // A mutation the app's own validation would never let through, written straight into the outbox.
    const badRow = newId();
    await d.db.outbox.add({
      id: newId(),
      type: 'repairEvent',
      rowId: badRow,
      hlc: encodeHlc({ ms: Date.now(), counter: 0, node: (await d.db.getMeta('deviceId'))! }),
      fields: { date: '2026-13-45' },
      createdAt: Date.now(),
    });
    await d.db.outbox.add({
      id: newId(),
      type: 'nonsense' as 'repairEvent',
      rowId: newId(),
      hlc: encodeHlc({ ms: Date.now(), counter: 1, node: (await d.db.getMeta('deviceId'))! }),
      fields: {},
      createdAt: Date.now(),
    });
    const good2 = eventDraft({ title: '第二场' });
    expect((await saveRepairEvent(good2, d.db)).ok).toBe(true);
    const r = await flush(d, 'en');
    expect(r.outcome).toBe('ok');
    expect(r.pushed).toBe(2);
    expect(r.rejected).toBe(2);
    expect(await d.db.outbox.count()).toBe(0);
    const failed = await d.db.failed.toArray();
    expect(failed.map((f) => f.code).sort()).toEqual(['unknown_type', 'validation']);
    expect(failed.find((f) => f.code === 'validation')!.message).toBe(
      'Not valid: date: Not a real date: use year-month-day, e.g. 2026-05-01',
    );
    const ids = (await serverRows(server)).map((x) => x.row_id);
    expect(ids).toContain(good.id);
    expect(ids).toContain(good2.id);
    expect(ids).not.toContain(badRow);
    await d.close();
  });

  it('a 401 stops the flush and keeps the outbox intact; after signing in again it all goes', async () => {
    const d = await device();
    const ev = eventDraft();
    expect((await saveRepairEvent(ev, d.db)).ok).toBe(true);
    expect((await saveRepairTicket(ticketDraft(ev.id), d.db)).ok).toBe(true);
    const before = await d.db.outbox.toArray();
    d.http.cookie = 'linli_session=expired-or-revoked';
    const r = await d.flush();
    expect(r.outcome).toBe('unauthorized');
    expect(await d.db.outbox.toArray()).toEqual(before);
    expect(await d.db.getMeta('authExpired')).toBe(true);
    await d.signIn(users.a!.username, users.a!.password);
    expect((await d.flush()).outcome).toBe('ok');
    expect(await d.db.outbox.count()).toBe(0);
    await d.close();
  });

  it('two devices editing different fields of one ticket offline both keep their edit, on both devices', async () => {
    const d1 = await device('a');
    const d2 = await device('b');
    const ev = eventDraft();
    expect((await saveRepairEvent(ev, d1.db)).ok).toBe(true);
    const t = ticketDraft(ev.id);
    expect((await saveRepairTicket(t, d1.db)).ok).toBe(true);
    await d1.syncUntilClean();
    await d2.syncUntilClean();
    const onD2 = (await d2.db.repairTicket.get(t.id))!;
    expect(onD2.number).toBe((await d1.db.repairTicket.get(t.id))!.number);
    // offline edits
    expect((await saveRepairTicket({ ...t, status: 'repairing' }, d1.db)).ok).toBe(true);
    expect((await saveRepairTicket({ ...t, residentName: '李奶奶', residentPhone: '13812345678' }, d2.db)).ok).toBe(true);
    await d1.syncUntilClean();
    await d2.syncUntilClean();
    await d1.syncUntilClean();
    for (const d of [d1, d2]) {
      const row = (await d.db.repairTicket.get(t.id))!;
      expect(row.status).toBe('repairing');
      expect(row.residentName).toBe('李奶奶');
    }
    const server1 = (await serverRows(server)).find((r) => r.row_id === t.id)!;
    expect(server1.fields.status).toBe('repairing');
    expect(server1.fields.residentName).toBe('李奶奶');
    await d1.close();
    await d2.close();
  });

  it('two devices editing the same field: the later clock wins, on the server and both devices', async () => {
    const d1 = await device('a');
    const d2 = await device('b');
    const ev = eventDraft();
    expect((await saveRepairEvent(ev, d1.db)).ok).toBe(true);
    await d1.syncUntilClean();
    await d2.syncUntilClean();
    expect((await saveRepairEvent({ ...ev, site: '早一点的地点' }, d1.db)).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 5));
    expect((await saveRepairEvent({ ...ev, site: '晚一点的地点' }, d2.db)).ok).toBe(true);
    // the later edit reaches the server first: order of arrival must not matter
    await d2.syncUntilClean();
    await d1.syncUntilClean();
    await d2.syncUntilClean();
    expect((await d1.db.repairEvent.get(ev.id))!.site).toBe('晚一点的地点');
    expect((await d2.db.repairEvent.get(ev.id))!.site).toBe('晚一点的地点');
    expect((await serverRows(server)).find((r) => r.row_id === ev.id)!.fields.site).toBe('晚一点的地点');
    await d1.close();
    await d2.close();
  });

  it('refuses a device clock a year ahead with clock_skew, and the device re-stamps and recovers', async () => {
    const d = await device();
    const node = (await d.db.getMeta('deviceId'))!;
    const yearMs = 365 * 24 * 3600 * 1000;
    // The phone's date is a year ahead: its clock state says so.
    await d.db.setMeta('hlc', { ms: Date.now() + yearMs, counter: 0, node });
    const ev = eventDraft();
    expect((await saveRepairEvent(ev, d.db)).ok).toBe(true);
    const stamped = (await d.db.outbox.toArray())[0]!;
    expect(stamped.hlc > encodeHlc({ ms: Date.now() + yearMs - 60_000, counter: 0, node })).toBe(true);
    const raw = await d.http.json<{ rejected: { code: string }[] }>('/api/sync/push', {
      body: {
        deviceId: node,
        schemaVersion: SCHEMA_VERSION,
        mutations: [{ id: stamped.id, type: stamped.type, rowId: stamped.rowId, hlc: stamped.hlc, fields: stamped.fields }],
      },
    });
    expect(raw.body.rejected.map((r) => r.code)).toEqual(['clock_skew']);
    const r = await d.flush();
    expect(r.outcome).toBe('ok');
    expect(await d.db.outbox.count()).toBe(0);
    expect(await d.db.failed.count()).toBe(0);
    const row = (await serverRows(server)).find((x) => x.row_id === ev.id)!;
    const { clocks } = storedState({ fields: JSON.stringify(row.fields), clocks: row.clocks });
    for (const c of Object.values(clocks)) expect(Number(c.slice(0, 15))).toBeLessThan(Date.now() + 60_000);
    // the local row carries the corrected clocks too, so it converges with the server
    expect((await d.db.repairEvent.get(ev.id))!.$clocks).toEqual(clocks);
    await d.close();
  });

  it('answers 426 to a schema version it cannot read, and the device keeps its outbox', async () => {
    const d = await device();
    expect((await saveRepairEvent(eventDraft(), d.db)).ok).toBe(true);
    const res = await d.http.json<{ error: { code: string } }>('/api/sync/push', {
      body: { deviceId: await d.db.getMeta('deviceId'), schemaVersion: 0, mutations: [] },
    });
    expect(res.status).toBe(426);
    expect(res.body.error.code).toBe('upgrade_required');
    const count = await d.db.outbox.count();
    const realFetch = d.fetch;
    d.fetch = async (input, init) => {
      if (input.includes('/push')) {
        const body = JSON.parse(new TextDecoder().decode(gunzipBody(init?.body))) as Record<string, unknown>;
        return realFetch(input, {
          ...init,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...body, schemaVersion: 0 }),
        });
      }
      return realFetch(input, init);
    };
    expect((await d.flush()).outcome).toBe('upgrade');
    expect(await d.db.outbox.count()).toBe(count);
    await d.close();
  });

  it('accepts gzip-compressed pushes, and refuses an oversized body with 413 and nothing written', async () => {
    const d = await device();
    const before = (await serverRows(server)).length;
    const huge = {
      deviceId: await d.db.getMeta('deviceId'),
      schemaVersion: SCHEMA_VERSION,
      mutations: [
        {
          id: newId(),
          type: 'repairEvent',
          rowId: newId(),
          hlc: encodeHlc({ ms: Date.now(), counter: 0, node: (await d.db.getMeta('deviceId'))! }),
          fields: { title: 'x'.repeat(6 * 1024 * 1024) },
        },
      ],
    };
    const zipped = gzipSync(JSON.stringify(huge));
    const res = await d.http.fetch('/api/sync/push', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: zipped,
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    const plain = await d.http.fetch('/api/sync/push', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(huge),
    });
    expect(plain.status).toBe(413);
    expect((await serverRows(server)).length).toBe(before);
    const ev = eventDraft();
    expect((await saveRepairEvent(ev, d.db)).ok).toBe(true);
    expect((await d.flush({ compress: true })).outcome).toBe('ok');
    expect((await serverRows(server)).some((r) => r.row_id === ev.id)).toBe(true);
    await d.close();
  });

  it('keeps teams apart: another team cannot write a row, and pulls only its own team', async () => {
    const mine = await device('a');
    const ev = eventDraft();
    expect((await saveRepairEvent(ev, mine.db)).ok).toBe(true);
    await mine.syncUntilClean();
    const theirs = await device('x');
    await theirs.syncUntilClean();
    expect(await theirs.db.repairEvent.get(ev.id)).toBeUndefined();
    const node = (await theirs.db.getMeta('deviceId'))!;
    const res = await theirs.http.json<{ acked: string[]; rejected: { code: string }[] }>('/api/sync/push', {
      body: {
        deviceId: node,
        schemaVersion: SCHEMA_VERSION,
        mutations: [
          {
            id: newId(),
            type: 'repairEvent',
            rowId: ev.id,
            hlc: encodeHlc({ ms: Date.now(), counter: 0, node }),
            fields: { title: '改掉' },
          },
        ],
      },
    });
    expect(res.body.rejected.map((r) => r.code)).toEqual(['forbidden']);
    expect((await serverRows(server)).find((r) => r.row_id === ev.id)!.fields.title).toBe('秋季维修日');
    const pull = await theirs.http.json<{ error: { code: string } }>(`/api/sync/pull?team=${teamId}`);
    expect(pull.status).toBe(403);
    await mine.close();
    await theirs.close();
  });

  it('pulls in pages without skipping, and a second device of the team sees everything', async () => {
    const d1 = await device('a');
    const ev = eventDraft({ title: '分页' });
    expect((await saveRepairEvent(ev, d1.db)).ok).toBe(true);
    for (let i = 0; i < 25; i++) expect((await saveRepairTicket(ticketDraft(ev.id, { problem: `p${i}` }), d1.db)).ok).toBe(true);
    expect((await d1.flush({ batchSize: 7 })).outcome).toBe('ok');
    const d2 = await device('b');
    await d2.syncUntilClean();
    expect(await d2.db.repairTicket.where('eventId').equals(ev.id).count()).toBe(25);
    const seen = new Set<string>();
    let cursor = '0';
    for (;;) {
      const page = await d2.http.json<{ changes: { rowId: string; seq: number }[]; cursor: string; more: boolean }>(
        `/api/sync/pull?cursor=${cursor}&limit=4`,
      );
      for (const c of page.body.changes) seen.add(c.rowId);
      cursor = page.body.cursor;
      if (!page.body.more) break;
    }
    const all = (await serverRows(server)).filter((r) => r.team_id === teamId).map((r) => r.row_id);
    expect([...seen].sort()).toEqual(all.sort());
    await d1.close();
    await d2.close();
  });

  it('a server restart in the middle changes nothing: sessions and records survive', async () => {
    const d = await device();
    const ev = eventDraft();
    expect((await saveRepairEvent(ev, d.db)).ok).toBe(true);
    await d.syncUntilClean();
    await server.restart();
    for (let i = 0; i < 3; i++) expect((await saveRepairTicket(ticketDraft(ev.id), d.db)).ok).toBe(true);
    await d.syncUntilClean();
    expect((await serverRows(server, 'repairTicket')).filter((r) => r.fields.eventId === ev.id)).toHaveLength(3);
    await d.close();
  });

  it('the flush sizes its pushes by how long the server held the last: doubling while it answers fast, halving while it is busy', async () => {
    /**
     * Records each push's size and the server's own `Server-Timing`, then shows the device
     * `seenMs` instead — an idle or a busy server, whatever this machine's speed.
     */
    function watch(d: Device, seenMs: number) {
      const pushes: { size: number; serverMs: number | null }[] = [];
      const inner = d.fetch;
      d.fetch = async (input, init) => {
        const res = await inner(input, init);
        if (!String(input).startsWith('/api/sync/push')) return res;
        pushes.push({
          size: (JSON.parse(String(init!.body)) as { mutations: unknown[] }).mutations.length,
          serverMs: pushServerMs(res.headers.get('server-timing')),
        });
        const headers = new Headers(res.headers);
        headers.set('server-timing', `push;dur=${seenMs}`);
        return new Response(res.body, { status: res.status, headers });
      };
      return pushes;
    }
    async function pending(d: Device, n: number) {
      const ev = eventDraft();
      expect((await saveRepairEvent(ev, d.db)).ok).toBe(true);
      for (let i = 1; i < n; i++) expect((await saveRepairTicket(ticketDraft(ev.id), d.db)).ok).toBe(true);
      expect(await d.db.outbox.count()).toBe(n);
      return new Set((await d.db.outbox.toArray()).map((e) => e.rowId));
    }
    /** Every record the device held is on the server, once. */
    async function allOnServerOnce(ids: Set<string>) {
      const rows = (await serverRows(server)).filter((r) => ids.has(r.row_id));
      expect(rows).toHaveLength(ids.size);
    }

    const idle = await device();
    const idleIds = await pending(idle, 350);
    const fast = watch(idle, 5);
    expect((await idle.flush({ compress: false })).outcome).toBe('ok');
    expect(fast.map((p) => p.size)).toEqual([PUSH_BATCH_FIRST, PUSH_BATCH_FIRST * 2, PUSH_BATCH_FIRST * 4]);
    // the real server says how long it held each push
    for (const p of fast) expect(p.serverMs).toBeGreaterThanOrEqual(0);
    expect(await idle.db.outbox.count()).toBe(0);

    const crowded = await device();
    const crowdedIds = await pending(crowded, 200);
    const slow = watch(crowded, 400);
    expect((await crowded.flush({ compress: false })).outcome).toBe('ok');
    // halving from the first batch down to the minimum, and staying there
    const expected: number[] = [];
    for (let left = 200, size = PUSH_BATCH_FIRST; left > 0; size = nextPushBatch(size, 400)) {
      expected.push(Math.min(size, left));
      left -= Math.min(size, left);
    }
    expect(slow.map((p) => p.size)).toEqual(expected);
    expect(expected.slice(0, 3)).toEqual([PUSH_BATCH_FIRST, PUSH_BATCH_FIRST / 2, PUSH_BATCH_MIN]);
    expect(Math.max(...slow.slice(2).map((p) => p.size))).toBe(PUSH_BATCH_MIN);
    expect(await crowded.db.outbox.count()).toBe(0);
    await allOnServerOnce(idleIds);
    await allOnServerOnce(crowdedIds);
    await idle.close();
    await crowded.close();
  });
});

function gunzipBody(body: unknown): Uint8Array {
  const bytes = body instanceof Uint8Array ? body : new TextEncoder().encode(String(body));
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
}

async function flush(d: Device, locale: string) {
  const { flush: run } = await import('../../src/data/sync/flush.ts');
  return run({ db: d.db, fetch: d.fetch, appVersion: 'test', locale });
}

void HttpClient;
