/**
 * The rules of a health check that need no schema: the plausibility of each reading (a typing
 * slip must not be saved as a crisis), the flags a reading earns against its team's
 * thresholds, how a threshold set is named (its version; the defaults are in
 * `health-defaults.ts`), and whether consent covers a reading.
 * Defaults follow the Chinese guidelines for hypertension (中国高血压防治指南 2018/2024
 * revision: normal < 120/80, high-normal 120–139/80–89, grade 1–3 from 140/90, 160/100,
 * 180/110) and diabetes (中国2型糖尿病防治指南 2020: fasting ≥ 7.0, random ≥ 11.1,
 * hypoglycaemia < 3.9, severe < 3.0 mmol/L; ≥ 16.7 screens for a hyperglycaemic crisis).
 *
 * Flags advise; they are not a diagnosis. The same functions run on the phone (at once, as
 * the volunteer types) and on the server (which re-checks what it is sent). No zod here: the
 * first screen reads the default thresholds (`record-defaults.ts`) without loading it.
 */
import { DEFAULT_THRESHOLDS, type ThresholdKey, type Thresholds } from './health-defaults.ts';
import { stableStringify } from './merge.ts';

export * from './health-defaults.ts';

export const GLUCOSE_CONTEXTS = ['fasting', 'random', 'afterMeal'] as const;
export type GlucoseContext = (typeof GLUCOSE_CONTEXTS)[number];
export const FALLS = ['none', 'fell'] as const;
export const MEDICATION = ['asPrescribed', 'missed', 'notApplicable'] as const;
export const SEVERITIES = ['normal', 'watch', 'abnormal', 'urgent'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Human ranges: outside them a reading is a slip of the finger, not a measurement. */
export const PLAUSIBLE = {
  systolic: { min: 60, max: 260, decimals: 0 },
  diastolic: { min: 30, max: 160, decimals: 0 },
  pulse: { min: 30, max: 220, decimals: 0 },
  glucose: { min: 1.0, max: 35.0, decimals: 1 },
  temperature: { min: 34.0, max: 43.0, decimals: 1 },
  weight: { min: 20, max: 200, decimals: 1 },
  spo2: { min: 50, max: 100, decimals: 0 },
} as const;
export type Reading = keyof typeof PLAUSIBLE;
export const READINGS = Object.keys(PLAUSIBLE) as Reading[];
export const READING_UNITS: Record<Reading, string> = {
  systolic: 'mmHg',
  diastolic: 'mmHg',
  pulse: 'bpm',
  glucose: 'mmol/L',
  temperature: '°C',
  weight: 'kg',
  spo2: '%',
};

/** The readings of one check; any of them may be missing (null). */
export type Readings = { [K in Reading]: number | null } & { glucoseContext: GlucoseContext | null };

export type PlausibilityKey = `hv.${Reading}` | 'hv.decimals' | 'hv.sysAboveDia' | 'hv.bothBp' | 'hv.glucoseContext' | 'hv.atLeastOne';

/**
 * Why the readings cannot be right, per field; empty when they can. Any subset of readings
 * may be taken, but at least one, blood pressure as a pair, glucose with its context.
 */
export function plausibility(r: Readings): Partial<Record<Reading | 'glucoseContext' | 'form', PlausibilityKey>> {
  const errors: Partial<Record<Reading | 'glucoseContext' | 'form', PlausibilityKey>> = {};
  let any = false;
  for (const k of READINGS) {
    const v = r[k];
    if (v === null || v === undefined) continue;
    any = true;
    const { min, max, decimals } = PLAUSIBLE[k];
    if (!Number.isFinite(v) || v < min || v > max) errors[k] = `hv.${k}`;
    else if (Math.abs(v * 10 ** decimals - Math.round(v * 10 ** decimals)) > 1e-9) errors[k] = 'hv.decimals';
  }
  if (!any) errors.form = 'hv.atLeastOne';
  const sysOk = r.systolic !== null && !errors.systolic;
  const diaOk = r.diastolic !== null && !errors.diastolic;
  if ((r.systolic === null) !== (r.diastolic === null)) errors[r.systolic === null ? 'systolic' : 'diastolic'] ??= 'hv.bothBp';
  else if (sysOk && diaOk && r.systolic! <= r.diastolic!) errors.systolic = 'hv.sysAboveDia';
  if (r.glucose !== null && r.glucoseContext === null) errors.glucoseContext = 'hv.glucoseContext';
  return errors;
}

/** FNV-1a, 32 bits: a short, stable name for a set of thresholds (not a security hash). */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * A threshold set's version is its content: two coordinators who set the same numbers name
 * the same version, and a check's `thresholdVersion` says exactly what it was judged with.
 */
export function thresholdsVersion(t: Thresholds): string {
  return `t${fnv1a(stableStringify(t))}`;
}

/** Each chain must rise strictly: a threshold set where "urgent" sits inside "normal" is refused. */
export const THRESHOLD_ORDER: readonly (readonly ThresholdKey[])[] = [
  ['bpLowSys', 'bpHighNormalSys', 'bpGrade1Sys', 'bpGrade2Sys', 'bpGrade3Sys'],
  ['bpLowDia', 'bpHighNormalDia', 'bpGrade1Dia', 'bpGrade2Dia', 'bpGrade3Dia'],
  ['pulseUrgentLow', 'pulseLow', 'pulseHigh', 'pulseUrgentHigh'],
  ['glucoseUrgentLow', 'glucoseLow', 'glucoseFastingHigh', 'glucoseUrgentHigh'],
  ['glucoseLow', 'glucoseRandomHigh', 'glucoseUrgentHigh'],
  ['tempFever', 'tempHighFever'],
  ['spo2Urgent', 'spo2Low'],
];

/** The reading each threshold is compared with, for its plausible range. */
const THRESHOLD_READING: Record<ThresholdKey, Reading> = {
  bpLowSys: 'systolic',
  bpHighNormalSys: 'systolic',
  bpGrade1Sys: 'systolic',
  bpGrade2Sys: 'systolic',
  bpGrade3Sys: 'systolic',
  bpLowDia: 'diastolic',
  bpHighNormalDia: 'diastolic',
  bpGrade1Dia: 'diastolic',
  bpGrade2Dia: 'diastolic',
  bpGrade3Dia: 'diastolic',
  pulseUrgentLow: 'pulse',
  pulseLow: 'pulse',
  pulseHigh: 'pulse',
  pulseUrgentHigh: 'pulse',
  glucoseUrgentLow: 'glucose',
  glucoseLow: 'glucose',
  glucoseFastingHigh: 'glucose',
  glucoseRandomHigh: 'glucose',
  glucoseUrgentHigh: 'glucose',
  tempFever: 'temperature',
  tempHighFever: 'temperature',
  spo2Urgent: 'spo2',
  spo2Low: 'spo2',
};

export function thresholdErrors(t: Thresholds): Partial<Record<ThresholdKey, 'hv.thresholdRange' | 'hv.thresholdOrder'>> {
  const errors: Partial<Record<ThresholdKey, 'hv.thresholdRange' | 'hv.thresholdOrder'>> = {};
  for (const k of Object.keys(THRESHOLD_READING) as ThresholdKey[]) {
    const { min, max } = PLAUSIBLE[THRESHOLD_READING[k]];
    if (!Number.isFinite(t[k]) || t[k] < min || t[k] > max) errors[k] = 'hv.thresholdRange';
  }
  for (const chain of THRESHOLD_ORDER) {
    for (let i = 1; i < chain.length; i++) {
      if (!(t[chain[i]!] > t[chain[i - 1]!])) errors[chain[i]!] ??= 'hv.thresholdOrder';
    }
  }
  return errors;
}

export const FLAG_CODES = [
  'bp.low',
  'bp.highNormal',
  'bp.grade1',
  'bp.grade2',
  'bp.grade3',
  'pulse.low',
  'pulse.high',
  'pulse.urgentLow',
  'pulse.urgentHigh',
  'glucose.low',
  'glucose.urgentLow',
  'glucose.high',
  'glucose.urgentHigh',
  'temperature.fever',
  'temperature.highFever',
  'spo2.low',
  'spo2.urgent',
] as const;
export type FlagCode = (typeof FLAG_CODES)[number];

export interface Flag {
  code: FlagCode;
  severity: Exclude<Severity, 'normal'>;
}

const RANK: Record<Severity, number> = { normal: 0, watch: 1, abnormal: 2, urgent: 3 };
export function worse(a: Severity, b: Severity): Severity {
  return RANK[a] >= RANK[b] ? a : b;
}
export function severityRank(s: Severity): number {
  return RANK[s];
}

function bloodPressure(sys: number, dia: number, t: Thresholds): Flag | null {
  if (sys >= t.bpGrade3Sys || dia >= t.bpGrade3Dia) return { code: 'bp.grade3', severity: 'urgent' };
  if (sys >= t.bpGrade2Sys || dia >= t.bpGrade2Dia) return { code: 'bp.grade2', severity: 'abnormal' };
  if (sys >= t.bpGrade1Sys || dia >= t.bpGrade1Dia) return { code: 'bp.grade1', severity: 'abnormal' };
  if (sys < t.bpLowSys || dia < t.bpLowDia) return { code: 'bp.low', severity: 'abnormal' };
  if (sys >= t.bpHighNormalSys || dia >= t.bpHighNormalDia) return { code: 'bp.highNormal', severity: 'watch' };
  return null;
}

/**
 * The flags of a set of readings against thresholds, most severe first, and the worst
 * severity. Readings the volunteer did not take give no flag.
 */
export function classify(r: Readings, t: Thresholds = DEFAULT_THRESHOLDS): { level: Severity; flags: Flag[] } {
  const flags: Flag[] = [];
  if (r.systolic !== null && r.diastolic !== null) {
    const f = bloodPressure(r.systolic, r.diastolic, t);
    if (f) flags.push(f);
  }
  if (r.pulse !== null) {
    if (r.pulse < t.pulseUrgentLow) flags.push({ code: 'pulse.urgentLow', severity: 'urgent' });
    else if (r.pulse > t.pulseUrgentHigh) flags.push({ code: 'pulse.urgentHigh', severity: 'urgent' });
    else if (r.pulse < t.pulseLow) flags.push({ code: 'pulse.low', severity: 'abnormal' });
    else if (r.pulse > t.pulseHigh) flags.push({ code: 'pulse.high', severity: 'abnormal' });
  }
  if (r.glucose !== null) {
    const high = r.glucoseContext === 'fasting' ? t.glucoseFastingHigh : t.glucoseRandomHigh;
    if (r.glucose < t.glucoseUrgentLow) flags.push({ code: 'glucose.urgentLow', severity: 'urgent' });
    else if (r.glucose < t.glucoseLow) flags.push({ code: 'glucose.low', severity: 'abnormal' });
    else if (r.glucose >= t.glucoseUrgentHigh) flags.push({ code: 'glucose.urgentHigh', severity: 'urgent' });
    else if (r.glucose >= high) flags.push({ code: 'glucose.high', severity: 'abnormal' });
  }
  if (r.temperature !== null) {
    // An elderly person at 39 °C needs someone today: high fever is urgent.
    if (r.temperature >= t.tempHighFever) flags.push({ code: 'temperature.highFever', severity: 'urgent' });
    else if (r.temperature >= t.tempFever) flags.push({ code: 'temperature.fever', severity: 'abnormal' });
  }
  if (r.spo2 !== null) {
    if (r.spo2 < t.spo2Urgent) flags.push({ code: 'spo2.urgent', severity: 'urgent' });
    else if (r.spo2 < t.spo2Low) flags.push({ code: 'spo2.low', severity: 'abnormal' });
  }
  flags.sort((a, b) => RANK[b.severity] - RANK[a.severity]);
  return { level: flags.reduce<Severity>((w, f) => worse(w, f.severity), 'normal'), flags };
}

export function isFlagCode(s: string): s is FlagCode {
  return (FLAG_CODES as readonly string[]).includes(s);
}

/**
 * May a reading taken at `at` be kept for this resident? With consent given, yes; after
 * consent was withdrawn, only readings taken before the withdrawal (a phone that was offline
 * when the family withdrew it still hands in what it measured with consent).
 */
export function consentCovers(resident: { consent?: unknown; consentWithdrawnAt?: unknown } | undefined, at: string): boolean {
  if (!resident) return false;
  if (resident.consent === 'given') return true;
  return resident.consent === 'withdrawn' && typeof resident.consentWithdrawnAt === 'string' && at < resident.consentWithdrawnAt;
}

/**
 * Blood pressure is measured again before it raises an urgent need: the Chinese guideline
 * (中国高血压防治指南 2018) measures after 5 minutes' rest and takes two readings 1–2 minutes
 * apart. A reading is the confirming one when an urgent blood pressure reading of the same
 * resident came within this window before it; both are kept, each its own check.
 */
export const REMEASURE_WINDOW_MS = 30 * 60_000;

/** Where an urgent reading stands: urgent on its own (no re-measure asks), to measure again first, or confirmed by a second reading. */
export type UrgentStep = 'none' | 'remeasure' | 'confirmed' | 'direct';

export function urgentStep(flags: readonly Pick<Flag, 'code' | 'severity'>[], earlierUrgentBpWithinWindow: boolean): UrgentStep {
  const urgent = flags.filter((f) => f.severity === 'urgent');
  if (urgent.length === 0) return 'none';
  // a second urgent flag of another kind (oxygen, glucose, pulse, fever) does not wait
  if (urgent.some((f) => !f.code.startsWith('bp.'))) return 'direct';
  return earlierUrgentBpWithinWindow ? 'confirmed' : 'remeasure';
}
