/**
 * Needs on the phone: one need with its household and its history, and the steps of the
 * double closed loop — each step one transaction that changes the need's fields and appends
 * who took it and when to the history. A repair need becomes a home repair ticket (上门维修)
 * in one tap, linked both ways.
 */
import { liveQuery } from 'dexie';
import { Dexie } from 'dexie';
import type { MessageKey } from '../shared/i18n/format.ts';
import { takeStep, type Need, type NeedEvaluation, type NeedLog, type StepInput } from '../shared/need.ts';
import { withDefaults } from '../shared/record-defaults.ts';
import type { RepairTicket } from '../shared/repair.ts';
import { localDb, type LinliDb, type LocalRow } from './db.ts';
import { asHousehold } from './household.ts';
import { preparedLog } from './household-write.ts';
import type { Observable } from './observable.ts';
import { localFields, newId } from './records.ts';
import { saveTicketInTransaction } from './repair-write.ts';
import { isLive, rowSync, type RowSync } from './row-sync.ts';
import { actor, commit, prepare, saving } from './save.ts';
import type { Household } from '../shared/household.ts';

export type { Need, NeedLog };

export interface NeedDetail {
  need: Need;
  sync: RowSync;
  household: Household | null;
  history: NeedLog[];
  ticket: Pick<RepairTicket, 'id' | 'number'> | null;
}

export async function needDetail(id: string, db: LinliDb = localDb()): Promise<NeedDetail | null> {
  const row = await db.need.get(id);
  if (!row || !isLive(row)) return null;
  const need = withDefaults('need', localFields(row));
  const [household, logs, ticket, sync] = await Promise.all([
    db.household.get(need.householdId),
    db.needLog.where('[needId+at]').between([id, Dexie.minKey], [id, Dexie.maxKey]).toArray(),
    need.repairTicketId ? db.repairTicket.get(need.repairTicketId) : undefined,
    rowSync(db, id),
  ]);
  return {
    need,
    sync,
    household: household && isLive(household) ? asHousehold(household) : null,
    history: logs.filter(isLive).map((l) => withDefaults('needLog', localFields(l))),
    ticket: ticket && isLive(ticket) ? { id: ticket.id, number: ticket.number ?? '' } : null,
  };
}

export function observeNeed(id: string): Observable<NeedDetail | null> {
  return liveQuery(() => needDetail(id));
}

export type StepOutcome = { ok: true; need: Need } | { ok: false; error: MessageKey };

/**
 * A step's history line may be given its id by the screen (`logId`), kept until the step is
 * known to be saved or refused. A step retried after a failure that may have committed it
 * (the writer worker lost mid-save) then finds its line and is not taken twice. An id whose
 * line belongs to another need is never written over: the step gets a new one.
 */
async function historyLine(db: LinliDb, row: LocalRow<'need'>, logId: string | undefined): Promise<{ taken: StepOutcome | null; logId: string }> {
  if (!logId) return { taken: null, logId: newId() };
  const line = await db.needLog.get(logId);
  if (!line) return { taken: null, logId };
  if (isLive(line) && line.needId === row.id) return { taken: { ok: true, need: withDefaults('need', localFields(row)) }, logId };
  return { taken: null, logId: newId() };
}

/** Takes one step of the loop (assign, accept, resolve, close, reopen, withdraw) on the need as this phone holds it. */
export function takeNeedStep(id: string, input: StepInput & { logId?: string }, db: LinliDb = localDb()): Promise<StepOutcome> {
  return saving(db, ['need', 'needLog'], async () => {
    const { user } = await actor(db);
    const now = new Date().toISOString();
    const row = await db.need.get(id);
    if (!row || !isLive(row)) return { ok: false, error: 'v.invalid' };
    const line = await historyLine(db, row, input.logId);
    if (line.taken) return line.taken;
    const step = takeStep(withDefaults('need', localFields(row)), input, now);
    if (!step.ok) return step;
    const p = await prepare(db, 'need', id, step.fields, { user, now });
    if (!p.ok) return { ok: false, error: Object.values(p.errors)[0] ?? 'v.invalid' };
    const need = await commit(db, p.prepared);
    const note = input.step === 'assigned' ? need.assignee : (input.note ?? '');
    await commit(db, await preparedLog(db, id, input.step, step.to, note, { user, now }, line.logId));
    return { ok: true, need };
  });
}

/** The resident's evaluation of a resolved (or closed) need — 评单. */
export function evaluateNeed(id: string, input: { evaluation: NeedEvaluation; logId?: string }, db: LinliDb = localDb()): Promise<StepOutcome> {
  return saving(db, ['need', 'needLog'], async () => {
    const { user } = await actor(db);
    const now = new Date().toISOString();
    const row = await db.need.get(id);
    if (!row || !isLive(row)) return { ok: false, error: 'v.invalid' };
    const line = await historyLine(db, row, input.logId);
    if (line.taken) return line.taken;
    const { evaluation } = input;
    if (row.status !== 'resolved' && row.status !== 'closed') return { ok: false, error: 'v.needStep' };
    const p = await prepare(db, 'need', id, { evaluation }, { user, now });
    if (!p.ok) return { ok: false, error: Object.values(p.errors)[0] ?? 'v.invalid' };
    const need = await commit(db, p.prepared);
    await commit(db, await preparedLog(db, id, 'evaluated', need.status, evaluation, { user, now }, line.logId));
    return { ok: true, need };
  });
}

/**
 * A repair need becomes a home repair ticket (上门维修): the ticket names the household and
 * the need, the need names the ticket, and the history says so — one transaction. A second
 * tap finds the ticket already made.
 */
export function needToRepairTicket(id: string, db: LinliDb = localDb()): Promise<{ ok: true; ticketId: string } | { ok: false; error: MessageKey }> {
  return saving(db, ['need', 'needLog', 'repairTicket', 'household'], async () => {
    const { user, letter } = await actor(db);
    if (!letter) return { ok: false, error: 'ticket.noLetter' };
    const now = new Date().toISOString();
    const row = await db.need.get(id);
    if (!row || !isLive(row)) return { ok: false, error: 'v.invalid' };
    const need = withDefaults('need', localFields(row));
    if (need.repairTicketId) return { ok: true, ticketId: need.repairTicketId };
    const household = await db.household.get(need.householdId);
    const ticketId = newId();
    const ticket = await saveTicketInTransaction(
      {
        id: ticketId,
        eventId: null,
        householdId: need.householdId,
        needId: id,
        mode: 'home',
        category: 'miscPowered',
        problem: need.description,
        residentName: household?.headName ?? '',
        residentPhone: household?.phone ?? '',
      },
      db,
    );
    if (!ticket.ok) return { ok: false, error: Object.values(ticket.errors)[0] ?? 'v.invalid' };
    const p = await prepare(db, 'need', id, { repairTicketId: ticketId }, { user, now });
    if (!p.ok) return { ok: false, error: Object.values(p.errors)[0] ?? 'v.invalid' };
    await commit(db, p.prepared);
    await commit(db, await preparedLog(db, id, 'repairTicket', need.status, ticket.record.number, { user, now }));
    return { ok: true, ticketId };
  });
}
