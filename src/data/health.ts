/**
 * Health checks on the phone: a resident's consent (given, withdrawn — synced like any
 * change), checks judged at once against the team's thresholds and stored with the version
 * they were judged with, the one-tap follow-up for an urgent reading (an urgent medical need
 * and a visit due tomorrow), the team's thresholds, and the list of residents to look after.
 */
import { Dexie, liveQuery } from 'dexie';
import {
  classify,
  DEFAULT_THRESHOLDS,
  DEFAULT_THRESHOLDS_VERSION,
  REMEASURE_WINDOW_MS,
  severityRank,
  thresholdsVersion,
  urgentStep,
  type Flag,
  type HealthCheck,
  type Severity,
  type Thresholds,
  type UrgentStep,
} from '../shared/health.ts';
import { searchKeys } from '../shared/address.ts';
import type { Household, Resident } from '../shared/household.ts';
import { withDefaults } from '../shared/record-defaults.ts';
import { localDb, type LinliDb } from './db.ts';
import { asHousehold, asResident } from './household.ts';
import type { Observable } from './observable.ts';
import { localFields } from './records.ts';
import { isLive, rowSyncStates, type RowSync } from './row-sync.ts';

export type { HealthCheck, Thresholds, Flag, Severity };

export interface TeamThresholds {
  values: Thresholds;
  version: string;
  isDefault: boolean;
}

export async function teamThresholds(db: LinliDb, teamId: string): Promise<TeamThresholds> {
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
  /** For an urgent reading: measure again first, or offer the urgent need now (`urgentStep`). */
  urgent: UrgentStep;
  /** The second reading taken after this one, within the window (a re-measure), if any. */
  remeasuredBy: string | null;
  /** The household's emergency contact, to call from an urgent reading. */
  emergency: { name: string; relation: string; phone: string } | null;
  /** The household's family doctor, where known. */
  doctor: { name: string; phone: string } | null;
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
    const household = await db.household.get(check.householdId);
    const followUp = need ? { needId: need.id, followUpOn: household?.followUpOn ?? null } : null;
    // the resident's readings around this one: an urgent blood pressure just before confirms it; one just after re-measured it
    const at = Date.parse(check.at);
    const around = (
      await db.healthCheck
        .where('[residentId+at]')
        .between([check.residentId, new Date(at - REMEASURE_WINDOW_MS).toISOString()], [check.residentId, new Date(at + REMEASURE_WINDOW_MS).toISOString()], true, true)
        .filter((r) => isLive(r) && r.id !== id)
        .toArray()
    ).map((r) => withDefaults('healthCheck', localFields(r)));
    const urgentBp = (c: HealthCheck) => classify(c, thresholds.values).flags.some((f) => f.severity === 'urgent' && f.code.startsWith('bp.'));
    const earlier = around.some((c) => c.at < check.at && urgentBp(c));
    const later = around.filter((c) => c.at > check.at && (c.systolic !== null || c.diastolic !== null)).sort((a, b) => (a.at < b.at ? -1 : 1))[0];
    return {
      check,
      resident: resident ? asResident(resident) : null,
      flags,
      sync,
      followUp,
      urgent: urgentStep(flags, earlier),
      remeasuredBy: later?.id ?? null,
      emergency: household?.emergencyPhone
        ? { name: household.emergencyName ?? '', relation: household.emergencyRelation ?? '', phone: household.emergencyPhone }
        : null,
      doctor: household?.doctorPhone ? { name: household.doctorName ?? '', phone: household.doctorPhone } : null,
    };
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

export const RESIDENT_SEARCH_LIMIT = 20;

export interface ResidentHit {
  resident: Resident;
  household: Household | null;
  consentActive: boolean;
}

/**
 * Residents by what a health volunteer types — a name, or the address (楼栋/房号) — from the
 * residents' and the households' search words, consented or not: the health tab starts a
 * check from here, and consent is asked where the check begins.
 */
export async function findResidents(text: string, db: LinliDb = localDb()): Promise<ResidentHit[]> {
  const keys = searchKeys(text);
  if (keys.length === 0) return [];
  const byName = await db.resident.where('$terms').startsWithAnyOf(keys).distinct().filter(isLive).limit(RESIDENT_SEARCH_LIMIT).toArray();
  const homes = await db.household.where('$terms').startsWithAnyOf(keys).distinct().filter(isLive).limit(RESIDENT_SEARCH_LIMIT).toArray();
  const seen = new Set(byName.map((r) => r.id));
  const atHomes = homes.length > 0 ? (await db.resident.where('householdId').anyOf(homes.map((h) => h.id)).filter(isLive).toArray()).filter((r) => !seen.has(r.id)) : [];
  const rows = [...byName, ...atHomes].slice(0, RESIDENT_SEARCH_LIMIT);
  const households = await db.household.bulkGet(rows.map((r) => r.householdId ?? ''));
  return rows.map((r, i) => {
    const resident = asResident(r);
    return { resident, household: households[i] ? asHousehold(households[i]!) : null, consentActive: resident.consent === 'given' };
  });
}

export function observeResidentSearch(text: string): Observable<ResidentHit[]> {
  return liveQuery(() => findResidents(text));
}

export function observeHealthList(): Observable<HealthListItem[]> {
  return liveQuery(() => healthList());
}
