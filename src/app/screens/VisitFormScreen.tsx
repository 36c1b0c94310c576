/**
 * Recording a visit in a few taps — kind, outcome (见到了 chosen already), the needs found at
 * the door (visit/NeedDrafts), the safety checks one row each with "all fine" in one tap
 * (visit/SafetyChecks), what was seen. One save writes them all, validated together.
 */
import { useState } from 'preact/hooks';
import { newId, observeHousehold, recordVisit, type FieldErrors } from '../../data/index.ts';
import { VISIT_KINDS, VISIT_OUTCOMES, type Visit } from '../../shared/visit.ts';
import { Choice } from '../components/Choices.tsx';
import { SelectField, TextField } from '../components/Field.tsx';
import { FormFooter } from '../components/FormFooter.tsx';
import { BackLink, Missing } from '../components/ScreenState.tsx';
import { addressText, useFormSave } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { navigate } from '../router.tsx';
import { useDraft } from '../use-draft.ts';
import { useObservable } from '../use-observable.ts';
import { NeedDrafts, type NeedDraft } from './visit/NeedDrafts.tsx';
import { NOT_CHECKED, SafetyChecks, type Safety } from './visit/SafetyChecks.tsx';

interface Draft {
  kind: Visit['kind'];
  outcome: Visit['outcome'] | null;
  safety: Safety;
  notes: string;
  followUpOn: string;
  needs: NeedDraft[];
}

export default function VisitFormScreen({ householdId }: { householdId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const household = useObservable(() => observeHousehold(householdId), [householdId]);
  const [id] = useState(newId);
  // most doors open: 见到了 is chosen already, as the kind is (issue 25, item 5)
  const blank = (): Draft => ({ kind: 'routine', outcome: 'met', safety: NOT_CHECKED, notes: '', followUpOn: '', needs: [] });
  const { draft, update, setDirty } = useDraft(blank, null, blank);
  const [needErrors, setNeedErrors] = useState<FieldErrors[]>([]);
  const { busy, errors, failure, save } = useFormSave(i18n, setDirty);
  if (household === null) return <Missing>{t('household.notFound')}</Missing>;

  function submit(e: Event) {
    e.preventDefault();
    const { kind, outcome, safety, notes, followUpOn, needs } = draft;
    save(
      // no outcome chosen: the schema answers "choose from the list" next to the buttons
      () =>
        recordVisit({
          id,
          householdId,
          kind,
          outcome: outcome as Visit['outcome'],
          ...safety,
          notes,
          followUpOn: followUpOn || null,
          needs: needs.map(({ routeChosen: _, ...n }) => n),
        }),
      () => navigate(`/households/${householdId}`, true),
      (refused) => setNeedErrors(refused.needErrors),
    );
  }
  const back = `/households/${householdId}`;
  return (
    <main class="screen">
      <BackLink href={back} />
      <h1>{t('visit.newTitle')}</h1>
      {household ? (
        <p>
          {household.household.headName} · {addressText(household.household, i18n)}
        </p>
      ) : null}
      <form onSubmit={submit} noValidate>
        {/* chosen already and seldom changed: one line, not five tiles above the needs */}
        <SelectField
          id="kind"
          label={t('visit.kind')}
          options={VISIT_KINDS}
          optionLabel={(k) => t(`visitKind.${k}`)}
          value={draft.kind}
          onChange={(kind) => kind && update({ kind })}
          error={errors.kind}
        />
        <Choice
          name="outcome"
          legend={t('visit.outcome')}
          options={VISIT_OUTCOMES}
          label={(k) => t(`visitOutcome.${k}`)}
          value={draft.outcome}
          onChange={(outcome) => update({ outcome })}
          error={errors.outcome}
        />
        {/* the needs come before the checks and notes: the reason for a visit is never two screens down */}
        <NeedDrafts needs={draft.needs} errors={needErrors} onChange={(needs, next) => (update({ needs }), setNeedErrors(next))} />
        <SafetyChecks value={draft.safety} onChange={(safety) => update({ safety })} />
        <TextField
          id="notes"
          label={t('visit.notes')}
          error={errors.notes}
          optional
          rows={3}
          value={draft.notes}
          onChange={(notes) => update({ notes })}
          max={2000}
        />
        <TextField
          id="followUpOn"
          label={t('visit.followUpOn')}
          error={errors.followUpOn}
          optional
          type="date"
          value={draft.followUpOn}
          onChange={(followUpOn) => update({ followUpOn })}
          max={10}
        />
        <FormFooter failure={failure} busy={busy} cancelHref={back} />
      </form>
    </main>
  );
}
