/**
 * Registering a household — or correcting one. The grid is chosen from the team's list
 * (household/GridPicker); what must be filled is marked before save; what may wait (dialect,
 * translator, emergency contact, family doctor, notes) is folded under one line; a new
 * household can register its head as its first resident, for health checks. Before a new
 * household is saved, the phone looks for one at the same dwelling (household/SameAddress)
 * and says so: duplicate households are the plague of field apps.
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
import { GridPicker, rememberGrid } from './household/GridPicker.tsx';
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
  'doctorName',
  'doctorPhone',
  'notes',
] as const;
type TextKey = (typeof TEXT_KEYS)[number];
type Draft = Record<TextKey, string> & { id: string; tags: HouseholdTag[]; visitIntervalDays: string; headAsResident: boolean };

function blank(id: string): Draft {
  const texts = Object.fromEntries(TEXT_KEYS.map((k) => [k, ''])) as Record<TextKey, string>;
  return { ...texts, id, tags: [], visitIntervalDays: String(DEFAULT_VISIT_INTERVAL_DAYS), headAsResident: true };
}

function fromHousehold({ household: h }: HouseholdDetail): Draft {
  const texts = Object.fromEntries(TEXT_KEYS.map((k) => [k, h[k]])) as Record<TextKey, string>;
  return { ...texts, id: h.id, tags: h.tags, visitIntervalDays: String(h.visitIntervalDays), headAsResident: false };
}

/** The fields folded under "more": what may wait until the second visit. */
const MORE: readonly TextKey[] = [
  'dialect',
  'translator',
  'translatorPhone',
  'emergencyName',
  'emergencyPhone',
  'emergencyRelation',
  'doctorName',
  'doctorPhone',
  'notes',
];

/** Each text field: its label key, length, and whether it may stay empty. */
const FIELDS: Record<TextKey, { max: number; optional?: boolean; type?: 'tel'; rows?: number }> = {
  gridCode: { max: 20 },
  compound: { max: 100, optional: true },
  building: { max: 20 },
  unit: { max: 20, optional: true },
  room: { max: 20 },
  headName: { max: 60 },
  doctorName: { max: 60, optional: true },
  doctorPhone: { max: 20, optional: true, type: 'tel' },
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
  // made when the form opens, like the household's: a double save registers the head once
  const [headResidentId] = useState(newId);
  if (id && existing === null) return <Missing>{t('household.notFound')}</Missing>;

  function submit(e: Event) {
    e.preventDefault();
    if (!id && same.length > 0 && !sameConfirmed) return document.getElementById('same-address')?.focus();
    const { visitIntervalDays, headAsResident, ...fields } = draft;
    save(
      () =>
        saveHousehold({
          ...fields,
          visitIntervalDays: optionalNumber(visitIntervalDays) ?? Number.NaN,
          ...(!id && headAsResident ? { headResidentId } : {}),
        }),
      () => (rememberGrid(draft.gridCode), navigate(`/households/${draft.id}`, true)),
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
        required={!f.optional && k !== 'gridCode'}
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
        <GridPicker value={draft.gridCode} onChange={(gridCode) => update({ gridCode })} error={errors.gridCode} isNew={!id} />
        {text('compound')}
        <div class="form-row address-row">
          {text('building')}
          {text('unit')}
          {text('room')}
        </div>
        <SameAddress same={same} isNew={!id} confirmed={sameConfirmed} onConfirm={setSameConfirmed} />
        {text('headName')}
        {text('phone')}
        {!id ? (
          <label class={`choice${draft.headAsResident ? ' chosen' : ''}`}>
            <input type="checkbox" checked={draft.headAsResident} onChange={() => update({ headAsResident: !draft.headAsResident })} />
            <span>{t('household.headAsResident')}</span>
          </label>
        ) : null}
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
        <details class="group" open={MORE.some((k) => errors[k]) || undefined}>
          <summary>{t('household.moreFields')}</summary>
          {text('dialect')}
          {text('translator')}
          {text('translatorPhone')}
          <fieldset class="group">
            <legend>{t('household.emergencyTitle')}</legend>
            {text('emergencyName')}
            {text('emergencyPhone')}
            {text('emergencyRelation')}
          </fieldset>
          <fieldset class="group">
            <legend>{t('household.doctorTitle')}</legend>
            {text('doctorName')}
            {text('doctorPhone')}
          </fieldset>
          {text('notes')}
        </details>
        <FormFooter failure={failure} busy={busy} cancelHref={back} />
      </form>
    </main>
  );
}
