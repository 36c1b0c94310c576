/**
 * A health check in under a minute: the readings (check/ReadingFields), any subset of them,
 * and a few notes. A reading that cannot be right is named next to its field before anything
 * is saved; flags show at once, in words and colour, as the numbers are typed. Without
 * consent, consent is asked first, here (resident/ConsentSection); then the form opens.
 */
import { useMemo, useState } from 'preact/hooks';
import { newId, observeResident, observeThresholds, saveHealthCheck } from '../../data/index.ts';
import { classify, FALLS, MEDICATION, type Reading, type Readings } from '../../shared/health.ts';
import { Alert } from '../components/Alert.tsx';
import { Choice } from '../components/Choices.tsx';
import { TextField } from '../components/Field.tsx';
import { FlagList } from '../components/FlagList.tsx';
import { FormFooter } from '../components/FormFooter.tsx';
import { BackLink, Loading, Missing } from '../components/ScreenState.tsx';
import { optionalNumber, useFormSave } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { navigate } from '../router.tsx';
import { useDraft } from '../use-draft.ts';
import { useObservable } from '../use-observable.ts';
import { NO_READINGS, ReadingFields, type ReadingTexts } from './check/ReadingFields.tsx';
import { ConsentSection } from './resident/ConsentSection.tsx';

interface Draft {
  texts: ReadingTexts;
  glucoseContext: Readings['glucoseContext'];
  mood: string;
  falls: (typeof FALLS)[number] | null;
  medication: (typeof MEDICATION)[number] | null;
  notes: string;
}
const BLANK: Draft = { texts: NO_READINGS, glucoseContext: null, mood: '', falls: null, medication: null, notes: '' };

export default function CheckFormScreen({ residentId }: { residentId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const detail = useObservable(() => observeResident(residentId), [residentId]);
  const thresholds = useObservable(observeThresholds, []);
  const [id] = useState(newId);
  const { draft, update, setDirty } = useDraft(
    () => BLANK,
    null,
    () => BLANK,
  );
  const { busy, errors, failure, save } = useFormSave(i18n, setDirty);
  const { texts, glucoseContext } = draft;
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

  if (detail === undefined) return <Loading />;
  if (detail === null) return <Missing>{t('resident.notFound')}</Missing>;
  const back = `/residents/${residentId}`;
  if (!detail.consentActive) {
    // consent is asked right where the check begins; once recorded, the form opens here
    return (
      <main class="screen">
        <BackLink href={back} />
        <h1>
          {t('check.newTitle')} · {detail.resident.name}
        </h1>
        <p>{t('check.consentFirst')}</p>
        <ConsentSection resident={detail.resident} />
      </main>
    );
  }
  function submit(e: Event) {
    e.preventDefault();
    const { mood, falls, medication, notes } = draft;
    save(
      () => saveHealthCheck({ id, residentId, ...readings, mood, falls, medication, notes }),
      () => navigate(`/checks/${id}`, true),
    );
  }
  const taken = Object.values(readings).filter((v) => v !== null).length;
  return (
    <main class="screen">
      <BackLink href={back} />
      <h1>
        {t('check.newTitle')} · {detail.resident.name}
      </h1>
      <form onSubmit={submit} noValidate>
        <ReadingFields
          texts={texts}
          glucoseContext={glucoseContext}
          errors={errors}
          onText={(k, text) => update({ texts: { ...texts, [k]: text } })}
          onGlucoseContext={(c) => update({ glucoseContext: c })}
        />
        <Alert text={errors.form ? t(errors.form) : undefined} />
        {preview && preview.flags.length + taken > 0 ? (
          <div aria-live="polite" data-testid="flag-preview">
            <FlagList flags={preview.flags} level={preview.level} />
          </div>
        ) : null}
        <details class="group">
          <summary>{t('check.othersTitle')}</summary>
          <TextField id="mood" label={t('check.mood')} optional value={draft.mood} onChange={(mood) => update({ mood })} max={200} />
          <Choice
            name="falls"
            legend={t('check.falls')}
            options={FALLS}
            label={(f) => t(`falls.${f}`)}
            value={draft.falls}
            onChange={(falls) => update({ falls })}
          />
          <Choice
            name="medication"
            legend={t('check.medication')}
            options={MEDICATION}
            label={(m) => t(`medication.${m}`)}
            value={draft.medication}
            onChange={(medication) => update({ medication })}
            layout="grid"
          />
          <TextField
            id="check-notes"
            label={t('check.notes')}
            optional
            rows={2}
            value={draft.notes}
            onChange={(notes) => update({ notes })}
            max={1000}
          />
        </details>
        <FormFooter failure={failure} busy={busy} cancelHref={back} />
      </form>
    </main>
  );
}
