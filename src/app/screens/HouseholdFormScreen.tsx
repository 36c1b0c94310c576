/**
 * Registering a household — or correcting one. Before a new household is saved, the phone
 * looks for one at the same dwelling (however the address was typed), on this phone or
 * already synced to it, and says so: duplicate households are the plague of field apps.
 */
import { useEffect, useState } from 'preact/hooks';
import { householdsAtAddress, newId, observeHousehold, saveHousehold, type HouseholdDraft } from '../../data/index.ts';
import { DEFAULT_VISIT_INTERVAL_DAYS } from '../../shared/record-defaults.ts';
import { HOUSEHOLD_TAGS, type Household, type HouseholdTag } from '../../shared/household.ts';
import { MultiChoice } from '../components/Choices.tsx';
import { Field } from '../components/Field.tsx';
import { FormFooter } from '../components/FormFooter.tsx';
import { addressText, optionalNumber, useDirty, useFormSave } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { Link, navigate } from '../router.tsx';
import { useObservable } from '../use-observable.ts';

type TextKey =
  | 'gridCode'
  | 'compound'
  | 'building'
  | 'unit'
  | 'room'
  | 'headName'
  | 'phone'
  | 'dialect'
  | 'translator'
  | 'emergencyName'
  | 'emergencyPhone'
  | 'emergencyRelation'
  | 'notes';
type Draft = Record<TextKey, string> & { id: string; tags: HouseholdTag[]; visitIntervalDays: string };

const EMPTY: Omit<Draft, 'id'> = {
  gridCode: '',
  compound: '',
  building: '',
  unit: '',
  room: '',
  headName: '',
  phone: '',
  dialect: '',
  translator: '',
  emergencyName: '',
  emergencyPhone: '',
  emergencyRelation: '',
  notes: '',
  tags: [],
  visitIntervalDays: String(DEFAULT_VISIT_INTERVAL_DAYS),
};

export default function HouseholdFormScreen({ id }: { id?: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const existing = useObservable(() => observeHousehold(id ?? ''), [id]);
  const [draft, setDraft] = useState<Draft>(() => ({ id: id ?? newId(), ...EMPTY }));
  const [loaded, setLoaded] = useState(!id);
  const [dirty, setDirty] = useState(false);
  const { busy, errors, failure, save } = useFormSave(i18n, setDirty);
  const [same, setSame] = useState<Household[]>([]);
  const [sameConfirmed, setSameConfirmed] = useState(false);
  useDirty(dirty);

  useEffect(() => {
    if (id && existing && !loaded) {
      const h = existing.household;
      setDraft({
        id: h.id,
        gridCode: h.gridCode,
        compound: h.compound,
        building: h.building,
        unit: h.unit,
        room: h.room,
        headName: h.headName,
        phone: h.phone,
        dialect: h.dialect,
        translator: h.translator,
        emergencyName: h.emergencyName,
        emergencyPhone: h.emergencyPhone,
        emergencyRelation: h.emergencyRelation,
        notes: h.notes,
        tags: h.tags,
        visitIntervalDays: String(h.visitIntervalDays),
      });
      setLoaded(true);
    }
  }, [existing, id, loaded]);

  // the same-address check, as the address is typed
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      void householdsAtAddress(draft, draft.id).then((found) => current && setSame(found));
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [draft.compound, draft.building, draft.unit, draft.room]);

  if (id && existing === null)
    return (
      <main class="screen">
        <p>{t('household.notFound')}</p>
      </main>
    );

  const update = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
    setDirty(true);
  };
  const set = (k: TextKey) => (e: Event) => update({ [k]: (e.target as HTMLInputElement).value });

  function submit(e: Event) {
    e.preventDefault();
    if (!id && same.length > 0 && !sameConfirmed) {
      document.getElementById('same-address')?.focus();
      return;
    }
    const { visitIntervalDays, ...fields } = draft;
    save(
      () => saveHousehold({ ...fields, visitIntervalDays: optionalNumber(visitIntervalDays) ?? Number.NaN } as HouseholdDraft),
      () => navigate(`/households/${draft.id}`, true),
    );
  }

  const text = (k: TextKey, label: string, opts: { optional?: boolean; max: number; type?: string; hint?: string }) => (
    <Field id={k} label={label} error={errors[k]} optional={opts.optional} {...(opts.hint ? { hint: opts.hint } : {})}>
      {(a) => (
        <input
          {...a}
          type={opts.type ?? 'text'}
          inputMode={opts.type === 'tel' ? 'tel' : undefined}
          value={draft[k]}
          onInput={set(k)}
          maxLength={opts.max}
          autocomplete="off"
        />
      )}
    </Field>
  );
  const back = id ? `/households/${id}` : '/households';
  return (
    <main class="screen">
      <Link href={back} class="back">
        ‹ {t('app.back')}
      </Link>
      <h1>{id ? t('household.editTitle') : t('household.newTitle')}</h1>
      <form onSubmit={submit} noValidate>
        {text('gridCode', t('household.gridCode'), { max: 20 })}
        {text('compound', t('household.compound'), { max: 100, optional: true })}
        <div class="form-row">
          {text('building', t('household.building'), { max: 20 })}
          {text('unit', t('household.unit'), { max: 20, optional: true })}
          {text('room', t('household.room'), { max: 20 })}
        </div>
        {same.length > 0 ? (
          <div class="notice notice-warn" id="same-address" tabIndex={-1} role="alert" data-testid="same-address">
            {same.map((h) => (
              <p key={h.id}>
                ⚠ {t('household.sameAddress', { name: h.headName, address: addressText(h, i18n) })}{' '}
                <Link href={`/households/${h.id}`}>{t('household.openExisting')}</Link>
              </p>
            ))}
            {!id ? (
              <label class="choice">
                <input type="checkbox" checked={sameConfirmed} onChange={() => setSameConfirmed(!sameConfirmed)} />
                <span>{t('household.createAnyway')}</span>
              </label>
            ) : null}
          </div>
        ) : null}
        {text('headName', t('household.headName'), { max: 60 })}
        {text('phone', t('household.phone'), { max: 20, optional: true, type: 'tel' })}
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
        <Field id="visitIntervalDays" label={t('household.visitInterval')} error={errors.visitIntervalDays}>
          {(a) => (
            <input
              {...a}
              inputMode="numeric"
              value={draft.visitIntervalDays}
              onInput={(e) => update({ visitIntervalDays: (e.target as HTMLInputElement).value })}
              maxLength={3}
            />
          )}
        </Field>
        {text('dialect', t('household.dialect'), { max: 40, optional: true })}
        {text('translator', t('household.translator'), { max: 100, optional: true })}
        <fieldset class="group">
          <legend>{t('household.emergencyTitle')}</legend>
          {text('emergencyName', t('household.emergencyName'), { max: 60, optional: true })}
          {text('emergencyPhone', t('household.emergencyPhone'), { max: 20, optional: true, type: 'tel' })}
          {text('emergencyRelation', t('household.emergencyRelation'), { max: 20, optional: true })}
        </fieldset>
        <Field id="notes" label={t('household.notes')} error={errors.notes} optional>
          {(a) => <textarea {...a} value={draft.notes} onInput={set('notes')} rows={3} maxLength={2000} />}
        </Field>
        <FormFooter failure={failure} busy={busy} cancelHref={back} />
      </form>
    </main>
  );
}
