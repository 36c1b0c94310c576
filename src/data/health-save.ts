/**
 * Health saves: a resident's consent given or withdrawn, a check judged at once against the
 * team's thresholds and stored with the version it was judged with, the one-tap follow-up of
 * an urgent reading (an urgent medical need and a visit due tomorrow), and the team's
 * thresholds. Run by the writer (writes.ts).
 */
import { classify, consentCovers, DEFAULT_THRESHOLDS_VERSION, plausibility, thresholdErrors, thresholdsVersion, type Flag, type HealthCheck, type Readings, type Thresholds } from '../shared/health.ts';
import type { Resident } from '../shared/household.ts';
import type { MessageKey } from '../shared/i18n/format.ts';
import { addDays, localDay } from '../shared/due.ts';
import { localDb, type LinliDb } from './db.ts';
import { newId } from './records.ts';
import { refreshRollups } from './rollups.ts';
import { isLive } from './row-sync.ts';
import { actor, commit, hideFact, prepare, putRecord, saving, type FieldErrors, type SaveResult } from './save.ts';
import { createNeed } from './need-save.ts';
import { teamThresholds, type TeamThresholds } from './health.ts';
import type { FlagCode } from '../shared/health-rules.ts';
import { teamSettings } from './team-settings.ts';

/** A coordinator sets the team's thresholds; they reach every phone of the team with its next sync. */
export function saveThresholds(values: Thresholds, db: LinliDb = localDb()): Promise<SaveResult<TeamThresholds>> {
  return saving(db, ['healthThresholds'], async () => {
    const { user, now } = await actor(db);
    const errors = thresholdErrors(values) as FieldErrors;
    if (Object.keys(errors).length > 0) return { ok: false, errors };
    const version = thresholdsVersion(values);
    const saved = await putRecord(db, 'healthThresholds', user.teamId, { values, version }, { user, now });
    if (!saved.ok) return saved;
    return { ok: true, record: { values, version, isDefault: version === DEFAULT_THRESHOLDS_VERSION } };
  });
}

/** Records consent to keep the resident's health data: who gave it (the resident or a named family member) and who recorded it. */
export function recordConsent(residentId: string, by: 'self' | 'family', byName: string, db: LinliDb = localDb()): Promise<SaveResult<Resident>> {
  return saving(db, ['resident'], async () => {
    const { user, now } = await actor(db);
    const row = await db.resident.get(residentId);
    const name = byName.trim() || (by === 'self' ? (row?.name ?? '') : '');
    if (!name) return { ok: false, errors: { consentByName: 'v.required' } };
    return putRecord(
      db,
      'resident',
      residentId,
      { consent: 'given', consentBy: by, consentByName: name, consentAt: now, consentRecordedBy: user.name, consentWithdrawnAt: null },
      { user, now },
    );
  });
}

/** Withdrawing stops new readings; those already taken stay (and sync). */
export function withdrawConsent(residentId: string, db: LinliDb = localDb()): Promise<SaveResult<Resident>> {
  return saving(db, ['resident'], async () => {
    const { user, now } = await actor(db);
    return putRecord(db, 'resident', residentId, { consent: 'withdrawn', consentWithdrawnAt: now }, { user, now });
  });
}

export type CheckDraft = { id: string; residentId: string } & Readings & Partial<Pick<HealthCheck, 'mood' | 'falls' | 'medication' | 'notes'>>;

export type CheckResult = { ok: true; check: HealthCheck; flags: Flag[] } | { ok: false; errors: FieldErrors };

/**
 * Saves a check: refused without consent, refused when a reading cannot be right (with the
 * message next to the field), else judged against the team's thresholds and stored with
 * their version and the verdict.
 */
export function saveHealthCheck(draft: CheckDraft, db: LinliDb = localDb()): Promise<CheckResult> {
  return saving(db, ['healthCheck', 'resident', 'healthThresholds'], async () => {
    const { user, now } = await actor(db);
    const existing = await db.healthCheck.get(draft.id);
    const residentRow = await db.resident.get(draft.residentId);
    const at = existing?.at ?? now;
    if (!residentRow || !consentCovers(residentRow, at)) return { ok: false, errors: { form: 'error.consent_required' as MessageKey } };
    const implausible = plausibility(draft) as FieldErrors;
    if (Object.keys(implausible).length > 0) return { ok: false, errors: implausible };
    const thresholds = await teamThresholds(db, user.teamId);
    const { level, flags } = classify(draft, thresholds.values);
    const p = await prepare(
      db,
      'healthCheck',
      draft.id,
      {
        ...draft,
        householdId: residentRow.householdId ?? '',
        at,
        byName: existing?.byName ?? user.name,
        level,
        flags: flags.map((f) => f.code),
        thresholdVersion: thresholds.version,
      },
      { user, now },
    );
    if (!p.ok) return p;
    const check = await commit(db, p.prepared);
    await refreshRollups(db, [{ type: 'healthCheck', rowId: draft.id }]);
    return { ok: true, check, flags };
  });
}

/**
 * For an urgent reading, in one tap: an urgent medical need on the household, raised from
 * this check, and a follow-up visit due tomorrow. A second tap finds the need already there.
 */
export function createUrgentFollowUp(
  checkId: string,
  description: string,
  reason: string,
  flags: readonly FlagCode[] = [],
  db: LinliDb = localDb(),
): Promise<{ ok: true; needId: string; followUpOn: string } | { ok: false; errors: FieldErrors }> {
  return saving(db, ['healthCheck', 'need', 'needLog', 'household', 'teamSettings'], async () => {
    const { user, now } = await actor(db);
    const check = await db.healthCheck.get(checkId);
    if (!check?.householdId) return { ok: false, errors: { form: 'check.notFound' } };
    const followUpOn = addDays(localDay(now), 1);
    const existing = await db.need.where('healthCheckId').equals(checkId).filter(isLive).first();
    if (existing) return { ok: true, needId: existing.id, followUpOn };
    // to the department the team set for urgent medical needs (its community health centre); else its volunteers
    const { urgentDepartment } = await teamSettings(db, user.teamId);
    const route = urgentDepartment ? 'department' : 'volunteers';
    const need = await createNeed(
      db,
      { id: newId(), householdId: check.householdId, visitId: null, healthCheckId: checkId, category: 'medical', urgency: 'urgent', description, descriptionFlags: [...flags], route, department: urgentDepartment },
      { user, now },
    );
    if (!need.ok) return need;
    const household = await db.household.get(check.householdId);
    if (household && !(household.followUpOn && household.followUpOn <= followUpOn)) {
      const p = await prepare(db, 'household', check.householdId, { followUpOn, followUpReason: reason.slice(0, 200), followUpReasonCode: 'healthUrgent' }, { user, now });
      if (p.ok) await commit(db, p.prepared);
    }
    return { ok: true, needId: need.need.id, followUpOn };
  });
}

/** A check entered by mistake (the wrong resident, a misread cuff): hidden with the reason, kept for the audit; the right reading is a new check. */
export function hideHealthCheck(id: string, reason: string, db: LinliDb = localDb()): Promise<SaveResult<HealthCheck>> {
  return hideFact(db, 'healthCheck', id, reason);
}
