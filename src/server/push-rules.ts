/**
 * What the server checks of a pushed mutation beyond its fields' shapes: that the rows it
 * points at belong to the same team, that the caller may write its type, and what the row
 * must satisfy once merged — health data only with the resident's recorded consent, readings
 * that are humanly possible, threshold sets that are ordered and named by their content.
 *
 * A refusal is per mutation, with a code the phone shows in the volunteer's language; the
 * rest of the batch goes on.
 */
import { consentCovers, plausibility, thresholdErrors, thresholdsVersion, type Thresholds } from '../shared/health.ts';
import type { MessageKey } from '../shared/i18n/format.ts';
import type { Fields } from '../shared/merge.ts';
import { referenceFields, withDefaults, type RecordType } from '../shared/registry.ts';
import type { Role } from './users.ts';

/** Ids a mutation (or the row it merges into) points at, to load before judging it. */
export function referencedIds(type: RecordType, fields: Fields): string[] {
  const out: string[] = [];
  for (const key of referenceFields(type)) {
    const v = fields[key];
    if (typeof v === 'string') out.push(v);
  }
  return out;
}

export interface RowView {
  teamId: string;
  type: string;
  fields: Fields;
}

export type Refusal = { code: 'forbidden' | 'consent_required' | 'validation'; detail?: MessageKey };

/** Before the merge: the caller's right to write this type and to point at these rows. */
export function checkAccess(
  type: RecordType,
  rowId: string,
  teamId: string,
  role: Role,
  fields: Fields,
  lookup: (id: string) => RowView | undefined,
): Refusal | null {
  // One threshold set per team, set by its coordinators: its row id is the team's id.
  if (type === 'healthThresholds' && (role === 'volunteer' || rowId !== teamId)) return { code: 'forbidden' };
  for (const id of referencedIds(type, fields)) {
    const target = lookup(id);
    if (target && target.teamId !== teamId) return { code: 'forbidden' };
  }
  return null;
}

/** After the merge: what the whole row must satisfy. */
export function checkMerged(type: RecordType, merged: Fields, lookup: (id: string) => RowView | undefined): Refusal | null {
  if (type === 'healthCheck') {
    const check = withDefaults('healthCheck', merged);
    if (check.deleted) return null;
    const resident = lookup(check.residentId);
    if (!resident || resident.type !== 'resident' || !consentCovers(resident.fields, check.at)) return { code: 'consent_required' };
    const errors = Object.values(plausibility(check));
    if (errors.length > 0) return { code: 'validation', detail: errors[0]! };
  }
  if (type === 'healthThresholds') {
    const { values, version } = merged as { values?: Thresholds; version?: string };
    if (!values) return { code: 'validation', detail: 'v.required' };
    const errors = Object.values(thresholdErrors(values));
    if (errors.length > 0) return { code: 'validation', detail: errors[0]! };
    if (version !== thresholdsVersion(values)) return { code: 'validation', detail: 'v.invalid' };
  }
  return null;
}
