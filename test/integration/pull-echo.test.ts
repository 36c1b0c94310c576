/**
 * A pull does not send a phone back what it just pushed (issue 23, item 2): a row whose
 * stored state is exactly what that phone's push sent comes back to it as a stub of a few
 * bytes; to every other phone, and to it once anyone else or the server has changed the row,
 * whole. Nothing is ever skipped: each phone ends holding exactly what the server holds, and
 * a phone that somehow lacks a row it was sent a stub for gets the page again, whole.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveHousehold } from '../../src/data/household-save.ts';
import { newId } from '../../src/data/records.ts';
import { RECORD_SET_VERSION, type EchoPullResponse } from '../../src/shared/protocol.ts';
import { BACKENDS, pushRaw, signedInDevice, startServer, type Device, type TestServer } from './harness.ts';

describe.each(BACKENDS)('pull echo on $name', (backend) => {
  let server: TestServer;
  let teamId: string;
  let users: Record<string, { id: string; username: string; password: string }>;

  beforeAll(async () => {
    server = await startServer(backend);
    teamId = await server.addTeam('东湖社区');
    users = { a: await server.addUser(teamId, 'volA'), b: await server.addUser(teamId, 'volB') };
  });
  afterAll(() => server.stop());

  const pull = async (d: Device, echo: boolean) => {
    const res = await d.http.fetch(`/api/sync/pull?cursor=0&limit=500&clocks=packed${echo ? '&echo=own' : ''}`);
    const text = await res.text();
    return { bytes: Buffer.byteLength(text), page: JSON.parse(text) as EchoPullResponse };
  };
  const serverRows = async () =>
    new Map(
      (
        await server.db
          .selectFrom('record')
          .select(['row_id', 'fields'])
          .where('team_id', '=', teamId)
          .where('type', '=', 'household')
          .execute()
      ).map((r) => [r.row_id, JSON.parse(r.fields) as Record<string, unknown>]),
    );
  const held = async (d: Device) => new Map((await d.db.household.toArray()).map((r) => [r.id, r]));

  it('sends a phone its own rows as stubs, whole to the others and once anyone changed them, and every phone ends with what the server holds', async () => {
    const a = await signedInDevice(server, users.a!);
    const b = await signedInDevice(server, users.b!);
    const ids = Array.from({ length: 40 }, () => newId());
    for (const [i, id] of ids.entries()) {
      const saved = await saveHousehold(
        { id, gridCode: 'A1', building: '3', room: String(101 + i), headName: `住户${i}`, phone: '13800138000' },
        a.db,
      );
      expect(saved.ok).toBe(true);
    }
    await a.syncUntilClean();

    const own = await pull(a, true);
    const whole = await pull(a, false);
    const stubs = own.page.changes.filter((c) => 'echo' in c);
    expect(stubs.map((c) => c.rowId).sort()).toEqual([...ids].sort());
    for (const s of stubs) expect(Object.keys(s).sort()).toEqual(['echo', 'rowId', 'seq', 'type']);
    // the same places in the sequence, the same cursor: only the bytes differ
    expect(own.page.changes.map((c) => c.seq)).toEqual(whole.page.changes.map((c) => c.seq));
    expect(own.page.cursor).toBe(whole.page.cursor);
    expect(own.bytes).toBeLessThan(whole.bytes / 4);
    // another phone gets them whole
    expect((await pull(b, true)).page.changes.filter((c) => 'echo' in c)).toEqual([]);

    // B changes one, the server writes another (who registered it comes from the session)
    await b.syncUntilClean();
    const changedByB = ids[3]!;
    const i = ids.indexOf(changedByB);
    const edit = await saveHousehold(
      {
        id: changedByB,
        gridCode: 'A1',
        building: '3',
        room: String(101 + i),
        headName: `住户${i}`,
        phone: '13800138000',
        notes: '独居，耳背',
      },
      b.db,
    );
    expect(edit).toMatchObject({ ok: true });
    await b.syncUntilClean();
    const forged = newId();
    expect(
      await pushRaw(a, 'household', forged, {
        id: forged,
        teamId,
        gridCode: 'A1',
        building: '3',
        room: '999',
        headName: '钱大爷',
        createdBy: users.b!.id,
        createdAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
        deleted: false,
      }),
    ).toBe('acked');
    const after = await pull(a, true);
    const whole2 = new Set(after.page.changes.filter((c) => !('echo' in c)).map((c) => c.rowId));
    expect(whole2.has(changedByB)).toBe(true);
    expect(whole2.has(forged)).toBe(true);
    expect(after.page.changes.filter((c) => 'echo' in c)).toHaveLength(ids.length - 1);

    // through the app's own sync: both phones hold exactly the server's rows
    await a.syncUntilClean();
    await b.syncUntilClean();
    const truth = await serverRows();
    for (const d of [a, b]) {
      const mine = await held(d);
      expect([...mine.keys()].sort()).toEqual([...truth.keys()].sort());
      for (const [id, fields] of truth) expect(mine.get(id), id).toMatchObject(fields);
    }
    expect((await held(a)).get(changedByB)?.notes).toBe('独居，耳背');
    expect((await held(a)).get(forged)?.createdBy).toBe(users.a!.id);
  });

  it('never skips: a phone lacking a row it was sent a stub for gets the page again, whole', async () => {
    const a = await signedInDevice(server, users.a!);
    const id = newId();
    expect((await saveHousehold({ id, gridCode: 'A2', building: '5', room: '202', headName: '孙奶奶' }, a.db)).ok).toBe(true);
    await a.syncUntilClean();
    expect((await pull(a, true)).page.changes.find((c) => c.rowId === id)).toMatchObject({ echo: true });
    // the row gone from the phone's store, the cursor back at the start
    await a.db.household.delete(id);
    await a.db.setMeta(`cursor:${teamId}:v${RECORD_SET_VERSION}`, '0');
    await a.syncUntilClean();
    expect(await a.db.household.get(id)).toMatchObject({ id, headName: '孙奶奶', room: '202' });
  });

  it('says after each page how many of the team’s changes remain, for the phone’s progress', async () => {
    const a = await signedInDevice(server, users.a!);
    const total = Number(
      (
        await server.db
          .selectFrom('record')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('team_id', '=', teamId)
          .executeTakeFirst()
      )?.n,
    );
    const res = await a.http.fetch('/api/sync/pull?cursor=0&limit=10&clocks=packed');
    const page = (await res.json()) as EchoPullResponse;
    expect(page.changes).toHaveLength(10);
    expect(page.more).toBe(true);
    expect(page.remaining).toBe(total - 10);
    const last = (await (await a.http.fetch(`/api/sync/pull?cursor=${page.cursor}&limit=1000&clocks=packed`)).json()) as EchoPullResponse;
    expect([last.more, last.remaining]).toEqual([false, 0]);
  });

  it('refuses an echo it does not know, and an older app that does not ask gets every row whole', async () => {
    const a = await signedInDevice(server, users.a!);
    expect((await a.http.fetch('/api/sync/pull?cursor=0&echo=all')).status).toBe(400);
    expect((await pull(a, false)).page.changes.every((c) => 'fields' in c)).toBe(true);
  });
});
