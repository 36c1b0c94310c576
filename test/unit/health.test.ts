import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classify,
  consentCovers,
  DEFAULT_THRESHOLDS,
  DEFAULT_THRESHOLDS_VERSION,
  healthCheckSchema,
  PLAUSIBLE,
  plausibility,
  READINGS,
  REMEASURE_WINDOW_MS,
  thresholdErrors,
  thresholdsVersion,
  urgentStep,
  type Readings,
  type Thresholds,
} from '../../src/shared/health.ts';
import { en } from '../../src/shared/i18n/en.ts';
import { zhCN } from '../../src/shared/i18n/zh-CN.ts';

const none: Readings = {
  systolic: null,
  diastolic: null,
  pulse: null,
  glucose: null,
  glucoseContext: null,
  temperature: null,
  weight: null,
  spo2: null,
};
const r = (over: Partial<Readings>): Readings => ({ ...none, ...over });
const codes = (over: Partial<Readings>, t?: Thresholds) => classify(r(over), t).flags.map((f) => f.code);
const level = (over: Partial<Readings>) => classify(r(over)).level;

describe('blood pressure flags at every boundary (Chinese hypertension guideline defaults)', () => {
  it.each([
    // [sys, dia, expected code or null, level]
    [119, 79, null, 'normal'],
    [120, 79, 'bp.highNormal', 'watch'],
    [119, 80, 'bp.highNormal', 'watch'],
    [139, 89, 'bp.highNormal', 'watch'],
    [140, 89, 'bp.grade1', 'abnormal'],
    [139, 90, 'bp.grade1', 'abnormal'],
    [159, 99, 'bp.grade1', 'abnormal'],
    [160, 99, 'bp.grade2', 'abnormal'],
    [159, 100, 'bp.grade2', 'abnormal'],
    [179, 109, 'bp.grade2', 'abnormal'],
    [180, 109, 'bp.grade3', 'urgent'],
    [179, 110, 'bp.grade3', 'urgent'],
    [90, 60, null, 'normal'],
    [89, 60, 'bp.low', 'abnormal'],
    [90, 59, 'bp.low', 'abnormal'],
    // hypertension wins over a low diastolic
    [150, 55, 'bp.grade1', 'abnormal'],
  ] as const)('%i/%i → %s', (systolic, diastolic, code, lvl) => {
    expect(codes({ systolic, diastolic })).toEqual(code ? [code] : []);
    expect(level({ systolic, diastolic })).toBe(lvl);
  });
});

