/**
 * An event's sign-in sheet (签到/签退), offline: the team's roster with a tap to check each
 * volunteer in and out, who is still in on top, the hours each by the team's rounding rule;
 * and a one-day volunteer (a student for the afternoon) added and checked in in a few taps,
 * warned when the phone number is already on the roster.
 */
import { useState } from 'preact/hooks';
import {
  checkIn,
  checkOut,
  newId,
  observeEvent,
  observeSamePhone,
  observeSession,
  observeSignInSheet,
  saveVolunteer,
  syncSoon,
  type Attendance,
  type FieldErrors,
  type SaveResult,
  type SheetRow,
} from '../../data/index.ts';
import { maskPhone, phoneDigits } from '../../shared/address.ts';
import { Alert } from '../components/Alert.tsx';
import { TextField } from '../components/Field.tsx';
import { BackLink, Loading, Missing } from '../components/ScreenState.tsx';
import { SyncBadge } from '../components/SyncBadge.tsx';
import { failureMessage, measureSave } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { useAction } from '../use-action.ts';
import { ConfirmHours } from './attendance/ConfirmHours.tsx';
import { Scanner, type ScanOutcome } from './attendance/Scanner.tsx';
import { useObservable } from '../use-observable.ts';

function SheetLine({ row, eventId, coordinator }: { row: SheetRow; eventId: string; coordinator: boolean }) {
  const i18n = useI18n();
  const { t, formatTime, formatNumber } = i18n;
  const { busy, failure, act, fail } = useAction(i18n);
  const { volunteer: v, attendance: a } = row;
  const tap = (work: () => Promise<SaveResult<Attendance>>) => {
    const tappedAt = performance.now();
    act(async () => {
      const r = await work();
      if (!r.ok) return fail(t(Object.values(r.errors)[0] ?? 'v.invalid'));
      // a check-in is a save like any other: timed for the save-latency budget (bench/check-in.ts)
      measureSave(tappedAt);
      syncSoon();
    });
  };
  const state = !a?.checkInAt
    ? t('hours.notIn')
    : a.checkOutAt
      ? t('hours.outAt', {
          from: formatTime(Date.parse(a.checkInAt)),
          to: formatTime(Date.parse(a.checkOutAt)),
          hours: formatNumber(row.hours, 1),
        })
      : t('hours.inAt', { time: formatTime(Date.parse(a.checkInAt)) });
  return (
    <li
      class={`card card-row${a?.checkInAt && !a.checkOutAt ? ' card-in' : ''}`}
      data-testid="sheet-row"
      data-state={!a?.checkInAt ? 'out' : a.checkOutAt ? 'left' : 'in'}
    >
      <span class="card-title">
        <strong>{v.name}</strong>
        {v.org ? ` · ${v.org}` : ''}
        {v.phone ? ` · ☎ ${maskPhone(v.phone)}` : ''}
      </span>
      <span>
        {a?.checkInAt ? (a.checkOutAt ? '✓ ' : '● ') : '○ '}
        {state} {row.sync ? <SyncBadge sync={row.sync} /> : null}
      </span>
      {!a?.checkInAt || a.checkOutAt ? (
        <button
          type="button"
          class={a?.checkOutAt ? 'secondary' : 'primary'}
          disabled={busy}
          onClick={() => tap(() => checkIn(eventId, v.id))}
        >
          {a?.checkOutAt ? t('hours.undoOut', { name: v.name }) : t('hours.checkIn', { name: v.name })}
        </button>
      ) : (
        <button type="button" class="secondary" disabled={busy} onClick={() => tap(() => checkOut(eventId, v.id))}>
          {t('hours.checkOut', { name: v.name })}
        </button>
      )}
      <ConfirmHours row={row} eventId={eventId} coordinator={coordinator} />
      <Alert text={failure} />
    </li>
  );
}

