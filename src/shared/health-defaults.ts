/**
 * The team thresholds' shape and defaults, apart from the rules that use them: the first
 * screen reads the defaults (`record-defaults.ts`), and a module the first screen touches at
 * all is bundled into it whole — with plausibility and flags, which only the health screens
 * need. The defaults' version is written out (`thresholdsVersion` in health-rules.ts makes
 * it; a unit test holds the two equal).
 */

/** A team's thresholds, flat so a form edits them one number at a time, in the groups the form shows. */
export const THRESHOLD_GROUPS = {
  bp: [
    'bpLowSys',
    'bpLowDia',
    'bpHighNormalSys',
    'bpHighNormalDia',
    'bpGrade1Sys',
    'bpGrade1Dia',
    'bpGrade2Sys',
    'bpGrade2Dia',
    'bpGrade3Sys',
    'bpGrade3Dia',
  ],
  pulse: ['pulseUrgentLow', 'pulseLow', 'pulseHigh', 'pulseUrgentHigh'],
  glucose: ['glucoseUrgentLow', 'glucoseLow', 'glucoseFastingHigh', 'glucoseRandomHigh', 'glucoseUrgentHigh'],
  temp: ['tempFever', 'tempHighFever'],
  spo2: ['spo2Urgent', 'spo2Low'],
} as const;
export const THRESHOLD_KEYS = Object.values(THRESHOLD_GROUPS).flat();
export type ThresholdKey = (typeof THRESHOLD_KEYS)[number];
export type Thresholds = Record<ThresholdKey, number>;

export const DEFAULT_THRESHOLDS: Thresholds = {
  bpLowSys: 90,
  bpLowDia: 60,
  bpHighNormalSys: 120,
  bpHighNormalDia: 80,
  bpGrade1Sys: 140,
  bpGrade1Dia: 90,
  bpGrade2Sys: 160,
  bpGrade2Dia: 100,
  bpGrade3Sys: 180,
  bpGrade3Dia: 110,
  pulseUrgentLow: 40,
  pulseLow: 50,
  pulseHigh: 100,
  pulseUrgentHigh: 130,
  glucoseUrgentLow: 3.0,
  glucoseLow: 3.9,
  glucoseFastingHigh: 7.0,
  glucoseRandomHigh: 11.1,
  glucoseUrgentHigh: 16.7,
  tempFever: 37.3,
  tempHighFever: 39.0,
  spo2Urgent: 90,
  spo2Low: 95,
};

/** `thresholdsVersion(DEFAULT_THRESHOLDS)`: the version every check judged by the defaults names. */
export const DEFAULT_THRESHOLDS_VERSION = 't54cb0aba';
