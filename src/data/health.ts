/**
 * Health checks on the phone: a resident's consent (given, withdrawn — synced like any
 * change), checks judged at once against the team's thresholds and stored with the version
 * they were judged with, the one-tap follow-up for an urgent reading (an urgent medical need
 * and a visit due tomorrow), the team's thresholds, and the list of residents to look after.
 */
import { Dexie, liveQuery } from 'dexie';
import {
  classify,
  consentCovers,
  DEFAULT_THRESHOLDS,
  DEFAULT_THRESHOLDS_VERSION,
  plausibility,
  severityRank,
  thresholdErrors,
  thresholdsVersion,
  type Flag,
  type HealthCheck,
  type Readings,
  type Severity,
  type Thresholds,
} from '../shared/health.ts';
import type { Household, Resident } from '../shared/household.ts';
import type { MessageKey } from '../shared/i18n/format.ts';
import { withDefaults } from '../shared/record-defaults.ts';
import { addDays, localDay } from '../shared/due.ts';
import { localDb, type LinliDb } from './db.ts';
import { asHousehold, asResident } from './household.ts';
import { createNeed } from './need.ts';
import type { Observable } from './observable.ts';
import { localFields, newId } from './records.ts';
import { refreshRollups } from './rollups.ts';
import { isLive, rowSyncStates, type RowSync } from './row-sync.ts';
import { actor, commit, prepare, putRecord, saving, type FieldErrors, type SaveResult } from './save.ts';

export type { HealthCheck, Thresholds, Flag, Severity };

export interface TeamThresholds {
  values: Thresholds;
  version: string;
  isDefault: boolean;
}

async function teamThresholds(db: LinliDb, teamId: string): Promise<TeamThresholds> {
  const row = await db.healthThresholds.get(teamId);
  if (!row?.values) return { values: DEFAULT_THRESHOLDS, version: DEFAULT_THRESHOLDS_VERSION, isDefault: true };
  const values = { ...DEFAULT_THRESHOLDS, ...row.values };
  const version = thresholdsVersion(values);
  return { values, version, isDefault: version === DEFAULT_THRESHOLDS_VERSION };
}

export function observeThresholds(): Observable<TeamThresholds> {
  return liveQuery(async () => {
    const db = localDb();
    const user = await db.getMeta('user');
    return teamThresholds(db, user?.teamId ?? '');
  });
}

/** A coordinator sets the team's thresholds; they reach every phone of the team with its next sync. */
export function saveThresholds(values: Thresholds, db: LinliDb = localDb()): Promise<SaveResult<TeamThresholds>> {
  return saving(db, ['healthThresholds'], async () => {
    const { user } = await actor(db);
    const errors = thresholdErrors(values) as FieldErrors;
    if (Object.keys(errors).length > 0) return { ok: false, errors };
    const version = thresholdsVersion(values);
    const saved = await putRecord(db, 'healthThresholds', user.teamId, { values, version }, { user, now: new Date().toISOString() });
    if (!saved.ok) return saved;
    return { ok: true, record: { values, version, isDefault: version === DEFAULT_THRESHOLDS_VERSION } };
  });
}

export interface CheckItem {
  check: HealthCheck;
  sync: RowSync;
}

export interface ResidentDetail {
  resident: Resident;
  sync: RowSync;
  household: Household | null;
  /** Newest first. */
  checks: CheckItem[];
  thresholds: TeamThresholds;
  /** May a new check be recorded now? */
  consentActive: boolean;
}

export async function residentDetail(id: string, db: LinliDb = localDb()): Promise<ResidentDetail | null> {
  const row = await db.resident.get(id);
  if (!row || !isLive(row)) return null;
  const resident = asResident(row);
  const [household, checks] = await Promise.all([
    db.household.get(resident.householdId),
    db.healthCheck.where('[residentId+at]').between([id, Dexie.minKey], [id, Dexie.maxKey]).reverse().filter(isLive).toArray(),
  ]);
  const sync = await rowSyncStates(db, [id, ...checks.map((c) => c.id)]);
  return {
    resident,
    sync: sync.get(id) ?? 'synced',
    household: household && isLive(household) ? asHousehold(household) : null,
    checks: checks.map((c) => ({ check: withDefaults('healthCheck', localFields(c)), sync: sync.get(c.id) ?? 'synced' })),
    thresholds: await teamThresholds(db, resident.teamId),
    consentActive: resident.consent === 'given',
  };
}

