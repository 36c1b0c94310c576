/**
 * The due list reads only what it shows (issue 23, item 6): from the due-day index, the first
 * hundred households in its order and the index's count for the rest. On registers of
 * households with every mix of intervals, visits, follow-ups and deletions, it shows what
 * reading every household and sorting them would — the same urgency at every place, the
 * same count of more — and only due, live households.
 */
import fc from 'fast-check';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { LinliDb } from '../../src/data/db.ts';
import { householdDue } from '../../src/data/household.ts';
import { applyChanges } from '../../src/data/records.ts';
import { DUE_LIST_LIMIT, dueList } from '../../src/data/visit.ts';
import { compareDue } from '../../src/shared/due.ts';
import { encodeHlc } from '../../src/shared/hlc.ts';
import { SHARED_CLOCK_KEY } from '../../src/shared/merge.ts';
import { withDefaults } from '../../src/shared/record-defaults.ts';
import { addDays } from '../../src/shared/visit.ts';

const TODAY = '2026-12-04';
const at = (day: string) => `${day}T02:00:00.000Z`;
let n = 0;
const id = () => `0190a000-0000-7000-8000-${String(n++).padStart(12, '0')}`;

interface Home {
  registeredAgo: number;
  interval: number;
  metAgo: number | null;
  followUpIn: number | null;
  deleted: boolean;
}

const homeArb: fc.Arbitrary<Home> = fc.record({
  registeredAgo: fc.integer({ min: 0, max: 400 }),
  interval: fc.constantFrom(7, 14, 30, 90),
  metAgo: fc.option(fc.integer({ min: 0, max: 200 })),
  followUpIn: fc.option(fc.integer({ min: -10, max: 10 })),
  deleted: fc.integer({ min: 0, max: 9 }).map((x) => x === 0),
});

async function register(db: LinliDb, homes: Home[]) {
  const clock = encodeHlc({ ms: Date.parse('2026-12-01T00:00:00Z'), counter: 0, node: '0123456789abcdef' });
  const change = (type: string, fields: Record<string, unknown>) => ({
    type,
    rowId: String(fields.id),
    fields,
    clocks: { [SHARED_CLOCK_KEY]: clock },
    seq: 0,
  });
  const changes = homes.flatMap((h, i) => {
    const hid = id();
    const household = change('household', {
      ...withDefaults('household', { id: hid }),
      teamId: 't',
      gridCode: 'A1',
      building: '1',
      room: String(100 + i),
      headName: `住户${i}`,
      createdAt: at(addDays(TODAY, -h.registeredAgo)),
      visitIntervalDays: h.interval,
      followUpOn: h.followUpIn === null ? null : addDays(TODAY, h.followUpIn),
      deleted: h.deleted,
    });
    if (h.metAgo === null) return [household];
    const day = addDays(TODAY, -h.metAgo);
    return [
      household,
      change('visit', {
        ...withDefaults('visit', { id: id() }),
        teamId: 't',
        householdId: hid,
        at: at(day),
        createdAt: at(day),
        outcome: 'met',
      }),
    ];
  });
  for (let i = 0; i < changes.length; i += 500) await applyChanges(db, changes.slice(i, i + 500));
}

/** Every household read and sorted: what the list must agree with. */
async function everything(db: LinliDb) {
  const due = (await db.household.toArray())
    .filter((r) => !r.deleted && ((r.$dueOn && r.$dueOn <= TODAY) || (r.followUpOn && r.followUpOn <= TODAY)))
    .map((r) => householdDue(withDefaults('household', r), r.$lastMetAt ?? null, TODAY))
    .sort(compareDue);
  return due;
}

const key = (d: { followUpDue: boolean; overdueDays: number }) => `${d.followUpDue}:${d.overdueDays}`;

describe('due list', () => {
  it('shows what reading and sorting every household would, and counts the rest from the index', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(homeArb, { minLength: 0, maxLength: 260 }), async (homes) => {
        const db = new LinliDb(`due-${n++}`, { indexedDB, IDBKeyRange });
        await register(db, homes);
        const list = await dueList(TODAY, db);
        const all = await everything(db);
        expect(list.households.length).toBe(Math.min(DUE_LIST_LIMIT, all.length));
        expect(list.households.map((h) => key(h.due))).toEqual(all.slice(0, DUE_LIST_LIMIT).map(key));
        expect(list.moreHouseholds).toBe(Math.max(0, all.length - DUE_LIST_LIMIT));
        for (const h of list.households) expect(h.household.deleted).toBe(false);
        expect(new Set(list.households.map((h) => h.household.id)).size).toBe(list.households.length);
        db.close();
      }),
      { numRuns: 25 },
    );
  });

  it('on a register longer than the list: the hundred most pressing, follow-ups first, and how many more', async () => {
    const db = new LinliDb(`due-${n++}`, { indexedDB, IDBKeyRange });
    const homes: Home[] = Array.from({ length: 400 }, (_, i) => ({
      registeredAgo: 100 + (i % 50),
      interval: 30,
      metAgo: i % 3 === 0 ? null : 20 + (i % 40),
      followUpIn: i % 37 === 0 ? -1 : null,
      deleted: i % 11 === 0,
    }));
    await register(db, homes);
    const all = await everything(db);
    expect(all.length).toBeGreaterThan(DUE_LIST_LIMIT);
    const list = await dueList(TODAY, db);
    expect(list.households).toHaveLength(DUE_LIST_LIMIT);
    expect(list.households[0]!.due.followUpDue).toBe(true);
    expect(list.households.map((h) => key(h.due))).toEqual(all.slice(0, DUE_LIST_LIMIT).map(key));
    expect(list.moreHouseholds).toBe(all.length - DUE_LIST_LIMIT);
    db.close();
  });
});
