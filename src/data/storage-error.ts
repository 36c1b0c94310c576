/**
 * Failures of the local store as values the UI can show: a full disk or a lost IndexedDB
 * connection must never pass silently, and must never look like a saved record.
 */
export type StorageErrorCode = 'quota' | 'closed' | 'failed';

export class StorageError extends Error {
  readonly code: StorageErrorCode;
  constructor(code: StorageErrorCode, message: string) {
    super(message);
    this.name = 'StorageError';
    this.code = code;
  }
}

function names(e: unknown): string[] {
  const out: string[] = [];
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    const { name, inner } = cur as { name?: unknown; inner?: unknown };
    if (typeof name === 'string') out.push(name);
    cur = inner;
  }
  return out;
}

export function toStorageError(e: unknown): StorageError {
  if (e instanceof StorageError) return e;
  const n = names(e);
  const message = e instanceof Error ? e.message : String(e);
  if (n.includes('QuotaExceededError')) return new StorageError('quota', message);
  if (n.includes('DatabaseClosedError') || n.includes('InvalidStateError')) return new StorageError('closed', message);
  return new StorageError('failed', message);
}

export function isClosedError(e: unknown): boolean {
  return names(e).some((n) => n === 'DatabaseClosedError' || n === 'InvalidStateError');
}
