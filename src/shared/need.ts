/**
 * Needs (诉求) and the double closed loop (双闭环): a need that policy covers is routed to a
 * responsible department (职能部门), any other to the volunteer team; it is assigned (派单),
 * taken on (接单), then resolved or closed unresolved, and the resident evaluates the result
 * (评单). Every change is kept as an append-only history entry (`needLog`) — its own record,
 * so two phones changing one need offline both keep their entries, while the need's own
 * fields merge per field like any record.
 */
import * as z from 'zod/mini';
import { FLAG_CODES, type FlagCode } from './health-rules.ts';
import { baseFields, idSchema, instantSchema, requiredText, text } from './schema-kit.ts';

export const NEED_CATEGORIES = ['medical', 'repair', 'supplies', 'policy', 'care', 'companionship', 'safety', 'other'] as const;
export type NeedCategory = (typeof NEED_CATEGORIES)[number];
export const NEED_URGENCIES = ['normal', 'urgent'] as const;
export const NEED_ROUTES = ['department', 'volunteers'] as const;
export type NeedRoute = (typeof NEED_ROUTES)[number];
export const NEED_STATUSES = ['open', 'assigned', 'inProgress', 'resolved', 'closed'] as const;
export type NeedStatus = (typeof NEED_STATUSES)[number];
export const NEED_EVALUATIONS = ['satisfied', 'neutral', 'unsatisfied'] as const;
export type NeedEvaluation = (typeof NEED_EVALUATIONS)[number];

export const needSchema = z.strictObject({
  ...baseFields,
  householdId: idSchema,
  /** The visit it was found on, or the health check that raised it. */
  visitId: z.nullable(idSchema),
  healthCheckId: z.nullable(idSchema),
  category: z.enum(NEED_CATEGORIES, 'v.choice'),
  urgency: z.enum(NEED_URGENCIES, 'v.choice'),
  description: requiredText(1000),
  route: z.enum(NEED_ROUTES, 'v.choice'),
  /** The responsible department (free text), for the department route. */
  department: text(100),
  /** Who it is assigned to: a volunteer's name or the department's contact. */
  assignee: text(100),
  status: z.enum(NEED_STATUSES, 'v.choice'),
  resolution: text(1000),
  resolvedAt: z.nullable(instantSchema),
  evaluation: z.nullable(z.enum(NEED_EVALUATIONS, 'v.choice')),
  /** The home repair ticket (上门维修) a repair need became. */
  repairTicketId: z.nullable(idSchema),
  /**
   * A need Linli wrote itself from an urgent health reading: the flags, as codes, so every
   * reader sees it in their own language (`needDescription`); `description` keeps the text
   * in the writer's language for older apps and as it was.
   */
  descriptionFlags: z.array(z.enum(FLAG_CODES, 'v.choice')).check(z.maxLength(FLAG_CODES.length, 'v.tooMany')),
  /** The resident's request (点单, 微心愿) it came from. */
  requestId: z.nullable(idSchema),
  /** The volunteer who claimed it from the wish board (认领): their account, from the session; the first claim stands. */
  claimedBy: text(40),
});
export type Need = z.infer<typeof needSchema>;

/** What a need says, in the reader's language where Linli wrote it; a volunteer's words as typed. Old rows read as stored. */
export function needDescription(
  n: Pick<Need, 'description' | 'descriptionFlags'>,
  t: (key: 'check.followUpNeed' | `flag.${FlagCode}`, params?: Record<string, string>) => string,
  separator = '、',
): string {
  if (!n.descriptionFlags?.length) return n.description;
  return t('check.followUpNeed', { flags: n.descriptionFlags.map((f) => t(`flag.${f}`)).join(separator) });
}

export const NEED_ACTIONS = [
  'created',
  'assigned',
  'accepted',
  'resolved',
  'closed',
  'reopened',
  'unassigned',
  'evaluated',
  'rerouted',
  'repairTicket',
  /** A volunteer claimed it from the wish board (认领): assigned to and taken on by them at once. */
  'claimed',
] as const;
export type NeedAction = (typeof NEED_ACTIONS)[number];

/**
 * One entry of a need's history: who did what, when. Never edited, never merged away. What a
 * step names has a field of its own — whom it was assigned to, the resident's evaluation, the
 * home repair ticket it became — and `note` is the volunteer's words (a resolution, a
 * reason). Rows written before those fields existed kept them in `note`: `needLogEntry`
 * reads either.
 */
export const needLogSchema = z.strictObject({
  ...baseFields,
  needId: idSchema,
  at: instantSchema,
  byName: text(60),
  action: z.enum(NEED_ACTIONS, 'v.choice'),
  /** The status after this step. */
  status: z.enum(NEED_STATUSES, 'v.choice'),
  note: text(1000),
  assignee: text(100),
  evaluation: z.nullable(z.enum(NEED_EVALUATIONS, 'v.choice')),
  ticketId: z.nullable(idSchema),
});
export type NeedLog = z.infer<typeof needLogSchema>;

