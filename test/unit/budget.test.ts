/** The push budget: weight up to capacity at once, waiters let in by arrival order, oversized work alone. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Budget } from '../../src/server/budget.ts';

const tick = () => new Promise((r) => setImmediate(r));

describe('Budget', () => {
  it('lets work in while it fits, and the rest in arrival order as weight is released', async () => {
    const budget = new Budget(10);
    const order: string[] = [];
    const a = await budget.acquire(6);
    const b = await budget.acquire(3);
    const c = budget.acquire(5).then((r) => (order.push('c'), r));
    const d = budget.acquire(1).then((r) => (order.push('d'), r));
    await tick();
    // d would fit in what is free, but may not pass c, which came first
    expect(order).toEqual([]);
    a();
    await tick();
    expect(order).toEqual(['c', 'd']);
    b();
    (await c)();
    (await d)();
  });

  it('lets work heavier than the whole capacity in alone', async () => {
    const budget = new Budget(10);
    const small = await budget.acquire(3);
    let bigIn = false;
    const big = budget.acquire(50).then((r) => ((bigIn = true), r));
    await tick();
    expect(bigIn).toBe(false);
    small();
    const release = await big;
    expect(bigIn).toBe(true);
    let next = false;
    const after = budget.acquire(1).then((r) => ((next = true), r));
    await tick();
    expect(next).toBe(false);
    release();
    (await after)();
  });

  it('never holds more than its capacity, and lets everything in eventually; a second release changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ weight: fc.integer({ min: 0, max: 30 }), holdTicks: fc.integer({ min: 0, max: 3 }) }), { maxLength: 40 }),
        async (works) => {
          const capacity = 20;
          const budget = new Budget(capacity);
          let held = 0;
          let peak = 0;
          let done = 0;
          await Promise.all(
            works.map(async ({ weight, holdTicks }) => {
              const release = await budget.acquire(weight);
              held += Math.min(weight, capacity);
              peak = Math.max(peak, held);
              for (let t = 0; t < holdTicks; t++) await tick();
              held -= Math.min(weight, capacity);
              release();
              release();
              done++;
            }),
          );
          expect(peak).toBeLessThanOrEqual(capacity);
          expect(done).toBe(works.length);
        },
      ),
      { numRuns: 100 },
    );
  });
});
