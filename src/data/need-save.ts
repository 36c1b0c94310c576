/**
 * A need's saves: a new need with the first line of its history, and the steps of the double
 * closed loop — each one transaction that changes the need's fields and appends who took it
 * and when, typed (the assignee, the evaluation, the ticket) — and a repair need made a home
 * repair ticket (上门维修), linked both ways. Run by the writer (writes.ts).
 */
import type { MessageKey } from '../shared/i18n/format.ts';
import { isOpenNeed, takeStep, type Need, type NeedCategory, type NeedEvaluation, type NeedLog, type NeedRoute, type StepInput } from '../shared/need.ts';
import { withDefaults } from '../shared/record-defaults.ts';
import { localDb, type LinliDb, type LocalRow } from './db.ts';
import { localFields, newId } from './records.ts';
import { isLive } from './row-sync.ts';
import { actor, commit, prepare, saving, type FieldErrors, type Prepared, type SaveContext, type SaveResult } from './save.ts';
import type { RepairTicket } from '../shared/repair.ts';
import { saveTicketInTransaction, type TicketDraft } from './repair-save.ts';
import type { FlagCode } from '../shared/health-rules.ts';

export interface NeedInput {
  id: string;
  category: NeedCategory;
  urgency: Need['urgency'];
  description: string;
  /** Set where Linli wrote the need itself (an urgent health reading): its flags, as codes. */
  descriptionFlags?: FlagCode[];
  route: NeedRoute;
  department: string;
}

/** A department route needs the department's name. */
export function needRules(n: Need): FieldErrors {
  return n.route === 'department' && !n.department.trim() ? { department: 'v.departmentRequired' } : {};
}

/** Writes a new need and the first entry of its history. Inside a transaction over need, needLog. */
export async function createNeed(
  db: LinliDb,
  input: NeedInput & { householdId: string; visitId: string | null; healthCheckId: string | null; requestId?: string | null },
  ctx: SaveContext,
) {
  const p = await prepare(db, 'need', input.id, { ...input, status: 'open' }, { ...ctx, rules: needRules });
  if (!p.ok) return p;
  const need = await commit(db, p.prepared);
  await commit(db, await preparedLog(db, need.id, { action: 'created', status: 'open' }, ctx));
  return { ok: true as const, need };
}

/** What one line of a need's history says: the step, the status after it, and what it names. */
export type NeedLogStep = Pick<NeedLog, 'action' | 'status'> & Partial<Pick<NeedLog, 'note' | 'assignee' | 'evaluation' | 'ticketId'>>;

