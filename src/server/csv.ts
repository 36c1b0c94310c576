/**
 * Spreadsheets as the server sends them: UTF-8 with a BOM (Excel and WPS open it as such),
 * every cell formula-safe (`safeCell`), and streamed a few hundred rows at a time with a
 * turn of the event loop between — ten coordinators exporting a whole register at once never
 * hold up a phone's sync or the health check.
 */
import { stringify } from 'csv-stringify/sync';
import { safeCell } from '../shared/open-data.ts';

const ROWS_PER_CHUNK = 500;
const encoder = new TextEncoder();

export interface CsvResult {
  /** The file's bytes, made as they are read. */
  body: ReadableStream<Uint8Array>;
  rows: number;
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * `bom: false` for open data: a parser that checks the header row (ORDS's validators do)
 * would read the BOM as part of the first column's name.
 */
export function csvResult(header: readonly string[], rows: readonly (readonly string[])[], { bom = true } = {}): CsvResult {
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`${bom ? '\uFEFF' : ''}${stringify([header.map(safeCell)])}`));
    },
    async pull(controller) {
      await turn();
      const chunk = rows.slice(next, next + ROWS_PER_CHUNK).map((r) => r.map(safeCell));
      next += ROWS_PER_CHUNK;
      if (chunk.length > 0) controller.enqueue(encoder.encode(stringify(chunk)));
      if (next >= rows.length) controller.close();
    },
  });
  return { body, rows: rows.length };
}

/** One collator for every sort of an export: making one per comparison cost seconds on a register. */
export const zhCollator = new Intl.Collator('zh-CN', { numeric: true });

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
