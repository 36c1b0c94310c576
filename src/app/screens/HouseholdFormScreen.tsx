/**
 * Registering a household — or correcting one. Before a new household is saved, the phone
 * looks for one at the same dwelling (household/SameAddress) and says so: duplicate
 * households are the plague of field apps.
 */
import { useState } from 'preact/hooks';
import { newId, observeHousehold, saveHousehold, type HouseholdDetail } from '../../data/index.ts';
import { HOUSEHOLD_TAGS, type HouseholdTag } from '../../shared/household.ts';
import { DEFAULT_VISIT_INTERVAL_DAYS } from '../../shared/record-defaults.ts';
import { MultiChoice } from '../components/Choices.tsx';
import { TextField } from '../components/Field.tsx';
import { FormFooter } from '../components/FormFooter.tsx';
import { BackLink, Missing } from '../components/ScreenState.tsx';
import { optionalNumber, useFormSave } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { navigate } from '../router.tsx';
import { useDraft } from '../use-draft.ts';
import { useObservable } from '../use-observable.ts';
import { SameAddress, useSameAddress } from './household/SameAddress.tsx';

const TEXT_KEYS = [
  'gridCode',
  'compound',
  'building',
  'unit',
  'room',
  'headName',
  'phone',
  'dialect',
  'translator',
  'translatorPhone',
  'emergencyName',
  'emergencyPhone',
  'emergencyRelation',
  'notes',
] as const;
type TextKey = (typeof TEXT_KEYS)[number];
type Draft = Record<TextKey, string> & { id: string; tags: HouseholdTag[]; visitIntervalDays: string };

function blank(id: string): Draft {
  const texts = Object.fromEntries(TEXT_KEYS.map((k) => [k, ''])) as Record<TextKey, string>;
  return { ...texts, id, tags: [], visitIntervalDays: String(DEFAULT_VISIT_INTERVAL_DAYS) };
}

function fromHousehold({ household: h }: HouseholdDetail): Draft {
  const texts = Object.fromEntries(TEXT_KEYS.map((k) => [k, h[k]])) as Record<TextKey, string>;
  return { ...texts, id: h.id, tags: h.tags, visitIntervalDays: String(h.visitIntervalDays) };
}

/** Each text field: its label key, length, and whether it may stay empty. */
const FIELDS: Record<TextKey, { max: number; optional?: boolean; type?: 'tel'; rows?: number }> = {
  gridCode: { max: 20 },
  compound: { max: 100, optional: true },
  building: { max: 20 },
  unit: { max: 20, optional: true },
  room: { max: 20 },
  headName: { max: 60 },
  phone: { max: 20, optional: true, type: 'tel' },
  dialect: { max: 40, optional: true },
  translator: { max: 100, optional: true },
  translatorPhone: { max: 20, optional: true, type: 'tel' },
  emergencyName: { max: 60, optional: true },
  emergencyPhone: { max: 20, optional: true, type: 'tel' },
  emergencyRelation: { max: 20, optional: true },
  notes: { max: 2000, optional: true, rows: 3 },
};

export default function HouseholdFormScreen({ id }: { id?: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const existing = useObservable(() => observeHousehold(id ?? ''), [id]);
  const { draft, update, setDirty } = useDraft(() => blank(id ?? newId()), existing, fromHousehold);
  const { busy, errors, failure, save } = useFormSave(i18n, setDirty);
  const same = useSameAddress(draft);
  const [sameConfirmed, setSameConfirmed] = useState(false);
  if (id && existing === null) return <Missing>{t('household.notFound')}</Missing>;

  function submit(e: Event) {
    e.preventDefault();
    if (!id && same.length > 0 && !sameConfirmed) return document.getElementById('same-address')?.focus();
    const { visitIntervalDays, ...fields } = draft;
    save(
      () => saveHousehold({ ...fields, visitIntervalDays: optionalNumber(visitIntervalDays) ?? Number.NaN }),
      () => navigate(`/households/${draft.id}`, true),
    );
  }

  const text = (k: TextKey) => {
    const f = FIELDS[k];
    return (
      <TextField
        id={k}
        label={t(`household.${k}`)}
        error={errors[k]}
        optional={f.optional}
        type={f.type}
        rows={f.rows}
        value={draft[k]}
        onChange={(v) => update({ [k]: v })}
        max={f.max}
        autocomplete="off"
      />
    );
  };
  const back = id ? `/households/${id}` : '/households';
  return (
    <main class="screen">
      <BackLink href={back} />
      <h1>{id ? t('household.editTitle') : t('household.newTitle')}</h1>
      <form onSubmit={submit} noValidate>
        {text('gridCode')}
        {text('compound')}
        <div class="form-row">
          {text('building')}
          {text('unit')}
          {text('room')}
        </div>
        <SameAddress same={same} isNew={!id} confirmed={sameConfirmed} onConfirm={setSameConfirmed} />
        {text('headName')}
        {text('phone')}
        <MultiChoice
          name="tags"
          legend={t('household.tags')}
          options={HOUSEHOLD_TAGS}
          label={(k) => t(`tag.${k}`)}
          values={draft.tags}
          onChange={(tags) => update({ tags })}
          layout="grid"
          error={errors.tags}
        />
        <TextField
          id="visitIntervalDays"
          label={t('household.visitInterval')}
          error={errors.visitIntervalDays}
          inputMode="numeric"
          value={draft.visitIntervalDays}
          onChange={(visitIntervalDays) => update({ visitIntervalDays })}
          max={3}
        />
        {text('dialect')}
        {text('translator')}
        {text('translatorPhone')}
        <fieldset class="group">
          <legend>{t('household.emergencyTitle')}</legend>
          {text('emergencyName')}
          {text('emergencyPhone')}
          {text('emergencyRelation')}
        </fieldset>
        {text('notes')}
        <FormFooter failure={failure} busy={busy} cancelHref={back} />
      </form>
    </main>
  );
}