export function observeResident(id: string): Observable<ResidentDetail | null> {
  return liveQuery(() => residentDetail(id));
}

export interface CheckView {
  check: HealthCheck;
  resident: Resident | null;
  flags: Flag[];
  sync: RowSync;
  /** The follow-up need raised from this check, if one was. */
  followUp: { needId: string; followUpOn: string | null } | null;
}

export function observeCheck(id: string): Observable<CheckView | null> {
  return liveQuery(async () => {
    const db = localDb();
    const row = await db.healthCheck.get(id);
    if (!row || !isLive(row)) return null;
    const check = withDefaults('healthCheck', localFields(row));
    const resident = await db.resident.get(check.residentId);
    const thresholds = await teamThresholds(db, check.teamId);
    const sync = (await rowSyncStates(db, [id])).get(id) ?? 'synced';
    // the flags it was judged with, in order of severity
    const judged = classify(check, thresholds.values).flags;
    const flags = check.flags.length > 0 ? judged.filter((f) => check.flags.includes(f.code)) : judged;
    const need = await db.need.where('healthCheckId').equals(id).filter(isLive).first();
    const household = need ? await db.household.get(check.householdId) : undefined;
    const followUp = need ? { needId: need.id, followUpOn: household?.followUpOn ?? null } : null;
    return { check, resident: resident ? asResident(resident) : null, flags, sync, followUp };
  });
}

/** Records consent to keep the resident's health data: who gave it (the resident or a named family member) and who recorded it. */
export function recordConsent(residentId: string, by: 'self' | 'family', byName: string, db: LinliDb = localDb()): Promise<SaveResult<Resident>> {
  return saving(db, ['resident'], async () => {
    const { user } = await actor(db);
    const now = new Date().toISOString();
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
    const { user } = await actor(db);
    const now = new Date().toISOString();
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
    const { user } = await actor(db);
    const now = new Date().toISOString();
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
export function createUrgentFollowUp(checkId: string, description: string, reason: string, db: LinliDb = localDb()): Promise<{ ok: true; needId: string; followUpOn: string } | { ok: false; errors: FieldErrors }> {
  return saving(db, ['healthCheck', 'need', 'needLog', 'household'], async () => {
    const { user } = await actor(db);
    const now = new Date().toISOString();
    const check = await db.healthCheck.get(checkId);
    if (!check?.householdId) return { ok: false, errors: { form: 'check.notFound' } };
    const followUpOn = addDays(localDay(now), 1);
    const existing = await db.need.where('healthCheckId').equals(checkId).filter(isLive).first();
    if (existing) return { ok: true, needId: existing.id, followUpOn };
    const need = await createNeed(
      db,
      { id: newId(), householdId: check.householdId, visitId: null, healthCheckId: checkId, category: 'medical', urgency: 'urgent', description, route: 'volunteers', department: '' },
      { user, now },
    );
    if (!need.ok) return need;
    const household = await db.household.get(check.householdId);
    if (household && !(household.followUpOn && household.followUpOn <= followUpOn)) {
      const p = await prepare(db, 'household', check.householdId, { followUpOn, followUpReason: reason.slice(0, 200) }, { user, now });
      if (p.ok) await commit(db, p.prepared);
    }
    return { ok: true, needId: need.need.id, followUpOn };
  });
}

export interface HealthListItem {
  resident: Resident;
  household: Household | null;
  lastCheckAt: string | null;
  lastLevel: Severity | null;
}

/** Residents with consent, the most worrying latest reading first, then those not checked for longest. */
export async function healthList(db: LinliDb = localDb()): Promise<HealthListItem[]> {
  const rows = await db.resident.where('consent').equals('given').filter(isLive).toArray();
  const households = await db.household.bulkGet(rows.map((r) => r.householdId ?? ''));
  const items = rows.map((r, i) => ({
    resident: asResident(r),
    household: households[i] ? asHousehold(households[i]!) : null,
    lastCheckAt: r.$lastCheckAt ?? null,
    lastLevel: (r.$lastLevel as Severity | null | undefined) ?? null,
  }));
  items.sort(
    (a, b) =>
      severityRank(b.lastLevel ?? 'normal') - severityRank(a.lastLevel ?? 'normal') ||
      (a.lastCheckAt ?? '').localeCompare(b.lastCheckAt ?? ''),
  );
  return items;
}

export function observeHealthList(): Observable<HealthListItem[]> {
  return liveQuery(() => healthList());
}
