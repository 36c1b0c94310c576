/**
 * The pull (ARCHITECTURE.md, "Sync protocol"): a team's changes after a cursor, oldest
 * first, as the JSON bytes of one page — spliced from what the database stores rather than
 * parsed and re-serialised — with full pages kept for the team's other phones; a phone that
 * asks gets its own rows, stored exactly as it sent them, as stubs (`echoFor`).
 */
import { sql } from 'kysely';
import { unpackClocks, type RowState } from '../shared/merge.ts';
import { MAX_CURSOR } from '../shared/protocol.ts';
import { ApiError } from './api-error.ts';
import { dialectOf, readerOf, type Db } from './db.ts';

export function parseCursor(cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 0;
  if (!/^\d{1,10}$/.test(cursor) || Number(cursor) > MAX_CURSOR) throw new ApiError(400, 'bad_request');
  return Number(cursor);
}

/** Bytes of full pull pages kept per database, least recently used dropped first. */
export const PULL_CACHE_BYTES = 32 * 1024 * 1024;

/**
 * How a pull sends each change's clocks: `packed` as stored (`packClocks`: the shared clock
 * once), which the app asks for; `full`, one clock per field, for an app from before packing.
 */
export type ClockForm = 'packed' | 'full';

/** A page's bytes without its `serverTime`, in the pieces they were made in. */
interface Kept {
  pieces: Uint8Array<ArrayBuffer>[];
  bytes: number;
  lastSeq: number;
}
interface PageCache {
  pages: Map<string, Kept>;
  bytes: number;
  /** Pages being read now: the team's phones asking for the same page at once share one read. */
  building: Map<string, Promise<Kept>>;
}
const caches = new WeakMap<Db, PageCache>();

/**
 * A team's rows changed after the cursor, oldest change first, as the pull's JSON bytes. Rows
 * hold their fields and clocks as JSON written by this server, so they are spliced in rather
 * than parsed and re-serialised — pulls are most of a sync's bytes.
 *
 * A full page (exactly `limit` changes, more to come) is kept and served again to the team's
 * other phones, which pull the same pages: it stays a correct answer. Every change committed
 * later takes a sequence number above the page's last (the per-team lock in `applyPush`), so
 * nothing can ever belong inside its range that it lacks; a row changed since appears again
 * further on with its newer state, and merging the older copy first changes nothing. The
 * last, partial page is never kept; `serverTime` is always fresh.
 *
 * Requests for a page already being read wait for that read instead of starting their own:
 * the answer is the one they would have had a moment earlier, which is as correct (their
 * cursor moves only as far as what they received). This bounds the memory of a team's
 * phones pulling together to one copy of each page.
 *
 * The answer is the page and its `serverTime` as pieces, to be sent one after the other:
 * joining them copied the page for every phone served, and joining the page's own pieces
 * copied it once more per read.
 */
export async function pullPage(
  db: Db,
  teamId: string,
  cursor: number,
  limit: number,
  now = Date.now(),
  form: ClockForm = 'packed',
  echoFor: string | null = null,
): Promise<Uint8Array<ArrayBuffer>[]> {
  const page = await teamPage(db, teamId, cursor, limit, form);
  const tail = Buffer.from(`${now}}`);
  if (!echoFor || form !== 'packed') return [...page.pieces, tail];
  // the asking phone's own rows in the page, exactly as it sent them: a stub each, in a page
  // of its own (never kept); a page without any is the team's, from the cache
  const reader = readerOf(db);
  const own = await reader
    .selectFrom('record')
    .select('seq')
    .where('team_id', '=', teamId)
    .where('echo_device', '=', echoFor)
    .where('seq', '>', cursor)
    .where('seq', '<=', page.lastSeq)
    .limit(1)
    .executeTakeFirst();
  if (!own) return [...page.pieces, tail];
  return [...pieces(await readPage(reader, teamId, cursor, limit, form, echoFor)).pieces, tail];
}

/** The team's page after `cursor`, as every phone of the team gets it: kept when full, one read for phones asking at once. */
async function teamPage(db: Db, teamId: string, cursor: number, limit: number, form: ClockForm): Promise<Kept> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = { pages: new Map(), bytes: 0, building: new Map() }));
  const key = `${teamId}:${cursor}:${limit}:${form}`;
  const hit = cache.pages.get(key);
  if (hit) {
    cache.pages.delete(key);
    cache.pages.set(key, hit);
    return hit;
  }
  let building = cache.building.get(key);
  if (!building) {
    const kept = cache;
    // what is committed is what a pull may hand out: read beside the writer, not behind it
    building = readPage(readerOf(db), teamId, cursor, limit, form)
      .then((page) => keep(kept, key, page))
      .finally(() => kept.building.delete(key));
    cache.building.set(key, building);
  }
  return building;
}