describe('pulse, glucose, temperature and SpO2 flags at every boundary', () => {
  it.each([
    [39, 'pulse.urgentLow', 'urgent'],
    [40, 'pulse.low', 'abnormal'],
    [49, 'pulse.low', 'abnormal'],
    [50, null, 'normal'],
    [100, null, 'normal'],
    [101, 'pulse.high', 'abnormal'],
    [130, 'pulse.high', 'abnormal'],
    [131, 'pulse.urgentHigh', 'urgent'],
  ] as const)('pulse %i → %s', (pulse, code, lvl) => {
    expect(codes({ pulse })).toEqual(code ? [code] : []);
    expect(level({ pulse })).toBe(lvl);
  });

  it.each([
    [2.9, 'fasting', 'glucose.urgentLow', 'urgent'],
    [3.0, 'fasting', 'glucose.low', 'abnormal'],
    [3.8, 'random', 'glucose.low', 'abnormal'],
    [3.9, 'random', null, 'normal'],
    [6.9, 'fasting', null, 'normal'],
    [7.0, 'fasting', 'glucose.high', 'abnormal'],
    [7.0, 'random', null, 'normal'],
    [11.0, 'afterMeal', null, 'normal'],
    [11.1, 'afterMeal', 'glucose.high', 'abnormal'],
    [11.1, 'random', 'glucose.high', 'abnormal'],
    [16.6, 'random', 'glucose.high', 'abnormal'],
    [16.7, 'random', 'glucose.urgentHigh', 'urgent'],
  ] as const)('glucose %f %s → %s', (glucose, glucoseContext, code, lvl) => {
    expect(codes({ glucose, glucoseContext })).toEqual(code ? [code] : []);
    expect(level({ glucose, glucoseContext })).toBe(lvl);
  });

  it.each([
    [37.2, null, 'normal'],
    [37.3, 'temperature.fever', 'abnormal'],
    [38.9, 'temperature.fever', 'abnormal'],
    [39.0, 'temperature.highFever', 'urgent'],
  ] as const)('temperature %f → %s', (temperature, code, lvl) => {
    expect(codes({ temperature })).toEqual(code ? [code] : []);
    expect(level({ temperature })).toBe(lvl);
  });

  it.each([
    [95, null, 'normal'],
    [94, 'spo2.low', 'abnormal'],
    [90, 'spo2.low', 'abnormal'],
    [89, 'spo2.urgent', 'urgent'],
  ] as const)('SpO2 %i → %s', (spo2, code, lvl) => {
    expect(codes({ spo2 })).toEqual(code ? [code] : []);
    expect(level({ spo2 })).toBe(lvl);
  });

  it('weight alone earns no flag; the worst reading decides the level; urgent flags come first', () => {
    expect(classify(r({ weight: 55 }))).toEqual({ level: 'normal', flags: [] });
    const c = classify(r({ systolic: 125, diastolic: 70, spo2: 88, temperature: 37.5 }));
    expect(c.level).toBe('urgent');
    expect(c.flags.map((f) => f.code)).toEqual(['spo2.urgent', 'temperature.fever', 'bp.highNormal']);
  });

  it('follows a team’s own thresholds', () => {
    const strict = { ...DEFAULT_THRESHOLDS, bpGrade1Sys: 130, bpGrade1Dia: 85 };
    expect(codes({ systolic: 132, diastolic: 70 }, strict)).toEqual(['bp.grade1']);
    expect(codes({ systolic: 132, diastolic: 70 })).toEqual(['bp.highNormal']);
  });

  it('never rates a reading milder when it rises past a high threshold (property)', () => {
    const rank = { normal: 0, watch: 1, abnormal: 2, urgent: 3 } as const;
    fc.assert(
      fc.property(fc.integer({ min: 120, max: 260 }), fc.integer({ min: 1, max: 40 }), (sys, step) => {
        const dia = 70;
        const a = classify(r({ systolic: sys, diastolic: dia })).level;
        const b = classify(r({ systolic: Math.min(260, sys + step), diastolic: dia })).level;
        return rank[b] >= rank[a];
      }),
    );
  });
});

describe('plausibility', () => {
  it('accepts any subset of readings inside human ranges, and refuses none at all', () => {
    expect(plausibility(r({ pulse: 72 }))).toEqual({});
    expect(
      plausibility(r({ systolic: 130, diastolic: 85, glucose: 6.1, glucoseContext: 'fasting', temperature: 36.6, weight: 58.5, spo2: 97 })),
    ).toEqual({});
    expect(plausibility(none)).toEqual({ form: 'hv.atLeastOne' });
  });

  it.each(READINGS)('refuses %s just outside its range on both sides, accepts the ends', (k) => {
    const { min, max, decimals } = PLAUSIBLE[k];
    const step = 10 ** -decimals;
    const pair = (v: number): Partial<Readings> =>
      k === 'systolic'
        ? { systolic: v, diastolic: 30 }
        : k === 'diastolic'
          ? { systolic: 260, diastolic: v }
          : k === 'glucose'
            ? { glucose: v, glucoseContext: 'random' }
            : { [k]: v };
    expect(plausibility(r(pair(Number((min - step).toFixed(decimals)))))[k]).toBe(`hv.${k}`);
    expect(plausibility(r(pair(Number((max + step).toFixed(decimals)))))[k]).toBe(`hv.${k}`);
    // the ends themselves are possible (systolic 60 over diastolic 30, etc.)
    expect(plausibility(r(pair(min)))[k]).toBeUndefined();
    expect(plausibility(r(pair(max)))[k]).toBeUndefined();
  });

  it('wants systolic above diastolic, both or neither, and glucose with its context', () => {
    expect(plausibility(r({ systolic: 80, diastolic: 120 })).systolic).toBe('hv.sysAboveDia');
    expect(plausibility(r({ systolic: 90, diastolic: 90 })).systolic).toBe('hv.sysAboveDia');
    expect(plausibility(r({ systolic: 130 })).diastolic).toBe('hv.bothBp');
    expect(plausibility(r({ glucose: 5.5 })).glucoseContext).toBe('hv.glucoseContext');
    expect(plausibility(r({ pulse: 72.5 })).pulse).toBe('hv.decimals');
  });

  it('explains every refusal in both languages, with the range it was checked against', () => {
    for (const k of READINGS) {
      const key = `hv.${k}` as const;
      for (const text of [zhCN[key], en[key]]) {
        expect(text).toContain(String(PLAUSIBLE[k].min).replace(/^(\d+)$/, '$1'));
        expect(text).toContain(String(PLAUSIBLE[k].max));
      }
    }
    for (const key of ['hv.sysAboveDia', 'hv.bothBp', 'hv.glucoseContext', 'hv.atLeastOne', 'hv.decimals'] as const) {
      expect(zhCN[key]).toMatch(/[\u4e00-\u9fff]/);
      expect(en[key]).toMatch(/^[\x20-\x7e°–—]+$/);
    }
  });

  it('the record schema refuses an implausible value with the same message the form shows', () => {
    const parsed = healthCheckSchema.shape.systolic.safeParse(300);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe('hv.systolic');
  });
});