/** A history line as the screens show it, whichever way it was written. */
export interface NeedLogEntry {
  assignee: string;
  evaluation: NeedEvaluation | null;
  ticketId: string | null;
  /** A ticket number an older row kept in its note, where it names no ticket id. */
  ticketNumber: string;
  note: string;
}

export function needLogEntry(log: Pick<NeedLog, 'action' | 'note' | 'assignee' | 'evaluation' | 'ticketId'>): NeedLogEntry {
  const entry: NeedLogEntry = {
    assignee: log.assignee,
    evaluation: log.evaluation,
    ticketId: log.ticketId,
    ticketNumber: '',
    note: log.note,
  };
  if (log.action === 'assigned' && !log.assignee) [entry.assignee, entry.note] = [log.note, ''];
  if (log.action === 'evaluated' && !log.evaluation && isEvaluation(log.note)) [entry.evaluation, entry.note] = [log.note, ''];
  if (log.action === 'repairTicket' && !log.ticketId) [entry.ticketNumber, entry.note] = [log.note, ''];
  return entry;
}

function isEvaluation(s: string): s is NeedEvaluation {
  return (NEED_EVALUATIONS as readonly string[]).includes(s);
}

/** Policy matters go to a department; everything else to the volunteers — the suggested route, which a worker may change. */
export function suggestedRoute(category: NeedCategory): NeedRoute {
  return category === 'policy' ? 'department' : 'volunteers';
}

/** The steps of the loop, and where each may be taken from. */
const STEPS: Record<
  Exclude<NeedAction, 'created' | 'evaluated' | 'rerouted' | 'repairTicket' | 'claimed'>,
  { from: readonly NeedStatus[]; to: NeedStatus }
> = {
  assigned: { from: ['open'], to: 'assigned' },
  unassigned: { from: ['assigned'], to: 'open' },
  accepted: { from: ['assigned'], to: 'inProgress' },
  resolved: { from: ['inProgress'], to: 'resolved' },
  closed: { from: ['open', 'assigned', 'inProgress'], to: 'closed' },
  reopened: { from: ['resolved', 'closed'], to: 'open' },
};
export type NeedStep = keyof typeof STEPS;
export const NEED_STEPS = Object.keys(STEPS) as NeedStep[];

export function isOpenNeed(status: NeedStatus): boolean {
  return status === 'open' || status === 'assigned' || status === 'inProgress';
}

export function allowedSteps(status: NeedStatus): NeedStep[] {
  return NEED_STEPS.filter((s) => STEPS[s].from.includes(status));
}

export interface StepInput {
  step: NeedStep;
  assignee?: string;
  /** Resolution (resolve), reason (close, reopen). */
  note?: string;
}

export type StepResult =
  | { ok: true; to: NeedStatus; fields: Partial<Need> }
  | { ok: false; error: 'v.needStep' | 'v.assigneeRequired' | 'v.resolutionRequired' | 'v.reasonRequired' };

/**
 * One step of the loop on a need as this phone holds it: the fields it changes, or why it
 * cannot be taken (an illegal jump such as open → resolved, or a missing assignee or
 * resolution). The server does not re-judge steps: two phones may each take a legal step
 * offline, and the later clock wins the status, as for any field, while both history
 * entries survive.
 */
export function takeStep(need: Pick<Need, 'status' | 'route' | 'department'>, input: StepInput, nowIso: string): StepResult {
  const rule = STEPS[input.step];
  if (!rule.from.includes(need.status)) return { ok: false, error: 'v.needStep' };
  const note = input.note?.trim() ?? '';
  switch (input.step) {
    case 'assigned': {
      const assignee = input.assignee?.trim() || (need.route === 'department' ? need.department.trim() : '');
      if (!assignee) return { ok: false, error: 'v.assigneeRequired' };
      return { ok: true, to: rule.to, fields: { status: rule.to, assignee } };
    }
    case 'unassigned':
      return { ok: true, to: rule.to, fields: { status: rule.to, assignee: '' } };
    case 'accepted':
      return { ok: true, to: rule.to, fields: { status: rule.to } };
    case 'resolved':
      if (!note) return { ok: false, error: 'v.resolutionRequired' };
      return { ok: true, to: rule.to, fields: { status: rule.to, resolution: note, resolvedAt: nowIso } };
    case 'closed':
      if (!note) return { ok: false, error: 'v.reasonRequired' };
      return { ok: true, to: rule.to, fields: { status: rule.to, resolution: note, resolvedAt: nowIso } };
    case 'reopened':
      return { ok: true, to: rule.to, fields: { status: rule.to, assignee: '', resolvedAt: null, evaluation: null } };
  }
}

/** How long a need has been open, in the buckets the coordinator's report uses. */
export const NEED_AGE_BUCKETS = ['d0to2', 'd3to7', 'd8to30', 'd31plus'] as const;
export type NeedAgeBucket = (typeof NEED_AGE_BUCKETS)[number];
export function ageBucket(days: number): NeedAgeBucket {
  if (days <= 2) return 'd0to2';
  if (days <= 7) return 'd3to7';
  if (days <= 30) return 'd8to30';
  return 'd31plus';
}
