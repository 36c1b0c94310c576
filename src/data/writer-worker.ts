/**
 * The writer worker: runs the app's saves (`writes.ts`) off the page's main thread. After a
 * tap, Chromium holds every task of the page — IndexedDB's answers included — until the frame
 * that the tap asked for is drawn (up to a display beat, 16.7 ms); a worker's tasks are not
 * held, so the record and its outbox entry are on disk a few milliseconds after the tap, while
 * the page is still drawing. The same code, the same database and the same transactions as on
 * the page: only the thread differs.
 */
/// <reference lib="webworker" />
import { toStorageError } from './storage-error.ts';
import type { WriteReply, WriteRequest } from './writer-protocol.ts';
import { WRITES } from './writes.ts';

declare const self: DedicatedWorkerGlobalScope;

function reply(message: WriteReply): void {
  self.postMessage(message);
}

self.onmessage = async (event: MessageEvent<WriteRequest>) => {
  const { id, name, args } = event.data;
  try {
    const write = WRITES[name] as (...a: unknown[]) => Promise<unknown>;
    const result = await write(...args);
    reply({ id, ok: true, result, committedAt: performance.timeOrigin + performance.now() });
  } catch (e) {
    const error = toStorageError(e);
    reply({ id, ok: false, error: { code: error.code, message: error.message } });
  }
};
