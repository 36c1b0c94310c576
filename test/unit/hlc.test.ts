import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeHlc,
  encodeHlc,
  HLC_LENGTH,
  HLC_MAX_DRIFT_MS,
  HlcError,
  initialHlc,
  receive,
  tick,
  type HlcState,
} from '../../src/shared/hlc.ts';

const node = fc.stringMatching(/^[0-9a-f]{16}$/);
const hlc = fc.record({ ms: fc.integer({ min: 0, max: 4_000_000_000_000 }), counter: fc.integer({ min: 0, max: 0xffff }), node });

describe('HLC encoding', () => {
  it('round-trips through the string form', () => {
    fc.assert(
      fc.property(hlc, (h) => {
        expect(decodeHlc(encodeHlc(h))).toEqual(h);
      }),
    );
  });

  it('orders strings exactly as clocks (ms, then counter, then node)', () => {
    fc.assert(
      fc.property(hlc, hlc, (a, b) => {
        const byClock =
          a.ms !== b.ms
            ? Math.sign(a.ms - b.ms)
            : a.counter !== b.counter
              ? Math.sign(a.counter - b.counter)
              : a.node < b.node
                ? -1
                : a.node > b.node
                  ? 1
                  : 0;
        const ea = encodeHlc(a);
        const eb = encodeHlc(b);
        const byString = ea < eb ? -1 : ea > eb ? 1 : 0;
        expect(byString).toBe(byClock);
      }),
    );
  });

  it('has a fixed width', () => {
    fc.assert(
      fc.property(hlc, (h) => {
        expect(encodeHlc(h)).toHaveLength(HLC_LENGTH);
      }),
    );
  });

  it('refuses malformed strings and values', () => {
    expect(() => decodeHlc('2026-01-01')).toThrow(HlcError);
    expect(() => encodeHlc({ ms: -1, counter: 0, node: '0123456789abcdef' })).toThrow(HlcError);
    expect(() => encodeHlc({ ms: 1, counter: 0x10000, node: '0123456789abcdef' })).toThrow(HlcError);
    expect(() => encodeHlc({ ms: 1, counter: 0, node: 'XYZ' })).toThrow(HlcError);
  });
});

describe('HLC ticks', () => {
  it('is strictly increasing whatever the wall clock does (even going backwards)', () => {
    fc.assert(
      fc.property(node, fc.array(fc.integer({ min: 0, max: 2_000_000_000_000 }), { minLength: 1, maxLength: 200 }), (n, times) => {
        let s: HlcState = initialHlc(n);
        let prev = '';
        for (const t of times) {
          s = tick(s, t);
          const enc = encodeHlc(s);
          expect(enc > prev).toBe(true);
          prev = enc;
        }
      }),
    );
  });

  it('after receiving a remote clock, the next local event sorts after it', () => {
    fc.assert(
      fc.property(node, hlc, fc.integer({ min: 0, max: 2_000_000_000_000 }), (n, remote, now) => {
        fc.pre(remote.ms - now <= HLC_MAX_DRIFT_MS);
        fc.pre(remote.counter < 0xfffe);
        const s = receive(initialHlc(n), remote, now);
        const next = tick(s, now);
        expect(encodeHlc(next) > encodeHlc(remote)).toBe(true);
      }),
    );
  });

  it('refuses a remote clock too far ahead, so one wrong phone cannot drag everyone forward', () => {
    const s = initialHlc('0123456789abcdef');
    const now = 1_800_000_000_000;
    expect(() => receive(s, { ms: now + HLC_MAX_DRIFT_MS + 1, counter: 0, node: 'ffffffffffffffff' }, now)).toThrow(/ahead/);
    expect(receive(s, { ms: now + HLC_MAX_DRIFT_MS, counter: 0, node: 'ffffffffffffffff' }, now).ms).toBe(now + HLC_MAX_DRIFT_MS);
  });

  it('overflows loudly rather than reusing a timestamp', () => {
    const s: HlcState = { ms: 5, counter: 0xffff, node: '0123456789abcdef' };
    expect(() => tick(s, 5)).toThrow(HlcError);
    expect(tick(s, 6)).toEqual({ ms: 6, counter: 0, node: s.node });
  });
});
