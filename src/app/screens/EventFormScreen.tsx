/** Create or edit a repair event. The id is made when the form opens: a double tap saves one event. */
import { useEffect, useRef } from 'preact/hooks';
import { deleteRepairRecord, newId, observeEvent, observeSession, saveRepairEvent, syncSoon, type EventDraft } from '../../data/index.ts';
import { localDay } from '../../shared/due.ts';
import { EVENT_KINDS, REPAIR_EVENT_STATUSES, type RepairEvent } from '../../shared/repair.ts';
import { DeleteButton } from '../components/DeleteButton.tsx';
import { SelectField, TextField } from '../components/Field.tsx';
import { FormFooter } from '../components/FormFooter.tsx';
import { Missing } from '../components/ScreenState.tsx';
import { failureMessage, isoDay, useFormSave } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { navigate } from '../router.tsx';
import { useDraft } from '../use-draft.ts';
import { useObservable } from '../use-observable.ts';

/** The counts as typed: "2." on the way to "2.5" must stay as it is. */
type FormDraft = Omit<EventDraft, 'volunteerCount' | 'volunteerHours'> & { volunteerCount: string; volunteerHours: string };

const shown = (n: number) => (n ? String(n) : '');
function fromEvent({ event: e }: { event: RepairEvent }): FormDraft {
  const { id, title, date, site, status, kind } = e;
  return { id, title, date, site, status, kind, volunteerCount: shown(e.volunteerCount), volunteerHours: shown(e.volunteerHours) };
}

/** Empty means 0; anything else must be a number — NaN lets the schema name the field. */
const count = (raw: string) => (raw.trim() === '' ? 0 : Number(raw.trim().replace(',', '.')));

export default function EventFormScreen({ id }: { id?: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const existing = useObservable(() => observeEvent(id ?? ''), [id]);
  const session = useObservable(observeSession, []);
  const { draft, update, setDraft, setDirty } = useDraft<{ event: RepairEvent }, FormDraft>(
    () => ({
      id: id ?? newId(),
      title: '',
      date: isoDay(),
      site: '',
      status: 'open',
      kind: 'repair',
      volunteerCount: '',
      volunteerHours: '',
    }),
    existing,
    fromEvent,
  );
  const dateTouched = useRef(false);
  const { busy, errors, failure, setFailure, save } = useFormSave(i18n, setDirty);

  // a new event is dated today in the team's calendar (the days its reports count in)
  const zone = session?.user?.timeZone;
  useEffect(() => {
    if (!id && zone && !dateTouched.current) setDraft((d) => ({ ...d, date: localDay(Date.now(), zone) }));
  }, [zone]);
  if (id && existing === null) return <Missing>{t('event.notFound')}</Missing>;

  function submit(e: Event) {
    e.preventDefault();
    save(
      () => saveRepairEvent({ ...draft, volunteerCount: count(draft.volunteerCount), volunteerHours: count(draft.volunteerHours) }),
      () => navigate(`/events/${draft.id}`, true),
    );
  }
  async function remove() {
    try {
      await deleteRepairRecord('repairEvent', draft.id);
      syncSoon();
      navigate('/', true);
    } catch (err) {
      setFailure(failureMessage(err, i18n));
    }
  }
  return (
    <main class="screen">
      <h1>{id ? t('event.editTitle') : t('event.new')}</h1>
      <form onSubmit={submit} noValidate>
        <TextField
          id="title"
          label={t('event.title')}
          error={errors.title}
          value={draft.title}
          onChange={(title) => update({ title })}
          max={100}
        />
        <TextField
          id="date"
          label={t('event.date')}
          error={errors.date}
          type="date"
          value={draft.date}
          onChange={(date) => ((dateTouched.current = true), update({ date }))}
          max={10}
        />
        <TextField
          id="site"
          label={t('event.site')}
          error={errors.site}
          value={draft.site}
          onChange={(site) => update({ site })}
          max={200}
        />
        <SelectField
          id="kind"
          label={t('event.kind')}
          value={draft.kind ?? 'repair'}
          options={EVENT_KINDS}
          optionLabel={(k) => t(`eventKind.${k}`)}
          onChange={(kind) => kind && update({ kind })}
          error={errors.kind}
        />
        <SelectField
          id="status"
          label={t('event.status')}
          value={draft.status}
          options={REPAIR_EVENT_STATUSES}
          optionLabel={(s) => t(`event.status.${s}`)}
          onChange={(status) => status && update({ status })}
          error={errors.status}
        />
        <TextField
          id="volunteerCount"
          label={t('event.volunteerCount')}
          error={errors.volunteerCount}
          optional
          inputMode="numeric"
          value={draft.volunteerCount}
          onChange={(volunteerCount) => update({ volunteerCount })}
          max={4}
        />
        <TextField
          id="volunteerHours"
          label={t('event.volunteerHours')}
          error={errors.volunteerHours}
          optional
          inputMode="decimal"
          value={draft.volunteerHours}
          onChange={(volunteerHours) => update({ volunteerHours })}
          max={6}
        />
        <FormFooter failure={failure} busy={busy} cancelHref={id ? `/events/${id}` : '/'} />
      </form>
      {id && existing ? <DeleteButton onConfirm={remove} /> : null}
    </main>
  );
}
