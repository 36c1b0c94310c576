/**
 * Intake: take an item in at an event in a few taps — a category button, the problem in the
 * resident's words, optionally who brought it — or correct those details later. The number
 * (`B-017`) is given when the ticket is first saved and never changes; the ticket screen then
 * shows it large for the paper tag.
 */
import { useEffect, useState } from 'preact/hooks';
import {
  deleteRepairRecord,
  newId,
  observeSession,
  observeTicket,
  saveRepairTicket,
  syncSoon,
  type TicketDraft,
} from '../../data/index.ts';
import { isMiscCategory, REPAIR_CATEGORY_KEYS, type RepairCategoryKey } from '../../shared/repair-impact.ts';
import { DeleteButton } from '../components/DeleteButton.tsx';
import { Field } from '../components/Field.tsx';
import { FormFooter } from '../components/FormFooter.tsx';
import { failureMessage, optionalNumber, useDirty, useFormSave } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { Link, navigate } from '../router.tsx';
import { useObservable } from '../use-observable.ts';
import { Alert } from '../components/Alert.tsx';

interface IntakeDraft {
  id: string;
  eventId: string | null;
  category: RepairCategoryKey | '';
  problem: string;
  residentName: string;
  residentPhone: string;
  item: string;
  brand: string;
  model: string;
  ageYears: string;
  weightKg: string;
}

