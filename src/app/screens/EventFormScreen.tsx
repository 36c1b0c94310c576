/** Create or edit a repair event. The id is made when the form opens: a double tap saves one event. */
import { useEffect, useState } from 'preact/hooks';
import { newId, observeEvent, saveRepairEvent, syncSoon, type EventDraft, type FieldErrors } from '../../data/index.ts';
import { REPAIR_EVENT_STATUSES } from '../../shared/records.ts';
import { Field } from '../components/Field.tsx';
import { failureMessage, measureSave, useDirty } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { navigate } from '../router.tsx';
import { useObservable } from '../use-observable.ts';

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export default function EventFormScreen({ id }: { id?: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const existing = useObservable(() => observeEvent(id ?? ''), [id]);
  const [draft, setDraft] = useState<EventDraft>(() => ({ id: id ?? newId(), title: '', date: today(), site: '', status: 'open' }));
  const [loaded, setLoaded] = useState(!id);
  const [dirty, setDirty] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState('');
  const [busy, setBusy] = useState(false);
  useDirty(dirty);

  useEffect(() => {
    if (id && existing && !loaded) {
      const e = existing.event;
      setDraft({ id: e.id, title: e.title, date: e.date, site: e.site, status: e.status });
      setLoaded(true);
    }
  }, [existing, id, loaded]);

  if (id && existing === null) return <main class="screen"><p>{t('event.notFound')}</p></main>;

  const set = (k: keyof EventDraft) => (e: Event) => {
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
      const result = await saveRepairEvent(draft);
      if (!result.ok) {
        setErrors(result.errors);
        return;
      }
      measureSave(submittedAt);
      setDirty(false);
      syncSoon();
      navigate(`/events/${draft.id}`, true);
    } catch (err) {
      setFailure(failureMessage(err, i18n));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="screen">
      <h1>{id ? t('event.editTitle') : t('event.new')}</h1>
      <form onSubmit={submit} noValidate>
        <Field id="title" label={t('event.title')} error={errors.title}>
          {(a) => <input {...a} value={draft.title} onInput={set('title')} maxLength={100} />}
        </Field>
        <Field id="date" label={t('event.date')} error={errors.date}>
          {(a) => <input {...a} type="date" value={draft.date} onInput={set('date')} />}
        </Field>
        <Field id="site" label={t('event.site')} error={errors.site}>
          {(a) => <input {...a} value={draft.site} onInput={set('site')} maxLength={200} />}
        </Field>
        <Field id="status" label={t('event.status')} error={errors.status}>
          {(a) => (
            <select {...a} value={draft.status} onChange={set('status')}>
              {REPAIR_EVENT_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`event.status.${s}`)}
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
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t('app.saving') : t('app.save')}
          </button>
          <button type="button" class="secondary" onClick={() => history.back()}>
            {t('app.cancel')}
          </button>
        </div>
      </form>
    </main>
  );
}
