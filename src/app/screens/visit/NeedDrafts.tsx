/**
 * The needs found at the door, each routed at once: policy matters to a named department,
 * the rest to the volunteers — the suggested route follows the category until the worker
 * chooses one.
 */
import { useEffect, useRef } from 'preact/hooks';
import { newId, type FieldErrors, type NeedInput } from '../../../data/index.ts';
import { NEED_CATEGORIES, NEED_ROUTES, NEED_URGENCIES, suggestedRoute } from '../../../shared/need.ts';
import { Choice } from '../../components/Choices.tsx';
import { TextField } from '../../components/Field.tsx';
import { useI18n } from '../../i18n.tsx';

export type NeedDraft = NeedInput & { routeChosen: boolean };

export function blankNeed(): NeedDraft {
  return { id: newId(), category: 'other', urgency: 'normal', description: '', route: 'volunteers', department: '', routeChosen: false };
}

function NeedDraftFields({
  n,
  i,
  errors,
  onChange,
  onRemove,
}: {
  n: NeedDraft;
  i: number;
  errors: FieldErrors;
  onChange: (patch: Partial<NeedDraft>) => void;
  onRemove: () => void;
}) {
  const { t } = useI18n();
  return (
    <div class="subform" role="group" aria-label={t('visit.needN', { n: i + 1 })}>
      <h3>{t('visit.needN', { n: i + 1 })}</h3>
      <Choice
        name={`need-${i}-category`}
        legend={t('need.category')}
        options={NEED_CATEGORIES}
        label={(c) => t(`needCat.${c}`)}
        value={n.category}
        onChange={(category) => onChange({ category, ...(n.routeChosen ? {} : { route: suggestedRoute(category) }) })}
        layout="grid"
        error={errors.category}
      />
      <Choice
        name={`need-${i}-urgency`}
        legend={t('need.urgency')}
        options={NEED_URGENCIES}
        label={(u) => (u === 'urgent' ? `⚠ ${t('urgency.urgent')}` : t(`urgency.${u}`))}
        value={n.urgency}
        onChange={(urgency) => onChange({ urgency })}
      />
      <TextField
        id={`need-${i}-description`}
        label={t('need.description')}
        error={errors.description}
        rows={2}
        value={n.description}
        onChange={(description) => onChange({ description })}
        max={1000}
      />
      <Choice
        name={`need-${i}-route`}
        legend={t('need.route')}
        options={NEED_ROUTES}
        label={(r) => t(`route.${r}`)}
        value={n.route}
        onChange={(route) => onChange({ route, routeChosen: true })}
      />
      {n.route === 'department' ? (
        <TextField
          id={`need-${i}-department`}
          label={t('need.department')}
          error={errors.department}
          value={n.department}
          onChange={(department) => onChange({ department })}
          max={100}
        />
      ) : null}
      <button type="button" class="secondary" onClick={onRemove}>
        🗑 {t('visit.removeNeed')}
      </button>
    </div>
  );
}

export function NeedDrafts({
  needs,
  errors,
  onChange,
}: {
  needs: NeedDraft[];
  errors: FieldErrors[];
  onChange: (needs: NeedDraft[], errors: FieldErrors[]) => void;
}) {
  const { t } = useI18n();
  const box = useRef<HTMLFieldSetElement>(null);
  const count = useRef(needs.length);
  // a need just added comes up under the thumb: its category and words, not the checks below
  useEffect(() => {
    if (needs.length > count.current) box.current?.querySelector('.subform:last-of-type')?.scrollIntoView({ block: 'start' });
    count.current = needs.length;
  }, [needs.length]);
  return (
    <fieldset class="group" data-testid="visit-needs" ref={box}>
      <legend>{t('visit.needsTitle')}</legend>
      {needs.map((n, i) => (
        <NeedDraftFields
          key={n.id}
          n={n}
          i={i}
          errors={errors[i] ?? {}}
          onChange={(patch) =>
            onChange(
              needs.map((m, j) => (j === i ? { ...m, ...patch } : m)),
              errors,
            )
          }
          onRemove={() =>
            onChange(
              needs.filter((_, j) => j !== i),
              errors.filter((_, j) => j !== i),
            )
          }
        />
      ))}
      <button type="button" class="secondary" data-testid="add-need" onClick={() => onChange([...needs, blankNeed()], errors)}>
        {t('visit.addNeed')}
      </button>
    </fieldset>
  );
}
