/**
 * Saving a record from a form: the draft laid over the stored row (or a new one, stamped
 * with who and when), validated against the record's shared schema and any rules across its
 * fields, then only the fields that changed written — so two phones editing different fields
 * of one record both keep their edits. A save of several records (a visit and the needs it
 * found) validates all of them before it writes any, in one transaction.
 */
import type { MessageKey } from '../shared/i18n/format.ts';
import { isMessageKey } from '../shared/i18n/keys.ts';
import { stableStringify } from '../shared/merge.ts';
import { RECORD_DEFAULTS, RECORDS, withDefaults, type RecordOf, type RecordType } from '../shared/registry.ts';
import { asClockInputs, CLOCK_KEYS, type ClockInputs } from './clock.ts';
import type { LinliDb, LocalRow, SignedInUser } from './db.ts';
import { localFields, withStore, writeInTransaction } from './records.ts';
import { mayHideFact } from '../shared/roles.ts';
import { refreshRollups, rollupTablesFor } from './rollups.ts';
import { StorageError } from './storage-error.ts';

export type FieldErrors = Partial<Record<string, MessageKey>>;
export type SaveResult<T> = { ok: true; record: T } | { ok: false; errors: FieldErrors };

export function fieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? '');
    errors[field] ??= isMessageKey(issue.message) ? issue.message : 'v.invalid';
  }
  return errors;
}

/** Spreading `{ a: undefined }` would blank a stored field; a draft's missing fields mean "unchanged". */
export function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Only what differs from the stored row travels (arrays and objects compared by value). */
export function changedFields(existing: Record<string, unknown> | undefined, next: Record<string, unknown>): Record<string, unknown> {
  if (!existing) return next;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(next)) {
    if (k === 'updatedAt') continue;
    const before = existing[k];
    const same = v !== null && typeof v === 'object' ? stableStringify(v) === stableStringify(before) : before === v;
    if (!same) out[k] = v;
  }
  if (Object.keys(out).length > 0) out.updatedAt = next.updatedAt;
  return out;
}

/**
 * Who saves, this phone's ticket letter, and the clock — read in one request, since every
 * IndexedDB round trip inside a save is felt on a cheap phone.
 */
export async function actor(db: LinliDb): Promise<{ user: SignedInUser; letter: string | null; clock: ClockInputs; now: string }> {
  const [user, letter, ...rows] = await db.meta.bulkGet(['user', 'deviceLetter', ...CLOCK_KEYS]);
  if (!user?.value) throw new StorageError('failed', 'not signed in');
  const clock = asClockInputs(rows);
  return { user: user.value as SignedInUser, letter: (letter?.value as string | null | undefined) ?? null, clock, now: instantNow(clock) };
}

/**
 * Now, by the phone's clock as corrected at its last sign-in or sync: the instants written
 * into records (when a visit was made, a reading taken). A phone whose clock runs minutes
 * fast writes the server's time, not a time the server would call the future.
 */
export function instantNow(clock: Pick<ClockInputs, 'offset'>): string {
  return new Date(Date.now() + clock.offset).toISOString();
}

/** One read-write transaction over these record types (and their rollups), the outbox and meta. */
export function saving<T>(db: LinliDb, types: readonly RecordType[], work: () => Promise<T>): Promise<T> {
  const all = new Set<RecordType>(types);
  for (const t of rollupTablesFor(all)) all.add(t);
  // Dexie keeps a transaction alive across native awaits only when the scope is an async function.
  return withStore(db, () => db.transaction('rw', [...[...all].map((t) => db.recordTable(t)), db.outbox, db.meta], async () => work()));
}

/** Who writes, and when: every record of one save carries the same instant. */
export interface SaveContext {
  user: SignedInUser;
  now: string;
}

/** A record's own fields, without those every record carries (set by the save). */
export type Editable<T> = Omit<T, 'id' | 'teamId' | 'createdAt' | 'createdBy' | 'updatedAt' | 'deleted'>;

export interface Prepared<T extends RecordType> {
  type: T;
  id: string;
  existing: LocalRow<T> | undefined;
  changed: Record<string, unknown>;
  record: RecordOf[T];
}

export interface PrepareContext<T extends RecordType> {
  user: SignedInUser;
  now: string;
  /** Checks across fields that a per-field schema cannot see. */
  rules?: (record: RecordOf[T]) => FieldErrors;
}

/** Validates a draft over the stored row; nothing is written. Call inside the saving transaction. */
export async function prepare<T extends RecordType>(
  db: LinliDb,
  type: T,
  id: string,
  draft: Partial<RecordOf[T]>,
  ctx: PrepareContext<T>,
): Promise<{ ok: true; prepared: Prepared<T> } | { ok: false; errors: FieldErrors }> {
  const existing = await db.recordTable(type).get(id);
  const base = existing
    ? withDefaults(type, localFields(existing))
    : { ...RECORD_DEFAULTS[type], id, teamId: ctx.user.teamId, createdAt: ctx.now, createdBy: ctx.user.id, deleted: false };
  const candidate = { ...base, ...defined(draft), id, updatedAt: ctx.now };
  const parsed = RECORDS[type].schema.safeParse(candidate);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues) };
  const record = parsed.data as RecordOf[T];
  const broken = ctx.rules?.(record) ?? {};
  if (Object.keys(broken).length > 0) return { ok: false, errors: broken };
  const changed = changedFields(existing ? localFields(existing) : undefined, record as Record<string, unknown>);
  return { ok: true, prepared: { type, id, existing, changed, record } };
}

/** Writes a prepared record (nothing, when nothing changed). */
export async function commit<T extends RecordType>(db: LinliDb, p: Prepared<T>): Promise<RecordOf[T]> {
  if (p.existing && Object.keys(p.changed).length === 0) return p.record;
  const row = await writeInTransaction(db, p.type, p.id, p.changed, { current: p.existing });
  return withDefaults(p.type, localFields(row));
}

/** prepare + commit of one record. */
export async function putRecord<T extends RecordType>(
  db: LinliDb,
  type: T,
  id: string,
  draft: Partial<RecordOf[T]>,
  ctx: PrepareContext<T>,
): Promise<SaveResult<RecordOf[T]>> {
  const p = await prepare(db, type, id, draft, ctx);
  if (!p.ok) return p;
  return { ok: true, record: await commit(db, p.prepared) };
}

/**
 * Hides a recorded fact (a visit, a health check) entered by mistake: it stays stored, with
 * the reason, for the audit, and leaves every list. Only whoever recorded it or a
 * coordinator may; the server checks the same.
 */
export function hideFact<T extends 'visit' | 'healthCheck'>(db: LinliDb, type: T, id: string, reason: string): Promise<SaveResult<RecordOf[T]>> {
  return saving(db, [type], async () => {
    const { user, now } = await actor(db);
    const current = await db.recordTable(type).get(id);
    if (!current) return { ok: false, errors: { form: 'error.not_found' } };
    if (!mayHideFact(user.role, user.id, current.createdBy)) return { ok: false, errors: { form: 'error.forbidden' } };
    if (!reason.trim()) return { ok: false, errors: { deletedReason: 'v.deletedReason' } };
    const saved = await putRecord(db, type, id, { deleted: true, deletedReason: reason.trim() } as Partial<RecordOf[T]>, {
      user,
      now,
    });
    if (saved.ok) await refreshRollups(db, [{ type, rowId: id }]);
    return saved;
  });
}
