import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeHlc } from '../../src/shared/hlc.ts';
import {
  mergeRows,
  mutationRow,
  packClocks,
  rowChanged,
  SHARED_CLOCK_KEY,
  stableStringify,
  unpackClocks,
  type RowState,
} from '../../src/shared/merge.ts';

const clock = fc
  .record({
    ms: fc.integer({ min: 0, max: 50 }),
    counter: fc.integer({ min: 0, max: 3 }),
    node: fc.constantFrom('000000000000000a', '000000000000000b', '000000000000000c'),
  })
  .map(encodeHlc);
const value = fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.boolean(), fc.constant(null));
const fieldName = fc.constantFrom('title', 'site', 'status', 'deleted');
const mutation = fc
  .record({ fields: fc.dictionary(fieldName, value, { minKeys: 1 }), hlc: clock })
  .map((m) => mutationRow(m.fields, m.hlc));
// Rows as they arise: the merge of some mutations (so one clock never carries two values).
const row = fc
  .array(mutation, { maxLength: 6 })
  .map((ms) => ms.reduce<RowState>((acc, m) => mergeRows(acc, m), { fields: {}, clocks: {} }));

const same = (a: RowState, b: RowState): void => {
  expect(stableStringify(a)).toBe(stableStringify(b));
};

describe('per-field merge', () => {
  it('is idempotent', () => {
    fc.assert(
      fc.property(row, (a) => {
        same(mergeRows(a, a), a);
      }),
    );
  });

  it('is commutative', () => {
    fc.assert(
      fc.property(row, row, (a, b) => {
        same(mergeRows(a, b), mergeRows(b, a));
      }),
    );
  });

  it('is associative', () => {
    fc.assert(
      fc.property(row, row, row, (a, b, c) => {
        same(mergeRows(mergeRows(a, b), c), mergeRows(a, mergeRows(b, c)));
      }),
    );
  });

  it('converges whatever order, duplication and regrouping the mutations arrive in', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 20 }), fc.infiniteStream(fc.nat()), (ms, rnd) => {
        const inOrder = ms.reduce<RowState>((acc, m) => mergeRows(acc, m), { fields: {}, clocks: {} });
        const it = rnd[Symbol.iterator]();
        const shuffled = [...ms, ...ms.filter(() => it.next().value % 3 === 0)];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = it.next().value % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        same(
          shuffled.reduce<RowState>((acc, m) => mergeRows(acc, m), { fields: {}, clocks: {} }),
          inOrder,
        );
      }),
    );
  });

  it('keeps, per field, the value written with the greatest clock', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 20 }), (ms) => {
        const merged = ms.reduce<RowState>((acc, m) => mergeRows(acc, m), { fields: {}, clocks: {} });
        for (const [field, c] of Object.entries(merged.clocks)) {
          const max = ms
            .flatMap((m) => (m.clocks[field] ? [m.clocks[field]] : []))
            .sort()
            .at(-1);
          expect(c).toBe(max);
        }
      }),
    );
  });

  it('lets two edits of different fields both survive', () => {
    const base = mutationRow({ title: 'a', site: 'x' }, encodeHlc({ ms: 1, counter: 0, node: '000000000000000a' }));
    const phoneA = mutationRow({ title: 'b' }, encodeHlc({ ms: 2, counter: 0, node: '000000000000000a' }));
    const phoneB = mutationRow({ site: 'y' }, encodeHlc({ ms: 2, counter: 0, node: '000000000000000b' }));
    expect(mergeRows(mergeRows(base, phoneA), phoneB).fields).toEqual({ title: 'b', site: 'y' });
  });

  it('tells whether a merge changed the row', () => {
    const a = mutationRow({ title: 'a' }, encodeHlc({ ms: 2, counter: 0, node: '000000000000000a' }));
    const older = mutationRow({ title: 'z' }, encodeHlc({ ms: 1, counter: 0, node: '000000000000000a' }));
    expect(rowChanged(a, mergeRows(a, older))).toBe(false);
    expect(rowChanged(older, mergeRows(older, a))).toBe(true);
  });
});

describe('packed clocks', () => {
  const anyClocks = fc.dictionary(fc.constantFrom('title', 'site', 'status', 'deleted', 'note'), clock);
  const anyFields = fc.dictionary(fc.constantFrom('title', 'site', 'status', 'deleted', 'note'), value);

  it('unpack gives back exactly the clocks that were packed, for merged rows and any other', () => {
    fc.assert(
      fc.property(row, (r) => {
        expect(unpackClocks(r.fields, packClocks(r.fields, r.clocks))).toEqual(r.clocks);
      }),
    );
    fc.assert(
      fc.property(anyFields, anyClocks, (fields, clocks) => {
        expect(unpackClocks(fields, packClocks(fields, clocks))).toEqual(clocks);
      }),
    );
  });

  it('names each clock at most once beyond the shared one, and never grows the row', () => {
    fc.assert(
      fc.property(row, (r) => {
        const packed = packClocks(r.fields, r.clocks);
        expect(Object.keys(packed).length).toBeLessThanOrEqual(Object.keys(r.clocks).length);
        const shared = packed[SHARED_CLOCK_KEY];
        if (shared !== undefined) {
          for (const [k, c] of Object.entries(packed)) if (k !== SHARED_CLOCK_KEY) expect(c).not.toBe(shared);
          // the shared clock is the one most fields have
          const count = (c: string) => Object.values(r.clocks).filter((x) => x === c).length;
          for (const c of Object.values(r.clocks)) expect(count(shared)).toBeGreaterThanOrEqual(count(c));
        }
      }),
    );
  });

  it('a row written by one mutation is one clock', () => {
    const r = mutationRow({ title: '修风扇', site: '院子', status: 'open' }, encodeHlc({ ms: 5, counter: 1, node: '000000000000000a' }));
    expect(packClocks(r.fields, r.clocks)).toEqual({ [SHARED_CLOCK_KEY]: r.clocks.title });
  });

  it('clocks never packed come back unchanged, so rows stored before packing read the same', () => {
    fc.assert(
      fc.property(row, (r) => {
        expect(unpackClocks(r.fields, r.clocks)).toEqual(r.clocks);
      }),
    );
  });

  it('merging unpacked rows converges exactly as merging the originals', () => {
    fc.assert(
      fc.property(row, row, (a, b) => {
        const roundTrip = (x: RowState): RowState => ({ fields: x.fields, clocks: unpackClocks(x.fields, packClocks(x.fields, x.clocks)) });
        same(mergeRows(roundTrip(a), roundTrip(b)), mergeRows(a, b));
      }),
    );
  });
});
