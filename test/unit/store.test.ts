/**
 * The phone's store across app versions: a store written by the version-2 app (its tables
 * declared as they were then) opens in this version with every record and every pending
 * change still there; and a need's history reads the same whether a line was written before
 * its step's fields had fields of their own or after; a version-3 store's households are keyed
 * again by the version-4 address rules.
 */
import { Dexie } from 'dexie';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { LinliDb, RECORD_TABLES, setLocalDb, STORE_VERSION } from '../../src/data/db.ts';
import { householdDetail, householdsAtAddress } from '../../src/data/household.ts';
import { refreshRollups } from '../../src/data/rollups.ts';
import { needLogEntry } from '../../src/shared/need.ts';
import { HOUSEHOLD_DEFAULTS, NEED_LOG_DEFAULTS } from '../../src/shared/record-defaults.ts';

describe('the store', () => {
  it('opens a store the version-2 app wrote, keeping its records and its outbox', async () => {
    const old = new Dexie('upgrade-from-2', { indexedDB, IDBKeyRange });
    old.version(1).stores({
      repairEvent: 'id, date',
      repairTicket: 'id, eventId, [eventId+number], householdId',
      outbox: '++seq, &id, rowId',
      failed: 'id, rowId',
      meta: 'key',
    });
    old.version(2).stores({
      household: 'id, [gridCode+$addressKey], *tags, *$terms, $addressKey, $dueOn, followUpOn',
      resident: 'id, householdId, *$terms, consent',
      visit: 'id, [householdId+at]',
      need: 'id, householdId, status, healthCheckId',
      needLog: 'id, [needId+at]',
      healthCheck: 'id, [residentId+at], householdId',
      healthThresholds: 'id',
    });
    await old.table('household').put({ id: 'h1', headName: '王大爷', gridCode: 'A3', $terms: ['王大爷'], $clocks: {} });
    await old.table('outbox').add({ id: 'm1', type: 'household', rowId: 'h1', hlc: 'x', fields: { headName: '王大爷' }, createdAt: 1 });
    await old.table('meta').put({ key: 'deviceId', value: '00000000000000aa' });
    old.close();

    const db = new LinliDb('upgrade-from-2', { indexedDB, IDBKeyRange });
    await db.open();
    expect(db.verno).toBe(STORE_VERSION);
    expect((await db.household.get('h1'))?.headName).toBe('王大爷');
    expect(await db.household.where('$terms').startsWith('王').count()).toBe(1);
    expect((await db.outbox.toArray()).map((e) => e.id)).toEqual(['m1']);
    expect(await db.getMeta('deviceId')).toBe('00000000000000aa');
    db.close();
    await db.delete();
  });

  it('keys every household a version-3 store held by the new address rules, so an old twin is found', async () => {
    const old = new Dexie('upgrade-from-3', { indexedDB, IDBKeyRange });
    old.version(3).stores({
      ...RECORD_TABLES,
      household: 'id, [gridCode+$addressKey], *tags, *$terms, $addressKey, $dueOn, followUpOn',
      outbox: '++seq, &id, rowId',
      failed: 'id, rowId',
      meta: 'key',
    });
    const fields = {
      ...HOUSEHOLD_DEFAULTS,
      headName: '王大爷',
      gridCode: 'DH-03',
      compound: '东湖花园',
      building: '三栋',
      unit: '二单元',
      room: '301',
    };
    // the key version 3 gave: 东湖|三|二|301 (Chinese numerals were not read)
    await old.table('household').put({ ...fields, id: 'h1', $addressKey: '东湖|三|二|301', $terms: ['王大爷'], $clocks: {} });
    old.close();

    const db = new LinliDb('upgrade-from-3', { indexedDB, IDBKeyRange });
    await db.open();
    const row = await db.household.get('h1');
    expect(row?.$addressKey).toBe('东湖|3-2-301');
    expect(row?.$dwellingKey).toBe('3-2-301');
    expect(row?.$terms).toContain('dh03');
    setLocalDb(db);
    const twins = await householdsAtAddress({ compound: '东湖花园小区', building: '3栋', unit: '', room: '2-301' }, undefined, db);
    expect(twins.map((h) => h.id)).toEqual(['h1']);
    db.close();
    await db.delete();
  });

  it('follows a chain of merges (A into B, B into C): C holds A’s visit, due day and all; A and B open as C', async () => {
    const db = new LinliDb('merge-chain', { indexedDB, IDBKeyRange });
    await db.open();
    const base = { ...HOUSEHOLD_DEFAULTS, gridCode: 'A3', building: '3', room: '301', headName: '刘奶奶', $clocks: {} };
    await db.household.bulkPut([
      { ...base, id: 'a', deleted: true, mergedInto: 'b' },
      { ...base, id: 'b', deleted: true, mergedInto: 'c' },
      { ...base, id: 'c', createdAt: '2026-11-01T00:00:00.000Z' },
    ]);
    await db.visit.put({ id: 'v1', householdId: 'a', at: '2026-11-20T02:00:00.000Z', outcome: 'met', deleted: false, $clocks: {} });
    await db.transaction('rw', db.household, db.visit, () => refreshRollups(db, [{ type: 'visit', rowId: 'v1' }]));
    expect((await db.household.get('c'))?.$lastMetAt).toBe('2026-11-20T02:00:00.000Z');
    for (const opened of ['a', 'b', 'c']) {
      const detail = await householdDetail(opened, db);
      expect(detail?.household.id).toBe('c');
      expect(detail?.visits.map((v) => v.visit.id)).toEqual(['v1']);
    }
    db.close();
    await db.delete();
  });

  it("reads a need's history line written before its step had fields of its own, and after, the same", () => {
    const base = { ...NEED_LOG_DEFAULTS };
    const ticket = '0190a0a0-0000-7000-8000-000000000001';
    expect(needLogEntry({ ...base, action: 'assigned', note: '刘医生' })).toMatchObject({ assignee: '刘医生', note: '' });
    expect(needLogEntry({ ...base, action: 'assigned', assignee: '刘医生' })).toMatchObject({ assignee: '刘医生', note: '' });
    expect(needLogEntry({ ...base, action: 'evaluated', note: 'satisfied' })).toMatchObject({ evaluation: 'satisfied', note: '' });
    expect(needLogEntry({ ...base, action: 'evaluated', evaluation: 'neutral' })).toMatchObject({ evaluation: 'neutral', note: '' });
    expect(needLogEntry({ ...base, action: 'repairTicket', note: 'A-001' })).toMatchObject({
      ticketId: null,
      ticketNumber: 'A-001',
      note: '',
    });
    expect(needLogEntry({ ...base, action: 'repairTicket', ticketId: ticket })).toMatchObject({
      ticketId: ticket,
      ticketNumber: '',
      note: '',
    });
    // a resolution or a reason stays the volunteer's words
    expect(needLogEntry({ ...base, action: 'resolved', note: '已送药' })).toMatchObject({ note: '已送药', assignee: '', evaluation: null });
    // a note on an evaluation line that is not an evaluation stays a note
    expect(needLogEntry({ ...base, action: 'evaluated', note: '很好' })).toMatchObject({ evaluation: null, note: '很好' });
  });
});
