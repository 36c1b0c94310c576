/**
 * Group commit: work that arrives while a transaction of its line is in flight waits and
 * joins the line's next transaction, each job answered for exactly its own part once that
 * transaction has committed. The push uses it so that a district's phones syncing at once
 * share commits (one fsync for many pushes) instead of queueing one transaction each.
 * Generic over the job: nothing here knows about mutations.
 */
import type { Transaction } from 'kysely';
import { dialectOf, type Db, type Schema } from './db.ts';

type Run = (trx: Transaction<Schema>, jobs: unknown[]) => Promise<unknown[]>;
interface Waiting {
  job: unknown;
  size: number;
  run: Run;
  resolve: (r: unknown) => void;
  reject: (e: unknown) => void;
}
const lines = new WeakMap<Db, Map<string, Waiting[]>>();
/** One transaction takes at most this many jobs, and this much work (mutations) unless a single job is larger. */
const MAX_GROUP_JOBS = 64;
const MAX_GROUP_SIZE = 2000;

/**
 * Runs `job` in a transaction together with the other jobs waiting on the same line: jobs
 * that arrive while a transaction of the line is in flight are taken into the next one (those
 * with the same `run`, in arrival order), and each answered once it has committed. Should a
 * group fail, each of its jobs is tried again in a transaction of its own, so one job that
 * cannot be written never takes the others with it.
 */
export function commitTogether<J, R>(
  db: Db,
  line: string,
  job: J,
  size: number,
  run: (trx: Transaction<Schema>, jobs: J[]) => Promise<R[]>,
): Promise<R> {
  let byLine = lines.get(db);
  if (!byLine) lines.set(db, (byLine = new Map()));
  const known = byLine;
  return new Promise<R>((resolve, reject) => {
    const entry: Waiting = { job, size, run: run as Run, resolve: resolve as (r: unknown) => void, reject };
    const open = known.get(line);
    if (open) {
      open.push(entry);
      return;
    }
    const waiting = [entry];
    known.set(line, waiting);
    setImmediate(() => void drain(db, known, line, waiting));
  });
}

/** Jobs waiting on a line, not counting those in the transaction now running (for tests). */
export function waitingOn(db: Db, line: string): number {
  return lines.get(db)?.get(line)?.length ?? 0;
}

/**
 * SQLite: the lines' groups take turns, one group per turn of the event loop. The driver is
 * synchronous, so every line whose group was due ran in the same turn (up to ten teams'
 * transactions of ~40 ms each), and nothing else happened meanwhile: no request read, no
 * answer sent, no new connection accepted — libuv accepts one per turn (libuv#3696), so a
 * crowd of phones connecting at once waited seconds to be let in. PostgreSQL's lines run
 * side by side on their own connections and do not take turns.
 */
class Turns {
  #busy = false;
  readonly #waiting: (() => void)[] = [];
  /** Resolves when it is this caller's turn; call the result when done. */
  async take(): Promise<() => void> {
    if (this.#busy) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#busy = true;
    return () => {
      // the next group runs in the next turn of the loop, after its I/O
      setImmediate(() => {
        const next = this.#waiting.shift();
        if (next) next();
        else this.#busy = false;
      });
    };
  }
}
const turnsOf = new WeakMap<Db, Turns>();

function sqliteTurns(db: Db): Turns | undefined {
  if (dialectOf(db) !== 'sqlite') return undefined;
  let turns = turnsOf.get(db);
  if (!turns) turnsOf.set(db, (turns = new Turns()));
  return turns;
}

async function drain(db: Db, byLine: Map<string, Waiting[]>, key: string, waiting: Waiting[]): Promise<void> {
  const turns = sqliteTurns(db);
  for (let first = true; waiting.length > 0; first = false) {
    // Between groups, let the event loop read what has arrived and send what is answered
    // (on SQLite, the turn does that): draining a long line in one go kept new pushes
    // unread for seconds, and the time they waited unread was missing from what the server
    // told phones (Server-Timing), so their batches grew.
    if (!first && !turns) await new Promise<void>((resolve) => setImmediate(resolve));
    const done = await turns?.take();
    const run = waiting[0]!.run;
    let count = 0;
    let size = 0;
    while (
      count < waiting.length &&
      count < MAX_GROUP_JOBS &&
      waiting[count]!.run === run &&
      (count === 0 || size + waiting[count]!.size <= MAX_GROUP_SIZE)
    )
      size += waiting[count++]!.size;
    const group = waiting.splice(0, count);
    try {
      const results = await db.transaction().execute((trx) =>
        run(
          trx,
          group.map((w) => w.job),
        ),
      );
      group.forEach((w, i) => w.resolve(results[i]));
    } catch (e) {
      if (group.length === 1) group[0]!.reject(e);
      else {
        for (const w of group) {
          try {
            w.resolve((await db.transaction().execute((trx) => run(trx, [w.job])))[0]);
          } catch (err) {
            w.reject(err);
          }
        }
      }
    } finally {
      done?.();
    }
  }
  byLine.delete(key);
}
