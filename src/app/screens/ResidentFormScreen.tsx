/** Adding a resident to a household, or correcting one: name, sex, year of birth, conditions, medicines. */
import { newId, observeResident, saveResident, type ResidentDetail } from '../../data/index.ts';
import { SEXES } from '../../shared/household.ts';
import { Choice } from '../components/Choices.tsx';
import { TextField } from '../components/Field.tsx';
import { FormFooter } from '../components/FormFooter.tsx';
import { BackLink, Missing } from '../components/ScreenState.tsx';
import { optionalNumber, useFormSave } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { navigate } from '../router.tsx';
import { useDraft } from '../use-draft.ts';
import { useObservable } from '../use-observable.ts';

interface Draft {
  id: string;
  householdId: string;
  name: string;
  sex: (typeof SEXES)[number] | null;
  birthYear: string;
  conditions: string;
  medicines: string;
  phone: string;
  dialect: string;
  relation: string;
}

function fromResident({ resident: r }: ResidentDetail): Draft {
  const { id, householdId, name, sex, conditions, medicines, phone, dialect, relation } = r;
  return { id, householdId, name, sex, birthYear: r.birthYear ? String(r.birthYear) : '', conditions, medicines, phone, dialect, relation };
}

export default function ResidentFormScreen({ id, householdId }: { id?: string; householdId?: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const existing = useObservable(() => observeResident(id ?? ''), [id]);
  const blank = (): Draft => ({
    id: id ?? newId(),
    householdId: householdId ?? '',
    name: '',
    sex: null,
    birthYear: '',
    conditions: '',
    medicines: '',
    phone: '',
    dialect: '',
    relation: '',
  });
  const { draft, update, setDirty } = useDraft(blank, existing, fromResident);
  const { busy, errors, failure, save } = useFormSave(i18n, setDirty);
  if (id && existing === null) return <Missing>{t('resident.notFound')}</Missing>;

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
      <BackLink href={back} />
      <h1>{id ? t('resident.editTitle') : t('resident.newTitle')}</h1>
      <form onSubmit={submit} noValidate>
        <TextField
          id="name"
          label={t('resident.name')}
          error={errors.name}
          value={draft.name}
          onChange={(name) => update({ name })}
          max={60}
          autocomplete="off"
        />
        <Choice
          name="sex"
          legend={t('resident.sex')}
          options={SEXES}
          label={(k) => t(`sex.${k}`)}
          value={draft.sex}
          onChange={(sex) => update({ sex })}
          error={errors.sex}
        />
        <TextField
          id="birthYear"
          label={t('resident.birthYear')}
          error={errors.birthYear}
          optional
          inputMode="numeric"
          value={draft.birthYear}
          onChange={(birthYear) => update({ birthYear })}
          max={4}
          placeholder="1945"
        />
        <TextField
          id="relation"
          label={t('resident.relation')}
          error={errors.relation}
          optional
          value={draft.relation}
          onChange={(relation) => update({ relation })}
          max={20}
          placeholder={t('resident.relationHint')}
        />
        <TextField
          id="phone"
          label={t('resident.phone')}
          error={errors.phone}
          optional
          type="tel"
          value={draft.phone}
          onChange={(phone) => update({ phone })}
          max={20}
        />
        <TextField
          id="dialect"
          label={t('resident.dialect')}
          error={errors.dialect}
          optional
          value={draft.dialect}
          onChange={(dialect) => update({ dialect })}
          max={40}
        />
        <TextField
          id="conditions"
          label={t('resident.conditions')}
          error={errors.conditions}
          optional
          rows={2}
          value={draft.conditions}
          onChange={(conditions) => update({ conditions })}
          max={500}
        />
        <TextField
          id="medicines"
          label={t('resident.medicines')}
          error={errors.medicines}
          optional
          rows={2}
          value={draft.medicines}
          onChange={(medicines) => update({ medicines })}
          max={500}
        />
        <FormFooter failure={failure} busy={busy} cancelHref={back} />
      </form>
    </main>
  );
}
