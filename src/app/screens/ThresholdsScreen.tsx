/**
 * The team's health flag thresholds, set by a coordinator: the defaults from the Chinese
 * guidelines, changeable step by step (each must rise above the one before), synced to every
 * phone of the team. Each check keeps the version it was judged with.
 */
import { useEffect, useState } from 'preact/hooks';
import { observeSession, observeThresholds, saveThresholds, syncSoon, type FieldErrors } from '../../data/index.ts';
import { DEFAULT_THRESHOLDS, type ThresholdKey, type Thresholds } from '../../shared/health.ts';
import { Field } from '../components/Field.tsx';
import { failureMessage, optionalNumber, useDirty } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { useObservable } from '../use-observable.ts';
import { Alert } from '../components/Alert.tsx';

const GROUPS: {
  legend: 'thresholds.bp' | 'thresholds.pulse' | 'thresholds.glucose' | 'thresholds.temp' | 'thresholds.spo2';
  keys: ThresholdKey[];
}[] = [
  {
    legend: 'thresholds.bp',
    keys: [
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
  },
  { legend: 'thresholds.pulse', keys: ['pulseUrgentLow', 'pulseLow', 'pulseHigh', 'pulseUrgentHigh'] },
  {
    legend: 'thresholds.glucose',
    keys: ['glucoseUrgentLow', 'glucoseLow', 'glucoseFastingHigh', 'glucoseRandomHigh', 'glucoseUrgentHigh'],
  },
  { legend: 'thresholds.temp', keys: ['tempFever', 'tempHighFever'] },
  { legend: 'thresholds.spo2', keys: ['spo2Urgent', 'spo2Low'] },
];

const asTexts = (v: Thresholds) => Object.fromEntries(Object.entries(v).map(([k, n]) => [k, String(n)])) as Record<ThresholdKey, string>;

export default function ThresholdsScreen() {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useObservable(observeSession, []);
  const current = useObservable(observeThresholds, []);
  const [texts, setTexts] = useState<Record<ThresholdKey, string> | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState('');
  const [failure, setFailure] = useState('');
  const [dirty, setDirty] = useState(false);
  useDirty(dirty);
  useEffect(() => {
    if (current && !texts) setTexts(asTexts(current.values));
  }, [current]);

  if (session?.user?.role === 'volunteer')
    return (
      <main class="screen">
        <p>{t('thresholds.coordinatorOnly')}</p>
      </main>
    );
  if (!current || !texts)
    return (
      <main class="screen" aria-busy="true">
        {t('app.loading')}
      </main>
    );

  async function submit(e: Event) {
    e.preventDefault();
    setSaved('');
    setFailure('');
    const values = Object.fromEntries(Object.entries(texts!).map(([k, v]) => [k, optionalNumber(v) ?? Number.NaN])) as Thresholds;
    try {
      const r = await saveThresholds(values);
      if (!r.ok) {
        setErrors(r.errors);
        document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
        return;
      }
      setErrors({});
      setDirty(false);
      setSaved(t('thresholds.saved', { version: r.record.version }));
      syncSoon();
    } catch (err) {
      setFailure(failureMessage(err, i18n));
    }
  }

  return (
    <main class="screen">
      <Link href="/health" class="back">
        ‹ {t('app.back')}
      </Link>
      <h1>{t('thresholds.title')}</h1>
      <p class="hint">{t('thresholds.intro')}</p>
      <p>
        {t('thresholds.version', { version: current.version })} {current.isDefault ? t('thresholds.isDefault') : ''}
      </p>
      <form onSubmit={submit} noValidate>
        {GROUPS.map((g) => (
          <fieldset key={g.legend} class="group">
            <legend>{t(g.legend)}</legend>
            <div class="form-row">
              {g.keys.map((k) => (
                <Field key={k} id={k} label={t(`threshold.${k}`)} error={errors[k]}>
                  {(a) => (
                    <input
                      {...a}
                      inputMode="decimal"
                      value={texts[k]}
                      maxLength={5}
                      onInput={(e) => {
                        setTexts({ ...texts, [k]: (e.target as HTMLInputElement).value });
                        setDirty(true);
                      }}
                    />
                  )}
                </Field>
              ))}
            </div>
          </fieldset>
        ))}
        {saved ? (
          <p class="notice" role="status">
            ✓ {saved}
          </p>
        ) : null}
        <Alert text={failure} />
        <div class="form-actions">
          <button type="submit" class="primary">
            {t('app.save')}
          </button>
          <button type="button" class="secondary" onClick={() => (setTexts(asTexts(DEFAULT_THRESHOLDS)), setDirty(true))}>
            {t('thresholds.reset')}
          </button>
        </div>
      </form>
    </main>
  );
}
