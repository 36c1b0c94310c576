/**
 * Spreadsheets as the server sends them: UTF-8 with a BOM (Excel and WPS open it as such),
 * every cell formula-safe (`safeCell`), and made a hundred rows at a time with a
 * turn of the event loop between — ten coordinators exporting a whole register at once never
 * hold up a phone's sync or the health check.
 */
import { stringify } from 'csv-stringify/sync';
import { safeCell } from '../shared/open-data.ts';

const ROWS_PER_CHUNK = 100;
const encoder = new TextEncoder();

export interface CsvResult {
  /** The file's bytes, made as they are read. */
  body: ReadableStream<Uint8Array>;
  rows: number;
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The file of `items`, each made into its row by `toRow` only as the stream reaches it — a
 * chunk at a time, with a turn of the event loop between — so no export builds a whole
 * register in one go. `bom: false` for open data: a parser that checks the header row
 * (ORDS's validators do) would read the BOM as part of the first column's name.
 */
export function csvResult<T>(
  header: readonly string[],
  items: readonly T[],
  toRow: (item: T) => readonly string[],
  { bom = true } = {},
): CsvResult {
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`${bom ? '\uFEFF' : ''}${stringify([header.map(safeCell)])}`));
    },
    async pull(controller) {
      await turn();
      const chunk = items.slice(next, next + ROWS_PER_CHUNK).map((item) => toRow(item).map(safeCell));
      next += ROWS_PER_CHUNK;
      if (chunk.length > 0) controller.enqueue(encoder.encode(stringify(chunk)));
      if (next >= items.length) controller.close();
    },
  });
  return { body, rows: items.length };
}

/**
 * The file's bytes, all of them, read from its stream: an export formats within its turn
 * (EXPORTS_AT_ONCE) and then hands the client what it made at the client's own pace — a
 * coordinator on a slow link does not hold the turn, only the file (a few MB for a district's
 * register), not the records it came from.
 */
export async function madeInFull(body: ReadableStream<Uint8Array>): Promise<ReadableStream<Uint8Array>> {
  const chunks: Uint8Array[] = [];
  const reader = body.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    },
  });
}

/** One collator for every sort of an export: making one per comparison cost seconds on a register. */
export const zhCollator = new Intl.Collator('zh-CN', { numeric: true });

/**
 * `items` in the order of their parts (grid, building, unit, room), each part in the
 * collator's order. Each distinct part is collated once and the items then compare by ranks:
 * a register of 13,000 households has a few thousand distinct parts, and collating every
 * comparison of the sort held the thread for hundreds of milliseconds.
 */
export function sortByParts<T>(items: T[], parts: (item: T) => readonly string[]): T[] {
  const keyed = items.map((item) => ({ item, parts: parts(item) }));
  const width = keyed.reduce((w, k) => Math.max(w, k.parts.length), 0);
  const ranks = Array.from({ length: width }, (_, i) => {
    const distinct = [...new Set(keyed.map((k) => k.parts[i] ?? ''))].sort(zhCollator.compare);
    return new Map(distinct.map((v, rank) => [v, rank]));
  });
  const ranked = keyed.map((k) => ({ item: k.item, key: ranks.map((r, i) => r.get(k.parts[i] ?? '')!) }));
  ranked.sort((a, b) => {
    for (let i = 0; i < width; i++) if (a.key[i] !== b.key[i]) return a.key[i]! - b.key[i]!;
    return 0;
  });
  return ranked.map((r) => r.item);
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** An instant as the team's clock shows it, YYYY-MM-DD HH:MM ('' for none). */
export function localTime(instant: string | number | null, timeZone: string): string {
  if (instant === null || instant === '') return '';
  const d = new Date(instant);
  if (Number.isNaN(d.getTime())) return '';
  let format = timeFormats.get(timeZone);
  if (!format) {
    // sv-SE formats as YYYY-MM-DD HH:MM
    format = new Intl.DateTimeFormat('sv-SE', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    timeFormats.set(timeZone, format);
  }
  return format.format(d);
}

export { turn };