interface Page {
  /** The changes' JSON, joined by commas. */
  body: Uint8Array | string;
  lastSeq: number;
  more: boolean;
  /** The team's changes after this page when it was read: for the phone's progress (records and time left). */
  remaining: number;
}

/** The page's bytes without its `serverTime`. */
function pieces(page: Page): Kept {
  const parts: Uint8Array<ArrayBuffer>[] = [
    PAGE_START,
    typeof page.body === 'string' ? Buffer.from(page.body, 'utf8') : (page.body as Uint8Array<ArrayBuffer>),
    Buffer.from(`],"cursor":${JSON.stringify(String(page.lastSeq))},"more":${page.more},"remaining":${page.remaining},"serverTime":`),
  ];
  return { pieces: parts, bytes: parts.reduce((n, p) => n + p.byteLength, 0), lastSeq: page.lastSeq };
}

/** The page without its `serverTime`; a full one is kept. */
function keep(cache: PageCache, key: string, page: Page): Kept {
  const kept = pieces(page);
  if (page.more && kept.bytes < PULL_CACHE_BYTES / 8 && !cache.pages.has(key)) {
    cache.pages.set(key, kept);
    cache.bytes += kept.bytes;
    for (const [k, v] of cache.pages) {
      if (cache.bytes <= PULL_CACHE_BYTES) break;
      cache.pages.delete(k);
      cache.bytes -= v.bytes;
    }
  }
  return kept;
}
const PAGE_START = new Uint8Array(Buffer.from('{"changes":['));

/**
 * The packed form: the database writes each change's JSON and joins them (SQLite hands the
 * result over as bytes) — building the page in JavaScript made a string per row and encoded
 * the whole page again. The full form unpacks each row's clocks here.
 */
async function readPage(
  db: Db,
  teamId: string,
  cursor: number,
  limit: number,
  form: ClockForm,
  echoFor: string | null = null,
): Promise<Page> {
  let body: Uint8Array | string;
  let n: number;
  let lastSeq: number;
  if (form === 'packed') {
    const sqlite = dialectOf(db) === 'sqlite';
    const quote = (column: string) => (sqlite ? sql`json_quote(${sql.ref(column)})` : sql`to_json(${sql.ref(column)})::text`);
    const whole = sql`'{"type":' || ${quote('type')} || ',"rowId":' || ${quote('row_id')} || ',"fields":' || fields || ',"clocks":' || clocks || ',"seq":' || seq || '}'`;
    // a row the asking phone wrote exactly as stored: its type, id and place, and that it is its own
    const stub = sql`'{"type":' || ${quote('type')} || ',"rowId":' || ${quote('row_id')} || ',"seq":' || seq || ',"echo":true}'`;
    const piece = echoFor ? sql`case when echo_device = ${echoFor} then ${stub} else ${whole} end` : whole;
    const joined = sqlite ? sql`cast(group_concat(piece, ',' order by seq) as blob)` : sql`string_agg(piece, ',' order by seq)`;
    const { rows } = await sql<{ body: Uint8Array | string | null; n: number | string; last: number | string | null }>`
      select ${joined} as body, count(*) as n, max(seq) as last
      from (select seq, ${piece} as piece from record where team_id = ${teamId} and seq > ${cursor} order by seq limit ${limit}) page`.execute(
      db,
    );
    n = Number(rows[0]?.n ?? 0);
    lastSeq = rows[0]?.last == null ? cursor : Number(rows[0].last);
    body = rows[0]?.body ?? '';
  } else {
    const rows = await db
      .selectFrom('record')
      .select(['type', 'row_id', 'fields', 'clocks', 'seq'])
      .where('team_id', '=', teamId)
      .where('seq', '>', cursor)
      .orderBy('seq')
      .limit(limit)
      .execute();
    n = rows.length;
    lastSeq = rows.at(-1)?.seq ?? cursor;
    body = rows
      .map((r) => {
        const clocks = JSON.stringify(unpackClocks(JSON.parse(r.fields) as RowState['fields'], JSON.parse(r.clocks) as RowState['clocks']));
        return `{"type":${JSON.stringify(r.type)},"rowId":${JSON.stringify(r.row_id)},"fields":${r.fields},"clocks":${clocks},"seq":${r.seq}}`;
      })
      .join(',');
  }
  // a change committed after the page was read can only make this true: never a skipped one
  const more =
    n === limit &&
    (await db.selectFrom('record').select('seq').where('team_id', '=', teamId).where('seq', '>', lastSeq).limit(1).executeTakeFirst()) !==
      undefined;
  // how many follow, for the progress line only (counted on the team's sequence index)
  const remaining = more
    ? Number(
        (
          await db
            .selectFrom('record')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('team_id', '=', teamId)
            .where('seq', '>', lastSeq)
            .executeTakeFirst()
        )?.n ?? 0,
      )
    : 0;
  return { body, lastSeq, more, remaining };
}
