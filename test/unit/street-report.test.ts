/**
 * The period a street office report compares with: the whole months before whole months
 * (however long they are), else as many days just before — never overlapping, never a gap.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { monthOf, previousPeriod } from '../../src/shared/street-report.ts';

const DAY_MS = 86_400_000;
const dayNum = (d: string) => Date.parse(`${d}T00:00:00Z`) / DAY_MS;
const dayOf = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

describe('previous period', () => {
  it('is the month before for a month, whatever its length', () => {
    expect(previousPeriod('2026-11-01', '2026-11-30')).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    expect(previousPeriod('2026-03-01', '2026-03-31')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(previousPeriod('2028-03-01', '2028-03-31')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(previousPeriod('2027-01-01', '2027-01-31')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });

  it('is the quarter before for a quarter, and as many days before for anything else', () => {
    expect(previousPeriod('2026-10-01', '2026-12-31')).toEqual({ from: '2026-07-01', to: '2026-09-30' });
    expect(previousPeriod('2026-11-21', '2026-11-21')).toEqual({ from: '2026-11-20', to: '2026-11-20' });
    expect(previousPeriod('2026-11-15', '2026-11-21')).toEqual({ from: '2026-11-08', to: '2026-11-14' });
    expect(previousPeriod('2026-11-01', '2026-11-29')).toEqual({ from: '2026-10-03', to: '2026-10-31' });
  });

  it('ends the day before the period starts, and lasts as long (days, or whole months)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: dayNum('2020-01-01'), max: dayNum('2035-12-31') }),
        fc.integer({ min: 0, max: 400 }),
        (start, length) => {
          const from = dayOf(start);
          const to = dayOf(start + length);
          const p = previousPeriod(from, to);
          expect(dayNum(p.to)).toBe(start - 1);
          const wholeMonths = from.endsWith('-01') && monthOf(to).to === to;
          if (wholeMonths) {
            expect(p.from.endsWith('-01')).toBe(true);
            const months = (d: string) => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7));
            expect(months(to) - months(from)).toBe(months(p.to) - months(p.from));
          } else expect(dayNum(p.to) - dayNum(p.from)).toBe(length);
        },
      ),
    );
  });
});
