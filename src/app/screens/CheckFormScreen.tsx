/**
 * A health check in under a minute: large numeric fields with their units, any subset of
 * them, glucose with when it was measured, and a few notes. A reading that cannot be right
 * is named next to its field before anything is saved; flags show at once, in words and
 * colour, as the numbers are typed. Without consent the form does not open.
 */
import { useMemo, useState } from 'preact/hooks';
import { newId, observeResident, observeThresholds, saveHealthCheck } from '../../data/index.ts';
import { classify, FALLS, GLUCOSE_CONTEXTS, MEDICATION, READING_UNITS, type Reading, type Readings } from '../../shared/health.ts';
import { Choice } from '../components/Choices.tsx';
import { Field } from '../components/Field.tsx';
import { FormFooter } from '../components/FormFooter.tsx';
import { FlagList } from '../components/FlagList.tsx';
import { optionalNumber, useDirty, useFormSave } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { Link, navigate } from '../router.tsx';
import { useObservable } from '../use-observable.ts';
import { Alert } from '../components/Alert.tsx';

type Texts = Record<Reading, string>;
const EMPTY: Texts = { systolic: '', diastolic: '', pulse: '', glucose: '', temperature: '', weight: '', spo2: '' };
const DECIMAL: Record<Reading, boolean> = {
  systolic: false,
  diastolic: false,
  pulse: false,
  glucose: true,
  temperature: true,
  weight: true,
  spo2: false,
};

export default function CheckFormScreen({ residentId }: { residentId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const detail = useObservable(() => observeResident(residentId), [residentId]);
  const thresholds = useObservable(observeThresholds, []);
  const [id] = useState(newId);
  const [texts, setTexts] = useState<Texts>(EMPTY);
  const [glucoseContext, setGlucoseContext] = useState<Readings['glucoseContext']>(null);
  const [mood, setMood] = useState('');
  const [falls, setFalls] = useState<(typeof FALLS)[number] | null>(null);
  const [medication, setMedication] = useState<(typeof MEDICATION)[number] | null>(null);
  const [notes, setNotes] = useState('');
  const [dirty, setDirty] = useState(false);
  const { busy, errors, failure, save } = useFormSave(i18n, setDirty);
  useDirty(dirty);

  const readings: Readings = useMemo(
    () => ({
      ...(Object.fromEntries(Object.entries(texts).map(([k, v]) => [k, optionalNumber(v)])) as Record<Reading, number | null>),
      glucoseContext,
    }),
    [texts, glucoseContext],
  );
  const preview = useMemo(() => {
    const ok = (k: Reading) => readings[k] === null || Number.isFinite(readings[k]);
    if (!thresholds || !Object.keys(texts).every((k) => ok(k as Reading))) return null;
    return classify(readings, thresholds.values);
  }, [readings, thresholds]);

  if (detail === undefined)
    return (
      <main class="screen" aria-busy="true">
        {t('app.loading')}
      </main>
    );
  if (detail === null)
    return (
      <main class="screen">
        <p>{t('resident.notFound')}</p>
      </main>
    );
  if (!detail.consentActive) {
    return (
      <main class="screen">
        <Link href={`/residents/${residentId}`} class="back">
          ‹ {t('app.back')}
        </Link>
        <p class="notice notice-warn" role="alert">
          ⚠ {t('resident.noConsentForm')}
        </p>
      </main>
    );
  }

  const setReading = (k: Reading) => (e: Event) => {
    setTexts({ ...texts, [k]: (e.target as HTMLInputElement).value });
    setDirty(true);
  };

  function submit(e: Event) {
    e.preventDefault();
    save(
      () => saveHealthCheck({ id, residentId, ...readings, mood, falls, medication, notes }),
      () => navigate(`/checks/${id}`, true),
    );
  }

  const number = (k: Reading) => (
    <Field id={k} label={`${t(`reading.${k}`)}（${READING_UNITS[k]}）`} error={errors[k]} optional>
      {(a) => (
        <div class="with-unit">
          <input
            {...a}
            class="big-number"
            inputMode={DECIMAL[k] ? 'decimal' : 'numeric'}
            value={texts[k]}
            onInput={setReading(k)}
            maxLength={5}
            autocomplete="off"
          />
          <span aria-hidden="true">{READING_UNITS[k]}</span>
        </div>
      )}
    </Field>
  );

  return (
    <main class="screen">
      <Link href={`/residents/${residentId}`} class="back">
        ‹ {t('app.back')}
      </Link>
      <h1>
        {t('check.newTitle')} · {detail.resident.name}
      </h1>
      <form onSubmit={submit} noValidate>
        <fieldset class="group">
          <legend>{t('check.bp')}</legend>
          <div class="form-row">
            {number('systolic')}
            {number('diastolic')}
          </div>
        </fieldset>
        {number('pulse')}
        {number('glucose')}
        {texts.glucose.trim() ? (
          <Choice
            name="glucoseContext"
            legend={t('check.glucoseWhen')}
            options={GLUCOSE_CONTEXTS}
            label={(c) => t(`glucoseContext.${c}`)}
            value={glucoseContext}
            onChange={(c) => (setGlucoseContext(c), setDirty(true))}
            error={errors.glucoseContext}
          />
        ) : null}
        <div class="form-row">
          {number('temperature')}
          {number('spo2')}
        </div>
        {number('weight')}
        <Alert text={errors.form ? t(errors.form) : undefined} />
        {preview && preview.flags.length + Object.values(readings).filter((v) => v !== null).length > 0 ? (
          <div aria-live="polite" data-testid="flag-preview">
            <FlagList flags={preview.flags} level={preview.level} />
          </div>
        ) : null}
        <details class="group">
          <summary>{t('check.othersTitle')}</summary>
          <Field id="mood" label={t('check.mood')} optional>
            {(a) => <input {...a} value={mood} onInput={(e) => setMood((e.target as HTMLInputElement).value)} maxLength={200} />}
          </Field>
          <Choice name="falls" legend={t('check.falls')} options={FALLS} label={(f) => t(`falls.${f}`)} value={falls} onChange={setFalls} />
          <Choice
            name="medication"
            legend={t('check.medication')}
            options={MEDICATION}
            label={(m) => t(`medication.${m}`)}
            value={medication}
            onChange={setMedication}
            layout="grid"
          />
          <Field id="check-notes" label={t('check.notes')} optional>
            {(a) => (
              <textarea {...a} value={notes} onInput={(e) => setNotes((e.target as HTMLTextAreaElement).value)} rows={2} maxLength={1000} />
            )}
          </Field>
        </details>
        <FormFooter failure={failure} busy={busy} cancelHref={`/residents/${residentId}`} />
      </form>
    </main>
  );
}