export async function preparedLog(db: LinliDb, needId: string, step: NeedLogStep, ctx: SaveContext, logId: string = newId()): Promise<Prepared<'needLog'>> {
  const line = { needId, at: ctx.now, byName: ctx.user.name, ...step, note: (step.note ?? '').slice(0, 1000) };
  const p = await prepare(db, 'needLog', logId, line, ctx);
  if (!p.ok) throw new Error(`need history entry refused: ${JSON.stringify(p.errors)}`);
  return p.prepared;
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

/**
 * One step on a need as this phone holds it, in one transaction: `work` says what the need's
 * fields become and what its history line records (or why the step cannot be taken); a step
 * whose line is already there (`historyLine`) is not taken again.
 */
function needStep(
  id: string,
  logId: string | undefined,
  work: (
    need: Need,
    now: string,
    user: SaveContext['user'],
  ) => { ok: true; fields: Partial<Need>; line: Omit<NeedLogStep, 'status'> } | { ok: false; error: MessageKey },
  db: LinliDb,
): Promise<StepOutcome> {
  return saving(db, ['need', 'needLog'], async () => {
    const { user, now } = await actor(db);
    const row = await db.need.get(id);
    if (!row || !isLive(row)) return { ok: false, error: 'v.invalid' };
    const line = await historyLine(db, row, logId);
    if (line.taken) return line.taken;
    const step = work(withDefaults('need', localFields(row)), now, user);
    if (!step.ok) return step;
    const p = await prepare(db, 'need', id, step.fields, { user, now });
    if (!p.ok) return { ok: false, error: Object.values(p.errors)[0] ?? 'v.invalid' };
    const need = await commit(db, p.prepared);
    await commit(db, await preparedLog(db, id, { ...step.line, status: need.status }, { user, now }, line.logId));
    return { ok: true, need };
  });
}

/** Takes one step of the loop (assign, accept, resolve, close, reopen, withdraw) on the need as this phone holds it. */
export function takeNeedStep(id: string, input: StepInput & { logId?: string }, db: LinliDb = localDb()): Promise<StepOutcome> {
  return needStep(
    id,
    input.logId,
    (need, now) => {
      const step = takeStep(need, input, now);
      if (!step.ok) return step;
      const named = input.step === 'assigned' ? { assignee: step.fields.assignee ?? '' } : { note: input.note ?? '' };
      return { ok: true, fields: step.fields, line: { action: input.step, ...named } };
    },
    db,
  );
}

/**
 * A volunteer claims a wish from the board (认领): it is theirs and taken on at once. Another
 * volunteer's claim made offline is refused by the server at sync; the first claim stands.
 */
export function claimNeed(id: string, input: { logId?: string } = {}, db: LinliDb = localDb()): Promise<StepOutcome> {
  return needStep(
    id,
    input.logId,
    (need, _now, user) => {
      if (need.status !== 'open' || need.claimedBy) return { ok: false, error: 'need.claimed' };
      return { ok: true, fields: { status: 'inProgress', claimedBy: user.id, assignee: user.name }, line: { action: 'claimed', assignee: user.name } };
    },
    db,
  );
}

/** The resident's evaluation of a resolved (or closed) need — 评单. */
export function evaluateNeed(id: string, input: { evaluation: NeedEvaluation; logId?: string }, db: LinliDb = localDb()): Promise<StepOutcome> {
  const { evaluation } = input;
  return needStep(
    id,
    input.logId,
    (need) =>
      need.status === 'resolved' || need.status === 'closed'
        ? { ok: true, fields: { evaluation }, line: { action: 'evaluated', evaluation } }
        : { ok: false, error: 'v.needStep' },
    db,
  );
}

/**
 * A repair need becomes a home repair ticket (上门维修): the ticket names the household and
 * the need, the need names the ticket, and the history says so — one transaction. A second
 * tap finds the ticket already made.
 */
export function needToRepairTicket(id: string, db: LinliDb = localDb()): Promise<{ ok: true; ticketId: string } | { ok: false; error: MessageKey }> {
  return saving(db, ['need', 'needLog', 'repairTicket', 'household'], async () => {
    const { user, letter, now } = await actor(db);
    if (!letter) return { ok: false, error: 'ticket.noLetter' };
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
    // handed over to the repair: in progress as the ticket is, off the list of urgent needs to act on
    const p = await prepare(db, 'need', id, { repairTicketId: ticketId, status: 'inProgress' }, { user, now });
    if (!p.ok) return { ok: false, error: Object.values(p.errors)[0] ?? 'v.invalid' };
    await commit(db, p.prepared);
    await commit(db, await preparedLog(db, id, { action: 'repairTicket', status: 'inProgress', ticketId }, { user, now }));
    return { ok: true, ticketId };
  });
}

/**
 * A ticket's save, and the need it was made from following it in the same transaction: the
 * item collected resolves the need (its history naming the ticket); a ticket cancelled, or
 * never collected, gives the need back to the loop, open again.
 */
export function saveTicketFollowingNeed(draft: TicketDraft, db: LinliDb = localDb()): Promise<SaveResult<RepairTicket>> {
  return saving(db, ['repairTicket', 'need', 'needLog'], async () => {
    const before = (await db.repairTicket.get(draft.id))?.status;
    const saved = await saveTicketInTransaction(draft, db);
    if (!saved.ok || !saved.record.needId || saved.record.status === before) return saved;
    const row = await db.need.get(saved.record.needId);
    if (!row || !isLive(row)) return saved;
    const need = withDefaults('need', localFields(row));
    const ticketId = saved.record.id;
    const { user, now } = await actor(db);
    const ctx = { user, now };
    const follow =
      saved.record.status === 'collected' && need.status !== 'resolved'
        ? ({ fields: { status: 'resolved', resolvedAt: now }, line: { action: 'resolved', status: 'resolved', ticketId } } as const)
        : (saved.record.status === 'cancelled' || saved.record.status === 'noShow') && isOpenNeed(need.status) && need.status !== 'open'
          ? ({ fields: { status: 'open', assignee: '' }, line: { action: 'reopened', status: 'open', ticketId } } as const)
          : null;
    if (!follow) return saved;
    const p = await prepare(db, 'need', need.id, follow.fields, ctx);
    if (!p.ok) return saved;
    await commit(db, p.prepared);
    await commit(db, await preparedLog(db, need.id, follow.line, ctx));
    return saved;
  });
}
