/**
 * Saving repair events and tickets: drafts validated against the shared schemas, then one
 * atomic write each. Loaded with the forms, not with the first screen.
 */
import { repairEventSchema, repairTicketSchema, type RepairEvent, type RepairTicket, type TicketStatus } from '../shared/records.ts';
import { isMessageKey } from '../shared/i18n/index.ts';
import { localDb, type LinliDb, type SignedInUser } from './db.ts';
import { withStore, writeInTransaction } from './records.ts';
import { asEvent, asTicket, type FieldErrors, type SaveResult } from './repair.ts';
import { StorageError } from './storage-error.ts';

function fieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? '');
    errors[field] ??= isMessageKey(issue.message) ? issue.message : 'v.invalid';
  }
  return errors;
}

/** Who saves, and this phone's ticket letter. */
async function actor(db: LinliDb) {
  const [user, letter] = await Promise.all([db.meta.get('user'), db.meta.get('deviceLetter')]);
  if (!user?.value) throw new StorageError('failed', 'not signed in');
  return { user: user.value as SignedInUser, letter: (letter?.value as string | null | undefined) ?? null };
}

/** A save is one read-write transaction from the first read to the outbox entry. */
function saving<T>(db: LinliDb, type: 'repairEvent' | 'repairTicket', work: () => Promise<T>): Promise<T> {
  // Dexie keeps a transaction alive across native awaits only when the scope is an async function.
  return withStore(db, () => db.transaction('rw', [db.recordTable(type), db.outbox, db.meta], async () => work()));
}

export interface EventDraft {
  id: string;
  title: string;
  date: string;
  site: string;
  status: RepairEvent['status'];
}

/** Creates or edits an event; `draft.id` is made when the form opens, so a double save writes one event. */
export function saveRepairEvent(draft: EventDraft, db: LinliDb = localDb()): Promise<SaveResult<RepairEvent>> {
  return saving(db, 'repairEvent', () => saveEvent(draft, db));
}

async function saveEvent(draft: EventDraft, db: LinliDb): Promise<SaveResult<RepairEvent>> {
  const [{ user }, existing] = await Promise.all([actor(db), db.repairEvent.get(draft.id)]);
  const now = new Date().toISOString();
  const candidate = {
    ...(existing ? asEvent(existing) : { teamId: user.teamId, createdAt: now, createdBy: user.id, deleted: false }),
    ...draft,
    updatedAt: now,
  };
  const parsed = repairEventSchema.safeParse(candidate);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues) };
  const changed = changedFields(existing, parsed.data);
  if (existing && Object.keys(changed).length === 0) return { ok: true, record: asEvent(existing) };
  const row = await writeInTransaction(db, 'repairEvent', draft.id, changed, { current: existing });
  return { ok: true, record: asEvent(row) };
}

export interface TicketDraft {
  id: string;
  eventId: string | null;
  category: string;
  item: string;
  problem: string;
  residentName: string;
  residentPhone: string;
  status: TicketStatus;
}

export const TICKET_NUMBER_DIGITS = 3;

export function formatTicketNumber(letter: string, n: number): string {
  return `${letter}-${String(n).padStart(TICKET_NUMBER_DIGITS, '0')}`;
}

/**
 * Next number for this device's letter at an event, inside the saving transaction: a counter
 * in meta, so a save costs the same on the 500th ticket as on the first. Where the counter is
 * missing (this phone's first ticket at the event), the tickets already stored are counted
 * once from the index.
 */
async function nextTicketNumber(db: LinliDb, eventId: string | null, letter: string): Promise<string> {
  const key = `ticketCounter:${eventId ?? ''}:${letter}` as const;
  let last = (await db.meta.get(key))?.value as number | undefined;
  if (last === undefined) {
    const prefix = `${letter}-`;
    const keys = await db.repairTicket
      .where('[eventId+number]')
      .between([eventId ?? '', prefix], [eventId ?? '', `${prefix}\uffff`])
      .keys();
    last = 0;
    for (const k of keys) {
      // Numbers past 999 grow a digit, so compare as numbers, not as strings.
      const n = Number(String((k as unknown as [string, string])[1]).slice(prefix.length));
      if (Number.isInteger(n) && n > last) last = n;
    }
  }
  await db.meta.put({ key, value: last + 1 });
  return formatTicketNumber(letter, last + 1);
}

export function saveRepairTicket(draft: TicketDraft, db: LinliDb = localDb()): Promise<SaveResult<RepairTicket>> {
  return saving(db, 'repairTicket', () => saveTicket(draft, db));
}

async function saveTicket(draft: TicketDraft, db: LinliDb): Promise<SaveResult<RepairTicket>> {
  const [{ user, letter }, existing] = await Promise.all([actor(db), db.repairTicket.get(draft.id)]);
  if (!existing && !letter) throw new StorageError('failed', 'no device letter');
  const now = new Date().toISOString();
  const candidate = {
    ...(existing
      ? asTicket(existing)
      : {
          teamId: user.teamId,
          createdAt: now,
          createdBy: user.id,
          deleted: false,
          householdId: null,
          mode: 'event' as const,
          brand: '',
          model: '',
          notes: '',
          feeFen: 0,
          number: formatTicketNumber(letter ?? 'A', 1),
        }),
    ...draft,
    updatedAt: now,
  };
  const parsed = repairTicketSchema.safeParse(candidate);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues) };
  const { number: _placeholder, ...rest } = parsed.data;
  void _placeholder;
  const changed = changedFields(existing, rest);
  if (existing && Object.keys(changed).length === 0) return { ok: true, record: asTicket(existing) };
  const row = await writeInTransaction(db, 'repairTicket', draft.id, changed, {
    current: existing,
    // The number is given once, when the row is first written, and never changes.
    prepare: async (current) => (current?.number ? {} : { number: await nextTicketNumber(db, draft.eventId, letter ?? 'A') }),
  });
  return { ok: true, record: asTicket(row) };
}

/** Only what differs from the stored row travels, so two phones editing different fields both win. */
function changedFields(existing: Record<string, unknown> | undefined, next: Record<string, unknown>): Record<string, unknown> {
  if (!existing) return next;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(next)) {
    if (k === 'updatedAt') continue;
    if (existing[k] !== v) out[k] = v;
  }
  if (Object.keys(out).length > 0) out.updatedAt = next.updatedAt;
  return out;
}
