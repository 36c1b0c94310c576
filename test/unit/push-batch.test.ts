/** Push batch sizing (src/shared/protocol.ts): the policy's invariants, and reading the server's `Server-Timing`. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  nextPushBatch,
  PUSH_BATCH_FIRST,
  PUSH_BATCH_MIN,
  PUSH_BATCH_MUTATIONS,
  PUSH_TARGET_MS,
  pushServerMs,
} from '../../src/shared/protocol.ts';

const size = fc.integer({ min: 1, max: 5000 });
const serverMs = fc.option(fc.double({ min: 0, max: 60_000, noNaN: true }), { nil: null });

describe('nextPushBatch', () => {
  it('always stays between PUSH_BATCH_MIN and PUSH_BATCH_MUTATIONS', () => {
    fc.assert(
      fc.property(size, serverMs, (n, ms) => {
        const next = nextPushBatch(n, ms);
        expect(Number.isInteger(next)).toBe(true);
        expect(next).toBeGreaterThanOrEqual(PUSH_BATCH_MIN);
        expect(next).toBeLessThanOrEqual(PUSH_BATCH_MUTATIONS);
      }),
    );
  });

  it('a push held longer than the target never makes the next batch larger; a quick one never smaller', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: PUSH_BATCH_MIN, max: PUSH_BATCH_MUTATIONS }),
        fc.double({ min: 0, max: 60_000, noNaN: true }),
        (n, ms) => {
          const next = nextPushBatch(n, ms);
          if (ms > PUSH_TARGET_MS) expect(next).toBeLessThanOrEqual(n);
          else expect(next).toBeGreaterThanOrEqual(n);
        },
      ),
    );
  });

  it('is monotone: a busier server never gets a larger batch', () => {
    fc.assert(
      fc.property(size, fc.double({ min: 0, max: 60_000, noNaN: true }), fc.double({ min: 0, max: 60_000, noNaN: true }), (n, a, b) => {
        const [quick, slow] = a <= b ? [a, b] : [b, a];
        expect(nextPushBatch(n, slow)).toBeLessThanOrEqual(nextPushBatch(n, quick));
      }),
    );
  });

  it('from the first batch, an idle server reaches the full batch in a few pushes and a busy one the smallest', () => {
    let n = PUSH_BATCH_FIRST;
    const idle = [n];
    while (n < PUSH_BATCH_MUTATIONS) idle.push((n = nextPushBatch(n, 5)));
    expect(idle).toEqual([50, 100, 200, 400, 500]);
    n = PUSH_BATCH_FIRST;
    for (let i = 0; i < 3; i++) n = nextPushBatch(n, 2 * PUSH_TARGET_MS);
    expect(n).toBe(PUSH_BATCH_MIN);
  });

  it('grows when the server does not say (an older server), as pushes did before sizing', () => {
    expect(nextPushBatch(50, null)).toBe(100);
    expect(nextPushBatch(PUSH_BATCH_MUTATIONS, null)).toBe(PUSH_BATCH_MUTATIONS);
  });
});

describe('pushServerMs', () => {
  it('reads the push metric among others', () => {
    expect(pushServerMs('push;dur=12.5')).toBe(12.5);
    expect(pushServerMs('db;dur=3, push;desc="apply";dur=7')).toBe(7);
    expect(pushServerMs(' push ; dur=0 ')).toBe(0);
  });

  it('is null when the header is missing, has no push metric, or a duration that is not one', () => {
    for (const h of [null, '', 'db;dur=3', 'push', 'push;dur=', 'push;dur=abc', 'push;dur=-4', 'push;dur=Infinity'])
      expect(pushServerMs(h)).toBeNull();
  });
});