/** A one-day volunteer, added and checked in at once. */
function AddVolunteer({ eventId }: { eventId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [id, setId] = useState(newId);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [org, setOrg] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState('');
  const [busy, setBusy] = useState(false);
  const same = useObservable(() => observeSamePhone(phone, id), [phone, id]) ?? [];
  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setFailure('');
    try {
      const r = await saveVolunteer({ id, name, phone, org });
      if (!r.ok) return setErrors(r.errors);
      const inAt = await checkIn(eventId, id);
      syncSoon();
      if (!inAt.ok) return setFailure(t(Object.values(inAt.errors)[0] ?? 'v.invalid'));
      setErrors({});
      setName('');
      setPhone('');
      setOrg('');
      setId(newId());
    } catch (err) {
      setFailure(failureMessage(err, i18n));
    } finally {
      setBusy(false);
    }
  }
  return (
    <details class="group" data-testid="add-volunteer">
      <summary>＋ {t('hours.addTitle')}</summary>
      <form onSubmit={submit} noValidate>
        <TextField
          id="v-name"
          label={t('hours.name')}
          required
          value={name}
          onChange={setName}
          max={60}
          error={errors.name}
          autocomplete="off"
        />
        <TextField
          id="v-phone"
          label={t('hours.phone')}
          optional
          type="tel"
          value={phone}
          onChange={setPhone}
          max={20}
          error={errors.phone}
        />
        {same.length > 0 ? (
          <p class="notice notice-warn" role="alert" data-testid="same-phone">
            ⚠ {t('hours.samePhone', { names: same.map((v) => v.name).join('、') })}
          </p>
        ) : null}
        <TextField id="v-org" label={t('hours.org')} optional value={org} onChange={setOrg} max={100} error={errors.org} />
        <Alert text={failure} />
        <button type="submit" class="primary" disabled={busy}>
          {t('hours.addAndCheckIn')}
        </button>
      </form>
    </details>
  );
}

/** A scan checks in; a volunteer in for a while who shows the code again is checked out. */
const SCAN_OUT_AFTER_MS = 10 * 60_000;

function useScanTap(eventId: string) {
  const { t } = useI18n();
  return async (row: SheetRow): Promise<ScanOutcome> => {
    const tappedAt = performance.now();
    const a = row.attendance;
    const name = row.volunteer.name;
    const inFor = a?.checkInAt && !a.checkOutAt ? Date.now() - Date.parse(a.checkInAt) : null;
    if (inFor !== null && inFor < SCAN_OUT_AFTER_MS) return { ok: true, message: t('scan.alreadyIn', { name }) };
    const r = inFor !== null ? await checkOut(eventId, row.volunteer.id) : await checkIn(eventId, row.volunteer.id);
    if (!r.ok) return { ok: false, message: t(Object.values(r.errors)[0] ?? 'v.invalid') };
    measureSave(tappedAt);
    syncSoon();
    return { ok: true, message: inFor !== null ? t('scan.checkedOut', { name }) : t('scan.checkedIn', { name }) };
  };
}

export default function AttendanceScreen({ eventId }: { eventId: string }) {
  const { t, formatNumber } = useI18n();
  const onScan = useScanTap(eventId);
  const current = useObservable(() => observeEvent(eventId), [eventId]);
  const sheet = useObservable(() => observeSignInSheet(eventId), [eventId]);
  const [query, setQuery] = useState('');
  const session = useObservable(observeSession, []);
  const coordinator = session?.user?.role === 'coordinator' || session?.user?.role === 'admin';
  if (current === undefined || sheet === undefined) return <Loading />;
  if (current === null) return <Missing>{t('event.notFound')}</Missing>;
  const q = query.trim();
  const rows = q ? sheet.rows.filter((r) => r.volunteer.name.includes(q) || phoneDigits(r.volunteer.phone).endsWith(q)) : sheet.rows;
  return (
    <main class="screen">
      <BackLink href={`/events/${eventId}`} />
      <h1>
        {t('hours.sheetTitle')} · {current.event.title}
      </h1>
      <p data-testid="sheet-summary">
        {t('hours.summary', {
          in: formatNumber(sheet.checkedIn, 0),
          still: formatNumber(sheet.stillIn, 0),
          hours: formatNumber(sheet.totalHours, 1),
          step: formatNumber(sheet.roundingMinutes, 0),
        })}
      </p>
      {sheet.stillIn > 0 ? <p class="hint">{t('hours.stillInHint')}</p> : null}
      {sheet.awaiting > 0 ? (
        <p class="hint" data-testid="awaiting">
          {t('hours.awaitingCount', { count: sheet.awaiting })}
        </p>
      ) : null}
      <p class="hint">{t('hours.travelHint')}</p>
      <Scanner rows={sheet.rows} onVolunteer={onScan} />
      <AddVolunteer eventId={eventId} />
      {sheet.rows.length > 8 ? (
        <TextField id="sheet-search" type="search" label={t('hours.find')} value={query} onChange={setQuery} max={30} />
      ) : null}
      {sheet.rows.length === 0 ? (
        <p class="empty">{t('hours.rosterEmpty')}</p>
      ) : (
        <ul class="cards" data-testid="sheet">
          {rows.map((row) => (
            <SheetLine key={row.volunteer.id} row={row} eventId={eventId} coordinator={coordinator} />
          ))}
        </ul>
      )}
    </main>
  );
}
