/**
 * Hybrid logical clock (HLC), after Kulkarni, Demirbas et al., "Logical Physical Clocks and
 * Consistent Snapshots in Globally Distributed Databases" (2014), in the string form Actual
 * Budget uses: a timestamp is physical milliseconds + a counter + the node id, fixed-width,
 * so that comparing two encoded strings compares the clocks.
 *
 * Pure functions over a small state value: the caller (device or server) owns where the
 * state lives and passes the current time in, so tests can drive time.
 */

/** `MMMMMMMMMMMMMMM-CCCC-NNNNNNNNNNNNNNNN`: 15 decimal digits of ms, 4 hex of counter, 16 hex of node. */
export const HLC_LENGTH = 15 + 1 + 4 + 1 + 16;
export const HLC_MAX_COUNTER = 0xffff;
/** A remote clock further ahead of our physical time than this is refused, not adopted. */
export const HLC_MAX_DRIFT_MS = 5 * 60 * 1000;

export interface HlcState {
  readonly ms: number;
  readonly counter: number;
  readonly node: string;
}

export interface Hlc {
  readonly ms: number;
  readonly counter: number;
  readonly node: string;
}

export class HlcError extends Error {
  readonly code: 'clock_skew' | 'counter_overflow' | 'malformed';
  constructor(code: HlcError['code'], message: string) {
    super(message);
    this.name = 'HlcError';
    this.code = code;
  }
}

const NODE_RE = /^[0-9a-f]{16}$/;
const HLC_RE = /^(\d{15})-([0-9a-f]{4})-([0-9a-f]{16})$/;

export function isNodeId(node: string): boolean {
  return NODE_RE.test(node);
}

export function encodeHlc(h: Hlc): string {
  if (!Number.isSafeInteger(h.ms) || h.ms < 0 || h.ms >= 1e15) throw new HlcError('malformed', `bad ms ${h.ms}`);
  if (h.counter < 0 || h.counter > HLC_MAX_COUNTER) throw new HlcError('counter_overflow', `bad counter ${h.counter}`);
  if (!isNodeId(h.node)) throw new HlcError('malformed', `bad node ${h.node}`);
  return `${String(h.ms).padStart(15, '0')}-${h.counter.toString(16).padStart(4, '0')}-${h.node}`;
}

export function decodeHlc(s: string): Hlc {
  const m = HLC_RE.exec(s);
  if (!m) throw new HlcError('malformed', `not an HLC: ${s.slice(0, 60)}`);
  return { ms: Number(m[1]), counter: parseInt(m[2]!, 16), node: m[3]! };
}

export function isHlc(s: unknown): s is string {
  return typeof s === 'string' && HLC_RE.test(s);
}

/** Physical milliseconds of an encoded clock, without a full decode. */
export function hlcMs(s: string): number {
  return Number(s.slice(0, 15));
}

export function initialHlc(node: string): HlcState {
  if (!isNodeId(node)) throw new HlcError('malformed', `bad node ${node}`);
  return { ms: 0, counter: 0, node };
}

/** A local event (a write): returns the new state, whose encoding is the event's timestamp. */
export function tick(state: HlcState, now: number): HlcState {
  const ms = Math.max(state.ms, now);
  const counter = ms === state.ms ? state.counter + 1 : 0;
  if (counter > HLC_MAX_COUNTER) throw new HlcError('counter_overflow', 'too many events in one millisecond');
  return { ms, counter, node: state.node };
}

/**
 * Merge a clock seen from elsewhere (a pulled change, the server's time) so that every later
 * local event sorts after it. A remote clock too far ahead of `now` is refused, so one phone
 * with a wrong date cannot drag everyone's clocks into the future.
 */
export function receive(state: HlcState, remote: Hlc, now: number, maxDriftMs = HLC_MAX_DRIFT_MS): HlcState {
  if (remote.ms - now > maxDriftMs) {
    throw new HlcError('clock_skew', `remote clock ${remote.ms - now} ms ahead`);
  }
  const ms = Math.max(state.ms, remote.ms, now);
  let counter: number;
  if (ms === state.ms && ms === remote.ms) counter = Math.max(state.counter, remote.counter) + 1;
  else if (ms === state.ms) counter = state.counter + 1;
  else if (ms === remote.ms) counter = remote.counter + 1;
  else counter = 0;
  if (counter > HLC_MAX_COUNTER) throw new HlcError('counter_overflow', 'too many events in one millisecond');
  return { ms, counter, node: state.node };
}

/** The server's time expressed as a clock (node all zeros), for devices to `receive`. */
export function serverClock(now: number): string {
  return encodeHlc({ ms: now, counter: 0, node: '0000000000000000' });
}
