/** The messages between the page and the writer worker (`writer.ts` ↔ `writer-worker.ts`). */
import type { StorageErrorCode } from './storage-error.ts';
import type { WriteName } from './writes.ts';

export interface WriteRequest {
  id: number;
  name: WriteName;
  args: unknown[];
}

export type WriteReply =
  | {
      id: number;
      ok: true;
      result: unknown;
      /** When the transaction completed, on the clock page and worker share (`timeOrigin + now()`). */
      committedAt: number;
    }
  | { id: number; ok: false; error: { code: StorageErrorCode; message: string } };
