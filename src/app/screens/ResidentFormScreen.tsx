/** Adding a resident to a household, or correcting one: name, sex, year of birth, conditions, medicines. */
import { useEffect, useState } from 'preact/hooks';
import { newId, observeResident, saveResident } from '../../data/index.ts';
import { SEXES } from '../../shared/household.ts';
import { Choice } from '../components/Choices.tsx';
import { Field } from '../components/Field.tsx';
import { FormFooter } from '../components/FormFooter.tsx';
import { optionalNumber, useDirty, useFormSave } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { Link, navigate } from '../router.tsx';
import { useObservable } from '../use-observable.ts';

interface Draft {
  id: string;
  householdId: string;
  name: string;
  sex: (typeof SEXES)[number] | null;
  birthYear: string;
  conditions: string;
  medicines: string;
}

export default function ResidentFormScreen({ id, householdId }: { id?: string; householdId?: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const existing = useObservable(() => observeResident(id ?? ''), [id]);
  const [draft, setDraft] = useState<Draft>(() => ({
    id: id ?? newId(),
    householdId: householdId ?? '',
    name: '',
    sex: null,
    birthYear: '',
    conditions: '',
    medicines: '',
  }));
  const [loaded, setLoaded] = useState(!id);
  const [dirty, setDirty] = useState(false);
  const { busy, errors, failure, save } = useFormSave(i18n, setDirty);
  useDirty(dirty);

  useEffect(() => {
    if (id && existing && !loaded) {
      const r = existing.resident;
      setDraft({
        id: r.id,
        householdId: r.householdId,
        name: r.name,
        sex: r.sex,
        birthYear: r.birthYear ? String(r.birthYear) : '',
        conditions: r.conditions,
        medicines: r.medicines,
      });
      setLoaded(true);
    }
  }, [existing, id, loaded]);
  if (id && existing === null)
    return (
      <main class="screen">
        <p>{t('resident.notFound')}</p>
      </main>
    );

  const update = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
    setDirty(true);
  };
  const set = (k: 'name' | 'birthYear' | 'conditions' | 'medicines') => (e: Event) => update({ [k]: (e.target as HTMLInputElement).value });

  function submit(e: Event) {
    e.preventDefault();
    save(
      () => saveResident({ ...draft, birthYear: optionalNumber(draft.birthYear) }),
      () => navigate(id ? `/residents/${id}` : `/households/${draft.householdId}`, true),
    );
  }

  const back = id ? `/residents/${id}` : `/households/${draft.householdId}`;
  return (
    <main class="screen">
      <Link href={back} class="back">
        ‹ {t('app.back')}
      </Link>
      <h1>{id ? t('resident.editTitle') : t('resident.newTitle')}</h1>
      <form onSubmit={submit} noValidate>
        <Field id="name" label={t('resident.name')} error={errors.name}>
          {(a) => <input {...a} value={draft.name} onInput={set('name')} maxLength={60} autocomplete="off" />}
        </Field>
        <Choice
          name="sex"
          legend={t('resident.sex')}
          options={SEXES}
          label={(k) => t(`sex.${k}`)}
          value={draft.sex}
          onChange={(sex) => update({ sex })}
          error={errors.sex}
        />
        <Field id="birthYear" label={t('resident.birthYear')} error={errors.birthYear} optional>
          {(a) => <input {...a} inputMode="numeric" value={draft.birthYear} onInput={set('birthYear')} maxLength={4} placeholder="1945" />}
        </Field>
        <Field id="conditions" label={t('resident.conditions')} error={errors.conditions} optional>
          {(a) => <textarea {...a} value={draft.conditions} onInput={set('conditions')} rows={2} maxLength={500} />}
        </Field>
        <Field id="medicines" label={t('resident.medicines')} error={errors.medicines} optional>
          {(a) => <textarea {...a} value={draft.medicines} onInput={set('medicines')} rows={2} maxLength={500} />}
        </Field>
        <FormFooter failure={failure} busy={busy} cancelHref={back} />
      </form>
    </main>
  );
}
