/**
 * Intake: take an item in at an event in a few taps — a category button, the problem in the
 * resident's words, optionally who brought it — or correct those details later. The number
 * (`B-017`) is given when the ticket is first saved and never changes; the ticket screen then
 * shows it large for the paper tag.
 */
import {
  deleteRepairRecord,
  newId,
  observeSession,
  observeTicket,
  saveRepairTicket,
  syncSoon,
  type TicketListItem,
} from '../../data/index.ts';
import { isMiscCategory, isSelfDescribed, type RepairCategoryKey } from '../../shared/repair-impact.ts';
import { DeleteButton } from '../components/DeleteButton.tsx';
import { TextField } from '../components/Field.tsx';
import { FormFooter } from '../components/FormFooter.tsx';
import { BackLink, Missing } from '../components/ScreenState.tsx';
import { failureMessage, optionalNumber, useFormSave } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { navigate } from '../router.tsx';
import { useDraft } from '../use-draft.ts';
import { useObservable } from '../use-observable.ts';
import { CategoryTiles } from './ticket/CategoryTiles.tsx';

const TEXTS = ['problem', 'residentName', 'residentPhone', 'item', 'brand', 'model', 'ageYears', 'weightKg'] as const;
type Text = (typeof TEXTS)[number];
type IntakeDraft = Record<Text, string> & { id: string; eventId: string | null; category: RepairCategoryKey | '' };

function fromTicket({ ticket: tk }: TicketListItem): IntakeDraft {
  const texts = Object.fromEntries(TEXTS.map((k) => [k, tk[k] === null ? '' : String(tk[k])])) as Record<Text, string>;
  return { ...texts, id: tk.id, eventId: tk.eventId, category: tk.category };
}

export default function TicketFormScreen({ id, eventId }: { id?: string; eventId?: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const existing = useObservable(() => observeTicket(id ?? ''), [id]);
  const session = useObservable(observeSession, []);
  const blank = (): IntakeDraft => ({
    ...(Object.fromEntries(TEXTS.map((k) => [k, ''])) as Record<Text, string>),
    id: id ?? newId(),
    eventId: eventId ?? null,
    category: '',
  });
  const { draft, update, setDirty } = useDraft(blank, existing, fromTicket);
  const { busy, errors, failure, setFailure, save } = useFormSave(i18n, setDirty);
  if (id && existing === null) return <Missing>{t('ticket.notFound')}</Missing>;
  const noLetter = !id && session !== undefined && !session.deviceLetter;

  function submit(e: Event) {
    e.preventDefault();
    const { category, ageYears, weightKg, ...rest } = draft;
    // '' is not a category: the schema answers "choose from the list" next to the buttons
    const ticket = {
      ...rest,
      // a knife needs no words: it is here to be sharpened
      problem: rest.problem.trim() === '' && isSelfDescribed(category) ? t(`catProblem.${category}`) : rest.problem,
      category: category as RepairCategoryKey,
      ageYears: optionalNumber(ageYears),
      weightKg: optionalNumber(weightKg),
    };
    save(
      () => saveRepairTicket(ticket),
      () => (id ? history.back() : navigate(`/tickets/${draft.id}?new=1`, true)),
    );
  }
  async function remove() {
    try {
      await deleteRepairRecord('repairTicket', draft.id);
      syncSoon();
      navigate(draft.eventId ? `/events/${draft.eventId}` : '/', true);
    } catch (err) {
      setFailure(failureMessage(err, i18n));
    }
  }

  const field = (
    k: Text,
    max: number,
    opts: { optional?: boolean; required?: boolean; rows?: number; type?: 'tel'; inputMode?: 'decimal'; hint?: string } = {},
  ) => (
    <TextField
      id={k}
      label={t(`ticket.${k}`)}
      error={errors[k]}
      value={draft[k]}
      onChange={(v) => update({ [k]: v })}
      max={max}
      autocomplete="off"
      {...opts}
    />
  );
  const back = id ? `/tickets/${id}` : draft.eventId ? `/events/${draft.eventId}` : '/';
  const misc = draft.category !== '' && isMiscCategory(draft.category);
  const selfDescribed = draft.category !== '' && isSelfDescribed(draft.category);
  return (
    <main class="screen">
      <BackLink href={back} />
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
        <CategoryTiles value={draft.category} onChange={(category) => update({ category })} error={errors.category} />
        {misc ? field('weightKg', 6, { optional: true, inputMode: 'decimal', hint: t('ticket.weightHint') }) : null}
        {selfDescribed
          ? field('problem', 1000, {
              rows: 2,
              optional: true,
              hint: t('ticket.problemDefault', { text: t(`catProblem.${draft.category as 'knife'}`) }),
            })
          : field('problem', 1000, { rows: 3, required: true })}
        <details
          class="group"
          open={Boolean(errors.residentName || errors.residentPhone || draft.residentName || draft.residentPhone) || undefined}
        >
          <summary>{t('ticket.residentOptional')}</summary>
          {field('residentName', 60, { optional: true })}
          {field('residentPhone', 20, { optional: true, type: 'tel' })}
        </details>
        <details class="group" open={Boolean(errors.item || errors.brand || errors.model || errors.ageYears) || undefined}>
          <summary>{t('ticket.more')}</summary>
          {field('item', 100, { optional: true })}
          {field('brand', 60, { optional: true })}
          {field('model', 60, { optional: true })}
          {field('ageYears', 5, { optional: true, inputMode: 'decimal' })}
        </details>
        <FormFooter failure={failure} busy={busy} cancelHref={back} disabled={noLetter} />
      </form>
      {id && existing ? <DeleteButton onConfirm={remove} /> : null}
    </main>
  );
}