export default function TicketFormScreen({ id, eventId }: { id?: string; eventId?: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const existing = useObservable(() => observeTicket(id ?? ''), [id]);
  const session = useObservable(observeSession, []);
  const [draft, setDraft] = useState<IntakeDraft>(() => ({
    id: id ?? newId(),
    eventId: eventId ?? null,
    category: '',
    problem: '',
    residentName: '',
    residentPhone: '',
    item: '',
    brand: '',
    model: '',
    ageYears: '',
    weightKg: '',
  }));
  const [loaded, setLoaded] = useState(!id);
  const [dirty, setDirty] = useState(false);
  const { busy, errors, failure, setFailure, save } = useFormSave(i18n, setDirty);
  useDirty(dirty);

  useEffect(() => {
    if (id && existing && !loaded) {
      const tk = existing.ticket;
      setDraft({
        id: tk.id,
        eventId: tk.eventId,
        category: tk.category,
        problem: tk.problem,
        residentName: tk.residentName,
        residentPhone: tk.residentPhone,
        item: tk.item,
        brand: tk.brand,
        model: tk.model,
        ageYears: tk.ageYears === null ? '' : String(tk.ageYears),
        weightKg: tk.weightKg === null ? '' : String(tk.weightKg),
      });
      setLoaded(true);
    }
  }, [existing, id, loaded]);

  if (id && existing === null)
    return (
      <main class="screen">
        <p>{t('ticket.notFound')}</p>
      </main>
    );
  const noLetter = !id && session !== undefined && !session.deviceLetter;

  const update = (patch: Partial<IntakeDraft>) => {
    setDraft({ ...draft, ...patch });
    setDirty(true);
  };
  const set = (k: keyof IntakeDraft) => (e: Event) => update({ [k]: (e.target as HTMLInputElement).value });

  function submit(e: Event) {
    e.preventDefault();
    const ticket: TicketDraft = {
      id: draft.id,
      eventId: draft.eventId,
      // '' is not a category: the schema answers "choose from the list" next to the buttons
      category: draft.category as RepairCategoryKey,
      problem: draft.problem,
      residentName: draft.residentName,
      residentPhone: draft.residentPhone,
      item: draft.item,
      brand: draft.brand,
      model: draft.model,
      ageYears: optionalNumber(draft.ageYears),
      weightKg: optionalNumber(draft.weightKg),
    };
    save(
      () => saveRepairTicket(ticket),
      () => {
        if (id) history.back();
        else navigate(`/tickets/${draft.id}?new=1`, true);
      },
    );
  }

  const back = id ? `/tickets/${id}` : draft.eventId ? `/events/${draft.eventId}` : '/';
  const misc = draft.category !== '' && isMiscCategory(draft.category);
  return (
    <main class="screen">
      <Link href={back} class="back">
        ‹ {t('app.back')}
      </Link>
      <h1>{id ? t('ticket.editTitle') : t('ticket.newTitle')}</h1>
      {existing ? (
        <p class="ticket-number" data-testid="ticket-number">
          {t('ticket.number')} {existing.ticket.number}
        </p>
      ) : null}
      {noLetter ? (
        <p class="notice notice-warn" role="alert">
          ⚠ {t('ticket.noLetter')}
        </p>
      ) : null}
      <form onSubmit={submit} noValidate>
        <fieldset
          class={`choice-grid${errors.category ? ' field-invalid' : ''}`}
          aria-describedby={errors.category ? 'category-error' : undefined}
        >
          <legend>{t('ticket.category')}</legend>
          {REPAIR_CATEGORY_KEYS.map((key, i) => (
            <label key={key} class={`choice${draft.category === key ? ' chosen' : ''}`}>
              <input
                type="radio"
                name="category"
                value={key}
                checked={draft.category === key}
                aria-invalid={Boolean(errors.category) && i === 0}
                onChange={() => update({ category: key })}
              />
              <span>{t(`cat.${key}`)}</span>
            </label>
          ))}
          <Alert id="category-error" text={errors.category ? t(errors.category) : undefined} />
        </fieldset>
        {misc ? (
          <Field id="weightKg" label={t('ticket.weightKg')} error={errors.weightKg} hint={t('ticket.weightHint')} optional>
            {(a) => <input {...a} inputMode="decimal" value={draft.weightKg} onInput={set('weightKg')} maxLength={6} />}
          </Field>
        ) : null}
        <Field id="problem" label={t('ticket.problem')} error={errors.problem}>
          {(a) => <textarea {...a} value={draft.problem} onInput={set('problem')} rows={3} maxLength={1000} />}
        </Field>
        <fieldset class="group">
          <legend>{t('ticket.residentTitle')}</legend>
          <Field id="residentName" label={t('ticket.residentName')} error={errors.residentName} optional>
            {(a) => <input {...a} value={draft.residentName} onInput={set('residentName')} maxLength={60} autocomplete="off" />}
          </Field>
          <Field id="residentPhone" label={t('ticket.residentPhone')} error={errors.residentPhone} optional>
            {(a) => (
              <input
                {...a}
                type="tel"
                inputMode="tel"
                value={draft.residentPhone}
                onInput={set('residentPhone')}
                maxLength={20}
                autocomplete="off"
              />
            )}
          </Field>
        </fieldset>
        <details class="group" open={Boolean(errors.item || errors.brand || errors.model || errors.ageYears) || undefined}>
          <summary>{t('ticket.more')}</summary>
          <Field id="item" label={t('ticket.item')} error={errors.item} optional>
            {(a) => <input {...a} value={draft.item} onInput={set('item')} maxLength={100} />}
          </Field>
          <Field id="brand" label={t('ticket.brand')} error={errors.brand} optional>
            {(a) => <input {...a} value={draft.brand} onInput={set('brand')} maxLength={60} />}
          </Field>
          <Field id="model" label={t('ticket.model')} error={errors.model} optional>
            {(a) => <input {...a} value={draft.model} onInput={set('model')} maxLength={60} />}
          </Field>
          <Field id="ageYears" label={t('ticket.ageYears')} error={errors.ageYears} optional>
            {(a) => <input {...a} inputMode="decimal" value={draft.ageYears} onInput={set('ageYears')} maxLength={5} />}
          </Field>
        </details>
        <FormFooter failure={failure} busy={busy} cancelHref={back} disabled={noLetter} />
      </form>
      {id && existing ? (
        <DeleteButton
          onConfirm={async () => {
            try {
              await deleteRepairRecord('repairTicket', id);
              syncSoon();
              navigate(existing.ticket.eventId ? `/events/${existing.ticket.eventId}` : '/', true);
            } catch (err) {
              setFailure(failureMessage(err, i18n));
            }
          }}
        />
      ) : null}
    </main>
  );
}
