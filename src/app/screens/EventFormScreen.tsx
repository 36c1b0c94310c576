/** Create or edit a repair event. The id is made when the form opens: a double tap saves one event. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { deleteRepairRecord, newId, observeEvent, observeSession, saveRepairEvent, syncSoon, type EventDraft } from '../../data/index.ts';
import { localDay } from '../../shared/due.ts';
import { DeleteButton } from '../components/DeleteButton.tsx';
import { REPAIR_EVENT_STATUSES } from '../../shared/repair.ts';
import { Field } from '../components/Field.tsx';
import { FormFooter } from '../components/FormFooter.tsx';
import { failureMessage, isoDay, useDirty, useFormSave } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { navigate } from '../router.tsx';
import { useObservable } from '../use-observable.ts';

export default function EventFormScreen({ id }: { id?: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const existing = useObservable(() => observeEvent(id ?? ''), [id]);
  const session = useObservable(observeSession, []);
  const [draft, setDraft] = useState<EventDraft>(() => ({ id: id ?? newId(), title: '', date: isoDay(), site: '', status: 'open' }));
  const dateTouched = useRef(false);
  const [loaded, setLoaded] = useState(!id);
  const [dirty, setDirty] = useState(false);
  const { busy, errors, failure, setFailure, save } = useFormSave(i18n, setDirty);
  useDirty(dirty);

  useEffect(() => {
    if (id && existing && !loaded) {
      const e = existing.event;
      setDraft({
        id: e.id,
        title: e.title,
        date: e.date,
        site: e.site,
        status: e.status,
        volunteerCount: e.volunteerCount,
        volunteerHours: e.volunteerHours,
      });
      setLoaded(true);
    }
  }, [existing, id, loaded]);

  // a new event is dated today in the team's calendar (the days its reports count in)
  const zone = session?.user?.timeZone;
  useEffect(() => {
    if (!id && zone && !dateTouched.current) setDraft((d) => ({ ...d, date: localDay(Date.now(), zone) }));
  }, [zone]);

  if (id && existing === null)
    return (
      <main class="screen">
        <p>{t('event.notFound')}</p>
      </main>
    );

  const set = (k: keyof EventDraft) => (e: Event) => {
    if (k === 'date') dateTouched.current = true;
    setDraft({ ...draft, [k]: (e.target as HTMLInputElement).value });
    setDirty(true);
  };
  // Empty means 0; anything else must be a number — NaN lets the schema name the field.
  const setNumber = (k: 'volunteerCount' | 'volunteerHours') => (e: Event) => {
    const raw = (e.target as HTMLInputElement).value.trim();
    setDraft({ ...draft, [k]: raw === '' ? 0 : Number(raw.replace(',', '.')) });
    setDirty(true);
  };

  function submit(e: Event) {
    e.preventDefault();
    save(
      () => saveRepairEvent(draft),
      () => navigate(`/events/${draft.id}`, true),
    );
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
        <Field id="volunteerCount" label={t('event.volunteerCount')} error={errors.volunteerCount} optional>
          {(a) => (
            <input
              {...a}
              inputMode="numeric"
              value={draft.volunteerCount ? String(draft.volunteerCount) : ''}
              onChange={setNumber('volunteerCount')}
              maxLength={4}
            />
          )}
        </Field>
        <Field id="volunteerHours" label={t('event.volunteerHours')} error={errors.volunteerHours} optional>
          {(a) => (
            <input
              {...a}
              inputMode="decimal"
              value={draft.volunteerHours ? String(draft.volunteerHours) : ''}
              onChange={setNumber('volunteerHours')}
              maxLength={6}
            />
          )}
        </Field>
        <FormFooter failure={failure} busy={busy} cancelHref={id ? `/events/${id}` : '/'} />
      </form>
      {id && existing ? (
        <DeleteButton
          onConfirm={async () => {
            try {
              await deleteRepairRecord('repairEvent', id);
              syncSoon();
              navigate('/', true);
            } catch (err) {
              setFailure(failureMessage(err, i18n));
            }
          }}
        />
      ) : null}
    </main>
  );
}
