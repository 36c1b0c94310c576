/**
 * How safe the device's records are from the browser: persistent storage (asked once, from
 * the page — the worker cannot) and how much room is left.
 */
export type Persistence = 'persisted' | 'not-persisted' | 'unknown';

export interface StorageReport {
  persistence: Persistence;
  usage: number | null;
  quota: number | null;
}

export async function ensurePersistence(): Promise<Persistence> {
  const storage = typeof navigator !== 'undefined' ? navigator.storage : undefined;
  if (!storage?.persisted) return 'unknown';
  try {
    if (await storage.persisted()) return 'persisted';
    return (await storage.persist?.()) ? 'persisted' : 'not-persisted';
  } catch {
    return 'unknown';
  }
}

export async function storageReport(): Promise<StorageReport> {
  const persistence = await ensurePersistence();
  try {
    const est = await navigator.storage?.estimate?.();
    return { persistence, usage: est?.usage ?? null, quota: est?.quota ?? null };
  } catch {
    return { persistence, usage: null, quota: null };
  }
}
