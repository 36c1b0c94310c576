/**
 * Offline hand-over (issue 8) with the real data layer and the real server: a phone that
 * never reaches the network exports its pending records; a phone of the same team imports
 * the file — twice — and syncs; the first phone syncs much later too. Every change lands
 * exactly once. A file from another team, a damaged file and an oversized one are refused
 * before anything is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHandover, exportHandover, HandoverRefused, importHandover, MAX_HANDOVER_BYTES } from '../../src/data/handover.ts';
import { recordConsent, saveHealthCheck } from '../../src/data/health-save.ts';
import { findHouseholds } from '../../src/data/household.ts';
import { saveHousehold, saveResident } from '../../src/data/household-save.ts';
import { recordVisit } from '../../src/data/visit-save.ts';
import { newId } from '../../src/data/records.ts';
import { saveRepairEvent, saveRepairTicket } from '../../src/data/repair-save.ts';
import { BACKENDS, signedInDevice, startServer, type TestServer } from './harness.ts';

describe.each(BACKENDS)('offline hand-over on $name', (backend) => {
  let server: TestServer;
  const users: Record<string, { username: string; password: string }> = {};

  beforeAll(async () => {
    server = await startServer(backend);
    const team = await server.addTeam('东湖社区');
    const other = await server.addTeam('西湖社区');
    users.remote = await server.addUser(team, 'remote');
    users.relay = await server.addUser(team, 'relay');
    users.outsider = await server.addUser(other, 'outsider');
  });
  afterAll(async () => {
    await server.stop();
  });

  const device = (user: keyof typeof users) => signedInDevice(server, users[user]!);

  async function counts() {
    const records = await server.db
      .selectFrom('record')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const applied = await server.db
      .selectFrom('applied_mutation')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return { records: Number(records.n), applied: Number(applied.n) };
  }

  it('reaches the server through another phone exactly once, however often it is imported', async () => {
    // a phone in a village with no signal for days: a repair day, a visit, a health check
    const remote = await device('remote');
    const eventId = newId();
    await saveRepairEvent({ id: eventId, title: '山村维修日', date: '2026-11-20', site: '村委会', status: 'open' }, remote.db);
    for (let i = 0; i < 5; i++)
      await saveRepairTicket({ id: newId(), eventId, category: 'fan', problem: `第${i}台不转`, status: 'waiting' }, remote.db);
    const householdId = newId();
    await saveHousehold({ id: householdId, gridCode: 'V1', building: '1', room: '1', headName: '孙阿婆', tags: ['alone'] }, remote.db);
    const residentId = newId();
    await saveResident({ id: residentId, householdId, name: '孙阿婆' }, remote.db);
    await recordConsent(residentId, 'self', '', remote.db);
    const none = {
      systolic: null,
      diastolic: null,
      pulse: null,
      glucose: null,
      glucoseContext: null,
      temperature: null,
      weight: null,
      spo2: null,
    };
    expect((await saveHealthCheck({ id: newId(), residentId, ...none, pulse: 70 }, remote.db)).ok).toBe(true);
    await recordVisit(
      {
        id: newId(),
        householdId,
        kind: 'routine',
        outcome: 'met',
        needs: [{ id: newId(), category: 'supplies', urgency: 'normal', description: '米和油', route: 'volunteers', department: '' }],
      },
      remote.db,
    );
    const pending = await remote.db.outbox.count();
    const before = await counts();

    const file = await exportHandover(remote.db);
    expect(file?.count).toBe(pending);

    const relay = await device('relay');
    const first = await importHandover(file!.text, relay.db);
    expect(first).toEqual({ count: pending, fresh: pending });
    // the records are on the relay phone at once, searchable, before any sync
    expect((await findHouseholds({ text: '阿婆', tags: [], grid: '', limit: 5 }, relay.db)).items.map((i) => i.household.id)).toEqual([
      householdId,
    ]);
    expect(await relay.db.repairTicket.count()).toBe(5);
    // importing the same file again queues nothing twice
    expect(await importHandover(file!.text, relay.db)).toEqual({ count: pending, fresh: 0 });
    await relay.syncUntilClean();
    const afterRelay = await counts();
    expect(afterRelay.applied - before.applied).toBe(pending);
    const rowsMade = afterRelay.records - before.records;

    // imported again after the sync: queued again, acknowledged, nothing applied twice
    expect(await importHandover(file!.text, relay.db)).toEqual({ count: pending, fresh: pending });
    await relay.syncUntilClean();
    expect(await counts()).toEqual(afterRelay);

    // the remote phone finally gets a signal: everything it held is already there
    await remote.syncUntilClean();
    expect(await counts()).toEqual(afterRelay);
    expect(rowsMade).toBe(1 + 5 + 1 + 1 + 1 + 1 + 1 + 1); // event, tickets, household, resident, check, visit, need, need history
    // and both phones hold the same rows as the server
    for (const d of [remote, relay]) {
      expect(await d.db.repairTicket.count()).toBe(5);
      expect(await d.db.healthCheck.count()).toBe(1);
    }
  });

  it('refuses a file from another team, a damaged one and an oversized one — and writes nothing', async () => {
    const remote = await device('remote');
    await saveHousehold({ id: newId(), gridCode: 'V2', building: '2', room: '2', headName: '周大爷' }, remote.db);
    const file = (await exportHandover(remote.db))!;

    const outsider = await device('outsider');
    await expect(importHandover(file.text, outsider.db)).rejects.toMatchObject({ code: 'wrongTeam' });
    expect(await outsider.db.outbox.count()).toBe(0);
    expect(await outsider.db.household.count()).toBe(0);

    const relay = await device('relay');
    const outboxBefore = await relay.db.outbox.count();
    const householdsBefore = await relay.db.household.count();
    const damaged = JSON.parse(file.text) as { mutations: { fields: Record<string, unknown> }[]; records: unknown[] };
    damaged.mutations[0]!.fields.headName = 42;
    for (const text of [JSON.stringify(damaged), file.text.slice(0, -10), '{"format":"other"}', '']) {
      await expect(importHandover(text, relay.db)).rejects.toMatchObject({ code: 'badFile' });
    }
    expect(() => checkHandover('x'.repeat(MAX_HANDOVER_BYTES + 1), 'irrelevant')).toThrow(HandoverRefused);
    expect(await relay.db.outbox.count()).toBe(outboxBefore);
    expect(await relay.db.household.count()).toBe(householdsBefore);
  });

  it('says there is nothing to hand over when nothing is pending', async () => {
    const d = await device('relay');
    await d.syncUntilClean();
    expect(await exportHandover(d.db)).toBeNull();
  });
});
