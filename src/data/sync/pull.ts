/**
 * The flush's second half: the team's changes after this phone's cursor, a page at a time
 * until the server says there are no more, each page merged with its cursor and the
 * server's clock in one transaction — so a page is either all in, with the cursor past it,
 * or not at all. The phone's own rows, exactly as it sent them, come back as stubs
 * (`echo=own`): a thousand records synced need not be downloaded again.
 */
import { serverClock } from '../../shared/hlc.ts';
import {
  DEFAULT_PULL_LIMIT,
  PULL_ECHO_OWN,
  PULL_PACKED_CLOCKS,
  RECORD_SET_VERSION,
  type Change,
  type EchoChange,
  type EchoPullResponse,
} from '../../shared/protocol.ts';
import { isRecordType, RECORD_TYPES } from '../../shared/record-defaults.ts';
import { alignClock, observeHlc } from '../clock.ts';
import type { LinliDb } from '../db.ts';
import { applyChanges, withStore } from '../records.ts';
import { StopFlush, type Link } from './link.ts';

export interface PullOptions {
  db: LinliDb;
  link: Link;
  /** Changes merged so far (a page's worth at a time). */
  onProgress?: ((pulled: number, more: boolean, remaining: number | undefined) => void) | undefined;
}

/** Pulls until nothing is left; returns how many changes came. Nothing without a signed-in user. */
export async function pullTeam({ db, link, onProgress }: PullOptions): Promise<number> {
  const user = await db.getMeta('user');
  if (!user) return 0;
  const cursorKey = `cursor:${user.teamId}:v${RECORD_SET_VERSION}` as const;
  let pulled = 0;
  for (;;) {
    const cursor = (await db.getMeta(cursorKey)) ?? '0';
    const query = `cursor=${encodeURIComponent(cursor)}&limit=${DEFAULT_PULL_LIMIT}&${PULL_PACKED_CLOCKS}`;
    const sentAt = Date.now();
    let page = await fetchPage(link, `${query}&${PULL_ECHO_OWN}`);
    // a stub for a row this phone does not hold (never expected: it wrote the row before it
    // queued the change): the same page again, every row whole — nothing is ever skipped
    if (await missingOwnRow(db, page.changes)) page = await fetchPage(link, query);
    const receivedAt = Date.now();
    await withStore(db, () =>
      db.transaction('rw', [...RECORD_TYPES.map((t) => db.recordTable(t)), db.meta], async () => {
        await applyChanges(db, page.changes.filter((c): c is Change => !('echo' in c)));
        await db.setMeta(cursorKey, page.cursor);
        await alignClock(db, page.serverTime, sentAt, receivedAt);
        await observeHlc(db, serverClock(page.serverTime));
      }),
    );
    pulled += page.changes.length;
    onProgress?.(pulled, page.more, page.remaining);
    if (!page.more) return pulled;
  }
}

async function fetchPage(link: Link, query: string): Promise<EchoPullResponse> {
  const res = await link.call(`/api/sync/pull?${query}`, { method: 'GET', headers: link.headers });
  if (!res.ok) throw new StopFlush('error');
  return link.json<EchoPullResponse>(res);
}

/** Whether a stub names a row this phone's store lacks. */
async function missingOwnRow(db: LinliDb, changes: readonly (Change | EchoChange)[]): Promise<boolean> {
  const stubs = changes.filter((c): c is EchoChange => 'echo' in c && isRecordType(c.type));
  if (stubs.length === 0) return false;
  const byType = new Map<string, string[]>();
  for (const c of stubs) byType.set(c.type, [...(byType.get(c.type) ?? []), c.rowId]);
  for (const [type, ids] of byType) {
    if (!isRecordType(type)) continue;
    const found = await db.recordTable(type).bulkGet(ids);
    if (found.some((row) => !row)) return true;
  }
  return false;
}
