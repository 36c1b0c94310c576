/**
 * The exports' spreadsheet pieces (src/server/csv.ts): the register's order by ranks equals
 * the collator's order part by part; the file is made lazily, a chunk at a time, every cell
 * formula-safe; and `madeInFull` hands back every byte.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvResult, madeInFull, sortByParts, zhCollator } from '../../src/server/csv.ts';

const part = fc.string({ unit: fc.constantFrom('1', '2', '9', '10', 'A', 'b', '东', '西', '楼', '号', '-'), maxLength: 4 });
const byCollator = (a: readonly string[], b: readonly string[]) => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const c = zhCollator.compare(a[i] ?? '', b[i] ?? '');
    if (c !== 0) return c;
  }
  return 0;
};

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  // the BOM kept: it is part of what the server sends
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await new Response(stream).arrayBuffer());
}

describe('sortByParts', () => {
  it('orders items by their parts in the collator’s order (numbers as numbers), keeping every item', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(part, part, part, part), { maxLength: 60 }), (items) => {
        const sorted = sortByParts([...items], (x) => x);
        expect([...sorted].sort()).toEqual([...items].sort());
        for (let i = 1; i < sorted.length; i++) expect(byCollator(sorted[i - 1]!, sorted[i]!)).toBeLessThanOrEqual(0);
      }),
    );
  });

  it('puts building 2 before building 10, and grid A before B', () => {
    const rows = [
      ['B', '1'],
      ['A', '10'],
      ['A', '2'],
    ];
    expect(sortByParts(rows, (r) => r)).toEqual([
      ['A', '2'],
      ['A', '10'],
      ['B', '1'],
    ]);
  });
});

describe('csvResult', () => {
  it('makes each row only as the stream reaches it, guards formulas, and madeInFull hands back every byte', async () => {
    const made: number[] = [];
    const items = Array.from({ length: 450 }, (_, i) => i);
    const result = csvResult(['编号', '=名称'], items, (i) => {
      made.push(i);
      return [String(i), i === 7 ? '=1+1' : `第${i}`];
    });
    expect(result.rows).toBe(450);
    expect(made).toEqual([]);
    const body = await text(await madeInFull(result.body));
    expect(made).toEqual(items);
    const lines = body.trimEnd().split('\n');
    expect(lines).toHaveLength(451);
    expect(lines[0]).toBe('\uFEFF编号,\u200B=名称');
    expect(lines[8]).toBe('7,\u200B=1+1');
    expect(lines[450]).toBe('449,第449');
  });

  it('leaves the BOM out for open data', async () => {
    const body = await text(csvResult(['a'], [['x']], (r) => r, { bom: false }).body);
    expect(body).toBe('a\nx\n');
  });
});
