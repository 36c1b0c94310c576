/**
 * The page's side of the writer worker: `viaWriter(name)` is the save the UI calls, run in the
 * worker (see `writer-worker.ts` for why) and answered here. Where no worker can be had — no
 * Worker, or its script failed (it loads when a save can come — just after sign-in, or at a
 * signed-in volunteer's first touch — so before the first save as a rule) — the
 * same save runs on the page instead, so saving never depends on the worker being there.
 *
 * A worker that fails while saves are with it may have committed them: those are answered with
 * an error (the form keeps its text; tapping save again writes the same record, by its id — a
 * need's step by its history line's id, so it is found taken, not taken twice) and never run
 * a second time here; later saves run on the page.
 */
import { StorageError } from './storage-error.ts';
import type { WriteReply, WriteRequest } from './writer-protocol.ts';
import type { WriteName, Writes } from './writes.ts';

/** The last completed save's mark, at the moment its transaction completed (read by `npm run bench`). */
export const COMMITTED_MARK = 'linli:committed';

interface Pending {
  name: WriteName;
  args: unknown[];
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

let worker: Worker | null | undefined;
let nextId = 1;
const pending = new Map<number, Pending>();

function markCommitted(at: number): void {
  try {
    performance.clearMarks(COMMITTED_MARK);
    performance.mark(COMMITTED_MARK, { startTime: Math.max(0, at) });
  } catch {
    // marks are for measuring only
  }
}

async function onPage(p: Pending): Promise<void> {
  try {
    const { WRITES } = await import('./writes.ts');
    const result = await (WRITES[p.name] as (...a: unknown[]) => Promise<unknown>)(...p.args);
    markCommitted(performance.now());
    p.resolve(result);
  } catch (e) {
    p.reject(e);
  }
}

function fail(message: string): void {
  worker?.terminate();
  worker = null;
  const waiting = [...pending.values()];
  pending.clear();
  for (const p of waiting) p.reject(new StorageError('failed', message));
}

function writer(): Worker | null {
  if (worker !== undefined) return worker;
  if (typeof Worker === 'undefined') return (worker = null);
  try {
    worker = new Worker(new URL('./writer-worker.ts', import.meta.url), { type: 'module', name: 'linli-writer' });
  } catch {
    return (worker = null);
  }
  worker.onmessage = (event: MessageEvent<WriteReply>) => {
    const m = event.data;
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.ok) {
      markCommitted(m.committedAt - performance.timeOrigin);
      p.resolve(m.result);
    } else {
      p.reject(new StorageError(m.error.code, m.error.message));
    }
  };
  worker.onerror = (event) => {
    event.preventDefault();
    fail(event.message || 'the writer stopped');
  };
  worker.onmessageerror = () => fail('a save could not be read');
  return worker;
}

/** Starts the worker ahead of the first save, so that save does not wait for it to load. */
export function warmWriter(): void {
  writer();
}

/** The save `name`, run in the writer worker (or on the page where there is none). */
export function viaWriter<N extends WriteName>(name: N): Writes[N] {
  return ((...args: unknown[]) =>
    new Promise((resolve, reject) => {
      const p: Pending = { name, args, resolve, reject };
      const w = writer();
      if (!w) return void onPage(p);
      const id = nextId++;
      pending.set(id, p);
      try {
        w.postMessage({ id, name, args } satisfies WriteRequest);
      } catch {
        // arguments that cannot be copied to a worker (a database handle in a test): here instead
        pending.delete(id);
        void onPage(p);
      }
    })) as Writes[N];
}
