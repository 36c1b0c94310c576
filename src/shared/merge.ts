/**
 * Per-field last-writer-wins merge — the one conflict rule of Linli, shared by the server
 * (on push) and the device (on pull).
 *
 * A row is a map of field values plus a map of the HLC that last wrote each field. Merging
 * keeps, per field, the value with the greater clock. Because the result for each field is
 * the maximum under a total order, merge is idempotent, commutative and associative: a
 * duplicated, reordered or replayed change cannot alter the outcome, and every replica that
 * has seen the same set of changes holds the same row.
 */

export type Fields = Record<string, unknown>;
export type Clocks = Record<string, string>;

export interface RowState {
  readonly fields: Fields;
  readonly clocks: Clocks;
}

export const EMPTY_ROW: RowState = Object.freeze({ fields: Object.freeze({}), clocks: Object.freeze({}) });

/**
 * Two writes with the same clock come from one mutation and so carry the same value; the
 * value comparison only breaks a tie that a forged or corrupt clock could create, so that
 * even then the merge stays commutative.
 */
function wins(clockA: string, valueA: unknown, clockB: string, valueB: unknown): boolean {
  if (clockA !== clockB) return clockA > clockB;
  return stableStringify(valueA) >= stableStringify(valueB);
}

export function mergeRows(a: RowState, b: RowState): RowState {
  const fields: Fields = {};
  const clocks: Clocks = {};
  for (const key of new Set([...Object.keys(a.clocks), ...Object.keys(b.clocks)])) {
    const ca = a.clocks[key];
    const cb = b.clocks[key];
    if (cb === undefined || (ca !== undefined && wins(ca, a.fields[key], cb, b.fields[key]))) {
      clocks[key] = ca!;
      fields[key] = a.fields[key] ?? null;
    } else {
      clocks[key] = cb;
      fields[key] = b.fields[key] ?? null;
    }
  }
  return { fields, clocks };
}

/** A mutation — fields written at one clock — as a row state, so it merges like any row. */
export function mutationRow(fields: Fields, hlc: string): RowState {
  const clocks: Clocks = {};
  for (const key of Object.keys(fields)) clocks[key] = hlc;
  return { fields, clocks };
}

/** Did merging `incoming` into `current` change anything? (Lets the server skip no-op writes.) */
export function rowChanged(current: RowState, merged: RowState): boolean {
  const keys = Object.keys(merged.clocks);
  if (keys.length !== Object.keys(current.clocks).length) return true;
  return keys.some((k) => current.clocks[k] !== merged.clocks[k]);
}

/** In packed clocks, the clock of every field that has none of its own. */
export const SHARED_CLOCK_KEY = '*';

/**
 * A row's clocks as the server stores and sends them: the clock most fields share once, under
 * `*`, and only the fields written at another clock by name. A row written by one mutation —
 * most rows: a visit, a reading, a ticket taken in — has one clock for all its fields, and
 * its clocks were most of its bytes (a 36-character clock per field). No field is named `*`.
 */
export function packClocks(fields: Fields, clocks: Clocks): Clocks {
  const counts = new Map<string, number>();
  for (const k of Object.keys(fields)) {
    const c = clocks[k];
    // a field without a clock would get the shared one back: leave such clocks as they are
    if (c === undefined) return clocks;
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let shared = '';
  let most = 1;
  for (const [c, n] of counts) if (n > most) [shared, most] = [c, n];
  if (!shared) return clocks;
  const packed: Clocks = { [SHARED_CLOCK_KEY]: shared };
  for (const [k, c] of Object.entries(clocks)) if (c !== shared || !(k in fields)) packed[k] = c;
  return packed;
}

/** Every field's clock again from packed clocks (clocks that were never packed come back as they are). */
export function unpackClocks(fields: Fields, packed: Clocks): Clocks {
  const shared = packed[SHARED_CLOCK_KEY];
  if (shared === undefined) return packed;
  const clocks: Clocks = {};
  for (const k of Object.keys(fields)) clocks[k] = packed[k] ?? shared;
  for (const [k, c] of Object.entries(packed)) if (k !== SHARED_CLOCK_KEY) clocks[k] = c;
  return clocks;
}

/** JSON with sorted object keys: equal values give equal strings. */
export function stableStringify(v: unknown): string {
  if (v === undefined) return 'null';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableStringify(o[k])}`)
    .join(',')}}`;
}
