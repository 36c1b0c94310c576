/**
 * Take an item in at an event, or edit a ticket. A new ticket gets its number (`B-017`) when
 * saved, from this phone's letter, and keeps it for ever; the number is shown large for the
 * paper tag.
 */
import { useEffect, useState } from 'preact/hooks';
import { newId, observeSession, observeTicket, saveRepairTicket, syncSoon, type FieldErrors, type TicketDraft } from '../../data/index.ts';
import { TICKET_STATUSES } from '../../shared/records.ts';
import { Field } from '../components/Field.tsx';
import { SyncBadge } from '../components/SyncBadge.tsx';
import { failureMessage, measureSave, useDirty } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { Link, navigate } from '../router.tsx';
import { useObservable } from '../use-observable.ts';

export default function TicketFormScreen({ id, eventId }: { id?: string; eventId?: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const existing = useObservable(() => observeTicket(id ?? ''), [id]);
  const session = useObservable(observeSession, []);
  const [draft, setDraft] = useState<TicketDraft>(() => ({
    id: id ?? newId(),
    eventId: eventId ?? null,
    category: '',
    item: '',
    problem: '',
    residentName: '',
    residentPhone: '',
    status: 'waiting',
  }));
  const [loaded, setLoaded] = useState(!id);
  const [dirty, setDirty] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState('');
  const [busy, setBusy] = useState(false);
  useDirty(dirty);

  useEffect(() => {
    if (id && existing && !loaded) {
      const tk = existing.ticket;
      setDraft({ id: tk.id, eventId: tk.eventId, category: tk.category, item: tk.item, problem: tk.problem, residentName: tk.residentName, residentPhone: tk.residentPhone, status: tk.status });
      setLoaded(true);
    }
  }, [existing, id, loaded]);

  if (id && existing === null) return <main class="screen"><p>{t('ticket.notFound')}</p></main>;
  const noLetter = !id && session !== undefined && !session.deviceLetter;

  const set = (k: keyof TicketDraft) => (e: Event) => {
    setDraft({ ...draft, [k]: (e.target as HTMLInputElement).value });
    setDirty(true);
  };

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    const submittedAt = performance.now();
    setBusy(true);
    setFailure('');
    try {
      const result = await saveRepairTicket(draft);
      if (!result.ok) {
        setErrors(result.errors);
        return;
      }
      measureSave(submittedAt);
      setDirty(false);
      syncSoon();
      if (id) history.back();
      else navigate(`/tickets/${draft.id}?new=1`, true);
    } catch (err) {
      setFailure(failureMessage(err, i18n));
    } finally {
      setBusy(false);
    }
  }

  const back = draft.eventId ? `/events/${draft.eventId}` : '/';
  return (
    <main class="screen">
      <Link href={back} class="back">
        ‹ {t('app.back')}
      </Link>
      <h1>{id ? t('ticket.editTitle') : t('ticket.newTitle')}</h1>
      {existing ? (
        <div class="ticket-tag" data-testid="ticket-number">
          <span class="ticket-tag-label">{t('ticket.number')}</span>
          <strong>{existing.ticket.number}</strong>
          <span class="hint">{t('ticket.numberHint')}</span>
          <SyncBadge sync={existing.sync} />
        </div>
      ) : null}
      {noLetter ? (
        <p class="notice notice-warn" role="alert">
          ⚠ {t('ticket.noLetter')}
        </p>
      ) : null}
      <form onSubmit={submit} noValidate>
        <Field id="category" label={t('ticket.category')} error={errors.category}>
          {(a) => <input {...a} value={draft.category} onInput={set('category')} maxLength={40} />}
        </Field>
        <Field id="item" label={t('ticket.item')} error={errors.item} optional>
          {(a) => <input {...a} value={draft.item} onInput={set('item')} maxLength={100} />}
        </Field>
        <Field id="problem" label={t('ticket.problem')} error={errors.problem}>
          {(a) => <textarea {...a} value={draft.problem} onInput={set('problem')} rows={3} maxLength={1000} />}
        </Field>
        <Field id="residentName" label={t('ticket.residentName')} error={errors.residentName} optional>
          {(a) => <input {...a} value={draft.residentName} onInput={set('residentName')} maxLength={60} autocomplete="off" />}
        </Field>
        <Field id="residentPhone" label={t('ticket.residentPhone')} error={errors.residentPhone} optional>
          {(a) => <input {...a} type="tel" inputMode="tel" value={draft.residentPhone} onInput={set('residentPhone')} maxLength={20} autocomplete="off" />}
        </Field>
        <Field id="status" label={t('ticket.status')} error={errors.status}>
          {(a) => (
            <select {...a} value={draft.status} onChange={set('status')}>
              {TICKET_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`ticket.status.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {failure ? (
          <p class="error" role="alert">
            ⚠ {failure}
          </p>
        ) : null}
        <div class="form-actions">
          <button type="submit" class="primary" disabled={busy || noLetter}>
            {busy ? t('app.saving') : t('app.save')}
          </button>
          <Link href={back} class="button secondary">
            {t('app.cancel')}
          </Link>
        </div>
      </form>
    </main>
  );
}
