/**
 * Recording a visit in a few taps — kind, outcome, the safety checks, what was seen — and the
 * needs found at the door, each routed at once: policy matters to a named department, the
 * rest to the volunteers (the worker can change either). One save writes them all.
 */
import { useState } from 'preact/hooks';
import { newId, observeHousehold, recordVisit, type FieldErrors, type NeedInput } from '../../data/index.ts';
import { NEED_CATEGORIES, NEED_ROUTES, NEED_URGENCIES, suggestedRoute } from '../../shared/need.ts';
import { SAFETY_ITEMS, SAFETY_RESULTS, VISIT_KINDS, VISIT_OUTCOMES, type SafetyItem, type Visit } from '../../shared/visit.ts';
import { Choice } from '../components/Choices.tsx';
import { Field } from '../components/Field.tsx';
import { FormFooter } from '../components/FormFooter.tsx';
import { addressText, useDirty, useFormSave } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { Link, navigate } from '../router.tsx';
import { useObservable } from '../use-observable.ts';

type NeedDraft = NeedInput & { routeChosen: boolean };

function blankNeed(): NeedDraft {
  return { id: newId(), category: 'other', urgency: 'normal', description: '', route: 'volunteers', department: '', routeChosen: false };
}

export default function VisitFormScreen({ householdId }: { householdId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const household = useObservable(() => observeHousehold(householdId), [householdId]);
  const [id] = useState(newId);
  const [kind, setKind] = useState<Visit['kind']>('routine');
  const [outcome, setOutcome] = useState<Visit['outcome'] | null>(null);
  const [safety, setSafety] = useState<Record<SafetyItem, Visit['gas']>>({
    gas: 'notChecked',
    wiring: 'notChecked',
    smokeAlarm: 'notChecked',
    walkways: 'notChecked',
  });
  const [notes, setNotes] = useState('');
  const [followUpOn, setFollowUpOn] = useState('');
  const [needs, setNeeds] = useState<NeedDraft[]>([]);
  const [needErrors, setNeedErrors] = useState<FieldErrors[]>([]);
  const [dirty, setDirty] = useState(false);
  const { busy, errors, failure, save } = useFormSave(i18n, setDirty);
  useDirty(dirty);

  if (household === null)
    return (
      <main class="screen">
        <p>{t('household.notFound')}</p>
      </main>
    );
  const touch = () => setDirty(true);
  const updateNeed = (i: number, patch: Partial<NeedDraft>) => {
    setNeeds(needs.map((n, j) => (j === i ? { ...n, ...patch } : n)));
    touch();
  };

  function submit(e: Event) {
    e.preventDefault();
    save(
      () =>
        recordVisit({
          id,
          householdId,
          kind,
          // no outcome chosen: the schema answers "choose from the list" next to the buttons
          outcome: outcome as Visit['outcome'],
          ...safety,
          notes,
          followUpOn: followUpOn || null,
          needs: needs.map(({ routeChosen: _chosen, ...n }) => n),
        }),
      () => navigate(`/households/${householdId}`, true),
      (refused) => setNeedErrors(refused.needErrors),
    );
  }

  return (
    <main class="screen">
      <Link href={`/households/${householdId}`} class="back">
        ‹ {t('app.back')}
      </Link>
      <h1>{t('visit.newTitle')}</h1>
      {household ? (
        <p>
          {household.household.headName} · {addressText(household.household, i18n)}
        </p>
      ) : null}
      <form onSubmit={submit} noValidate>
        <Choice
          name="kind"
          legend={t('visit.kind')}
          options={VISIT_KINDS}
          label={(k) => t(`visitKind.${k}`)}
          value={kind}
          onChange={(k) => (setKind(k), touch())}
          layout="grid"
          error={errors.kind}
        />
        <Choice
          name="outcome"
          legend={t('visit.outcome')}
          options={VISIT_OUTCOMES}
          label={(k) => t(`visitOutcome.${k}`)}
          value={outcome}
          onChange={(o) => (setOutcome(o), touch())}
          error={errors.outcome}
        />
        <fieldset class="group">
          <legend>{t('visit.safetyTitle')}</legend>
          {SAFETY_ITEMS.map((item) => (
            <Choice
              key={item}
              name={`safety-${item}`}
              legend={t(`safety.${item}`)}
              options={SAFETY_RESULTS}
              label={(r) =>
                r === 'problem' ? `⚠ ${t(`safetyResult.${r}`)}` : r === 'ok' ? `✓ ${t(`safetyResult.${r}`)}` : t(`safetyResult.${r}`)
              }
              value={safety[item]}
              onChange={(r) => (setSafety({ ...safety, [item]: r }), touch())}
            />
          ))}
        </fieldset>
        <Field id="notes" label={t('visit.notes')} error={errors.notes} optional>
          {(a) => (
            <textarea
              {...a}
              value={notes}
              onInput={(e) => (setNotes((e.target as HTMLTextAreaElement).value), touch())}
              rows={3}
              maxLength={2000}
            />
          )}
        </Field>
        <Field id="followUpOn" label={t('visit.followUpOn')} error={errors.followUpOn} optional>
          {(a) => (
            <input {...a} type="date" value={followUpOn} onInput={(e) => (setFollowUpOn((e.target as HTMLInputElement).value), touch())} />
          )}
        </Field>

        <fieldset class="group" data-testid="visit-needs">
          <legend>{t('visit.needsTitle')}</legend>
          {needs.map((n, i) => {
            const err = needErrors[i] ?? {};
            return (
              <div key={n.id} class="subform" role="group" aria-label={t('visit.needN', { n: i + 1 })}>
                <h3>{t('visit.needN', { n: i + 1 })}</h3>
                <Choice
                  name={`need-${i}-category`}
                  legend={t('need.category')}
                  options={NEED_CATEGORIES}
                  label={(c) => t(`needCat.${c}`)}
                  value={n.category}
                  onChange={(category) => updateNeed(i, { category, ...(n.routeChosen ? {} : { route: suggestedRoute(category) }) })}
                  layout="grid"
                  error={err.category}
                />
                <Choice
                  name={`need-${i}-urgency`}
                  legend={t('need.urgency')}
                  options={NEED_URGENCIES}
                  label={(u) => (u === 'urgent' ? `⚠ ${t('urgency.urgent')}` : t(`urgency.${u}`))}
                  value={n.urgency}
                  onChange={(urgency) => updateNeed(i, { urgency })}
                />
                <Field id={`need-${i}-description`} label={t('need.description')} error={err.description}>
                  {(a) => (
                    <textarea
                      {...a}
                      value={n.description}
                      onInput={(e) => updateNeed(i, { description: (e.target as HTMLTextAreaElement).value })}
                      rows={2}
                      maxLength={1000}
                    />
                  )}
                </Field>
                <Choice
                  name={`need-${i}-route`}
                  legend={t('need.route')}
                  options={NEED_ROUTES}
                  label={(r) => t(`route.${r}`)}
                  value={n.route}
                  onChange={(route) => updateNeed(i, { route, routeChosen: true })}
                />
                {n.route === 'department' ? (
                  <Field id={`need-${i}-department`} label={t('need.department')} error={err.department}>
                    {(a) => (
                      <input
                        {...a}
                        value={n.department}
                        onInput={(e) => updateNeed(i, { department: (e.target as HTMLInputElement).value })}
                        maxLength={100}
                      />
                    )}
                  </Field>
                ) : null}
                <button
                  type="button"
                  class="secondary"
                  onClick={() => (setNeeds(needs.filter((_, j) => j !== i)), setNeedErrors(needErrors.filter((_, j) => j !== i)))}
                >
                  🗑 {t('visit.removeNeed')}
                </button>
              </div>
            );
          })}
          <button type="button" class="secondary" onClick={() => (setNeeds([...needs, blankNeed()]), touch())}>
            {t('visit.addNeed')}
          </button>
        </fieldset>
        <FormFooter failure={failure} busy={busy} cancelHref={`/households/${householdId}`} />
      </form>
    </main>
  );
}