describe('team thresholds', () => {
  it('the defaults are valid and named by their content', () => {
    expect(thresholdErrors(DEFAULT_THRESHOLDS)).toEqual({});
    expect(thresholdsVersion({ ...DEFAULT_THRESHOLDS })).toBe(DEFAULT_THRESHOLDS_VERSION);
    expect(thresholdsVersion({ ...DEFAULT_THRESHOLDS, spo2Low: 94 })).not.toBe(DEFAULT_THRESHOLDS_VERSION);
  });

  it('refuses a set where a stricter step sits below a milder one, or a value no one can measure', () => {
    expect(thresholdErrors({ ...DEFAULT_THRESHOLDS, bpGrade2Sys: 135 })).toMatchObject({ bpGrade2Sys: 'hv.thresholdOrder' });
    expect(thresholdErrors({ ...DEFAULT_THRESHOLDS, spo2Urgent: 96 })).toMatchObject({ spo2Low: 'hv.thresholdOrder' });
    expect(thresholdErrors({ ...DEFAULT_THRESHOLDS, tempHighFever: 45 })).toMatchObject({ tempHighFever: 'hv.thresholdRange' });
  });
});

describe('consent covers a reading', () => {
  it('while given; after withdrawal only for readings taken before it; never without consent', () => {
    expect(consentCovers({ consent: 'given' }, '2026-11-23T08:00:00.000Z')).toBe(true);
    expect(consentCovers({ consent: 'none' }, '2026-11-23T08:00:00.000Z')).toBe(false);
    expect(consentCovers(undefined, '2026-11-23T08:00:00.000Z')).toBe(false);
    const withdrawn = { consent: 'withdrawn', consentWithdrawnAt: '2026-11-23T09:00:00.000Z' };
    expect(consentCovers(withdrawn, '2026-11-23T08:59:59.000Z')).toBe(true);
    expect(consentCovers(withdrawn, '2026-11-23T09:00:00.000Z')).toBe(false);
  });
});

describe('re-measure before urgent (issue 26, item 8)', () => {
  const bp3 = { code: 'bp.grade3', severity: 'urgent' } as const;
  it('an urgent blood pressure alone asks for a second reading first; the second, urgent again, confirms it', () => {
    expect(urgentStep([bp3], false)).toBe('remeasure');
    expect(urgentStep([bp3], true)).toBe('confirmed');
  });
  it('other urgent flags do not wait, and a reading without urgent flags asks nothing', () => {
    expect(urgentStep([bp3, { code: 'spo2.urgent', severity: 'urgent' }], false)).toBe('direct');
    expect(urgentStep([{ code: 'glucose.urgentLow', severity: 'urgent' }], false)).toBe('direct');
    expect(urgentStep([{ code: 'bp.grade2', severity: 'abnormal' }], true)).toBe('none');
    expect(REMEASURE_WINDOW_MS).toBe(30 * 60_000);
  });
});
