/**
 * Residents' requests (点单, 微心愿): what a resident or their family asks for through the
 * team's public page (`/ask/<code>`), written by the server — never trusted as a household's
 * data until a coordinator accepts it, links it to a household and routes it into the need
 * loop (派单 → 接单 → 办结 → 评单), or declines it with a reason the resident reads on their
 * status page. The status page follows the request and its need in plain words.
 */
import * as z from 'zod/mini';
import type { NeedCategory, NeedLog, NeedStatus } from './need.ts';
import { baseFields, idSchema, instantSchema, requiredText, text } from './schema-kit.ts';

export const REQUEST_KINDS = ['homeRepair', 'visit', 'errand', 'wish', 'other'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export const REQUEST_STATUSES = ['received', 'accepted', 'declined'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Who wrote what came from the public pages (a request, a resident's evaluation): no account, this fixed id. */
export const RESIDENT_AUTHOR = '00000000-0000-4000-8000-000000000000';

/** The need category a request becomes. */
export const NEED_CATEGORY_OF: Record<RequestKind, NeedCategory> = {
  homeRepair: 'repair',
  visit: 'companionship',
  errand: 'supplies',
  wish: 'other',
  other: 'other',
};

/** A contact phone: an 11-digit mainland mobile, or a landline (area code and number). */
export function isContactPhone(raw: string): boolean {
  const d = raw.replace(/[\s-]/g, '');
  return /^1[3-9]\d{9}$/.test(d) || /^0\d{2,3}\d{7,8}$/.test(d);
}

export const requestSchema = z.strictObject({
  ...baseFields,
  kind: z.enum(REQUEST_KINDS, 'v.choice'),
  /** What the resident typed, as typed: plain text, length-limited. */
  building: requiredText(20),
  unit: text(20),
  room: requiredText(20),
  phone: z.string().check(z.refine(isContactPhone, 'v.contactPhone')),
  callName: requiredText(30),
  description: requiredText(500),
  goodTime: text(100),
  /** The short code the resident reads out on the phone. */
  code: requiredText(12),
  status: z.enum(REQUEST_STATUSES, 'v.choice'),
  /** Set by the coordinator who accepts it. */
  householdId: z.nullable(idSchema),
  needId: z.nullable(idSchema),
  acceptedAt: z.nullable(instantSchema),
  /** Read by the resident: why it cannot be done. */
  declineReason: text(300),
  declinedAt: z.nullable(instantSchema),
});
export type ResidentRequest = z.infer<typeof requestSchema>;

/** What the resident submits on the public page (the server adds the rest). */
export const askSchema = z.strictObject({
  kind: z.enum(REQUEST_KINDS, 'v.choice'),
  building: requiredText(20),
  unit: text(20),
  room: requiredText(20),
  phone: z.string().check(z.maxLength(20, 'v.tooLong'), z.refine(isContactPhone, 'v.contactPhone')),
  callName: requiredText(30),
  description: requiredText(500),
  goodTime: text(100),
});
export type AskInput = z.infer<typeof askSchema>;

/** A page code: ten Crockford letters, made on the coordinator's phone. */
export const ASK_CODE_RE = /^[0-9A-HJKMNP-TV-Z]{10}$/;

/** Plain text only: a resident's words lose control characters and angle brackets, and are trimmed. */
export function plainText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f<>]/g, '').trim();
}

/** The steps the resident's status page shows, in order. */
export const STATUS_STEPS = ['received', 'accepted', 'assigned', 'inProgress', 'resolved'] as const;
export type StatusStep = (typeof STATUS_STEPS)[number] | 'declined' | 'closed';

export interface StatusLine {
  step: StatusStep;
  at: string;
  /** The reason, for a decline or a need closed unresolved; the resolution for a resolved one. */
  note: string;
}

/**
 * What the resident may read of their request: each step reached with its date, in order —
 * nothing of the household, the team or any volunteer.
 */
export function statusLines(
  r: Pick<ResidentRequest, 'createdAt' | 'status' | 'acceptedAt' | 'declineReason' | 'declinedAt'>,
  need: { status: NeedStatus; resolution: string } | null,
  log: readonly Pick<NeedLog, 'action' | 'at' | 'deleted'>[],
): StatusLine[] {
  const lines: StatusLine[] = [{ step: 'received', at: r.createdAt, note: '' }];
  if (r.status === 'declined') return [...lines, { step: 'declined', at: r.declinedAt ?? '', note: r.declineReason }];
  if (r.status !== 'accepted') return lines;
  lines.push({ step: 'accepted', at: r.acceptedAt ?? '', note: '' });
  const first = (action: NeedLog['action']) =>
    log.filter((l) => !l.deleted && l.action === action).sort((a, b) => a.at.localeCompare(b.at))[0];
  const last = (action: NeedLog['action']) =>
    log.filter((l) => !l.deleted && l.action === action).sort((a, b) => b.at.localeCompare(a.at))[0];
  // a wish claimed from the board is assigned and taken on at once
  const claimed = first('claimed');
  const assigned = first('assigned') ?? claimed;
  if (assigned) lines.push({ step: 'assigned', at: assigned.at, note: '' });
  const taken = first('accepted') ?? claimed;
  if (taken) lines.push({ step: 'inProgress', at: taken.at, note: '' });
  if (need?.status === 'resolved') lines.push({ step: 'resolved', at: last('resolved')?.at ?? '', note: need.resolution });
  if (need?.status === 'closed') lines.push({ step: 'closed', at: last('closed')?.at ?? '', note: need.resolution });
  return lines;
}
