/**
 * The team's health flag thresholds, set by a coordinator: the defaults from the Chinese
 * guidelines, changeable step by step (each must rise above the one before), synced to every
 * phone of the team. Each check keeps the version it was judged with.
 */
import { useState } from 'preact/hooks';
import { observeSession, observeThresholds, saveThresholds, type TeamThresholds } from '../../data/index.ts';
import { DEFAULT_THRESHOLDS, THRESHOLD_GROUPS, type ThresholdKey, type Thresholds } from '../../shared/health.ts';
import { Alert, Done } from '../components/Alert.tsx';
import { TextField } from '../components/Field.tsx';
import { BackLink, Loading, Missing } from '../components/ScreenState.tsx';
import { optionalNumber, useFormSave } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { useDraft } from '../use-draft.ts';
import { useObservable } from '../use-observable.ts';

const asTexts = (v: Thresholds) => Object.fromEntries(Object.entries(v).map(([k, n]) => [k, String(n)])) as Record<ThresholdKey, string>;

export default function ThresholdsScreen() {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useObservable(observeSession, []);
  const current = useObservable(observeThresholds, []);
  const {
    draft: texts,
    update,
    setDraft,
    setDirty,
    loaded,
  } = useDraft<TeamThresholds, Record<ThresholdKey, string>>(
    () => asTexts(DEFAULT_THRESHOLDS),
    current,
    (c) => asTexts(c.values),
  );
  const { busy, errors, failure, save } = useFormSave(i18n, setDirty);
  const [saved, setSaved] = useState('');
  if (session?.user?.role === 'volunteer') return <Missing>{t('thresholds.coordinatorOnly')}</Missing>;
  if (!current || !loaded) return <Loading />;

  function submit(e: Event) {
    e.preventDefault();
    setSaved('');
    const values = Object.fromEntries(Object.entries(texts).map(([k, v]) => [k, optionalNumber(v) ?? Number.NaN])) as Thresholds;
    save(
      () => saveThresholds(values),
      (r) => setSaved(t('thresholds.saved', { version: r.record.version })),
    );
  }
  return (
    <main class="screen">
      <BackLink href="/health" />
      <h1>{t('thresholds.title')}</h1>
      <p class="hint">{t('thresholds.intro')}</p>
      <p>
        {t('thresholds.version', { version: current.version })} {current.isDefault ? t('thresholds.isDefault') : ''}
      </p>
      <form onSubmit={submit} noValidate>
        {Object.entries(THRESHOLD_GROUPS).map(([group, keys]) => (
          <fieldset key={group} class="group">
            <legend>{t(`thresholds.${group as keyof typeof THRESHOLD_GROUPS}`)}</legend>
            <div class="form-row">
              {keys.map((k) => (
                <TextField
                  key={k}
                  id={k}
                  label={t(`threshold.${k}`)}
                  error={errors[k]}
                  inputMode="decimal"
                  value={texts[k]}
                  onChange={(v) => update({ [k]: v })}
                  max={5}
                />
              ))}
            </div>
          </fieldset>
        ))}
        <Done text={saved} />
        <Alert text={failure} focus />
        <div class="form-actions">
          <button type="submit" class="primary" disabled={busy}>
            {t('app.save')}
          </button>
          <button type="button" class="secondary" onClick={() => (setDraft(asTexts(DEFAULT_THRESHOLDS)), setDirty(true))}>
            {t('thresholds.reset')}
          </button>
        </div>
      </form>
    </main>
  );
}
