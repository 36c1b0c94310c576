/**
 * One volunteer's hours on the sign-in sheet. The day's lead may adjust them, with a reason
 * (time away from the site, a check-out tapped late); a coordinator confirms — what the lead
 * set, or the hours by the times, in one tap, or other hours with a reason. Once confirmed
 * they are final, and a correction (with its reason) is a record of its own.
 */
import { useState } from 'preact/hooks';
import { adjustHours, confirmHours, syncSoon, type FieldErrors, type SheetRow } from '../../../data/index.ts';
import { optionalNumber } from '../../form-helpers.ts';
import { Alert } from '../../components/Alert.tsx';
import { TextField } from '../../components/Field.tsx';
import { useI18n } from '../../i18n.tsx';
import { useAction } from '../../use-action.ts';

export function ConfirmHours({ row, eventId, coordinator }: { row: SheetRow; eventId: string; coordinator: boolean }) {
  const i18n = useI18n();
  const { t, formatNumber } = i18n;
  const { busy, failure, act, fail } = useAction(i18n);
  const [adjusting, setAdjusting] = useState(false);
  const [hours, setHours] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const a = row.attendance;
  if (!a?.checkOutAt) return null;
  const c = row.confirmed;
  const proposed = a.adjustedHours ?? row.hours;
  const confirm = (change: { hours?: number; reason?: string }) =>
    act(async () => {
      // a lead (not a coordinator) sets the adjustment the coordinator will confirm
      const r = coordinator
        ? await confirmHours(a.id, change)
        : await adjustHours(eventId, row.volunteer.id, change.hours ?? null, change.reason ?? '');
      if (!r.ok) {
        setErrors({ ...r.errors, ...(r.errors.adjustReason ? { reason: r.errors.adjustReason } : {}) });
        return fail(r.errors.form ? t(r.errors.form) : '');
      }
      setAdjusting(false);
      setErrors({});
      syncSoon();
    });
  return (
    <div class="confirm-hours">
      {c ? (
        <p data-testid="confirmed">
          ✓ {t('hours.confirmed', { hours: formatNumber(c.hours, 2), by: c.confirmedBy })}
          {c.reason ? ` — ${c.reason}` : ''}
        </p>
      ) : (
        <p class="hint">{t('hours.awaiting')}</p>
      )}
      {!c && a.adjustedHours !== null ? (
        <p data-testid="lead-adjusted">
          ✎ {t('hours.leadAdjusted', { hours: formatNumber(a.adjustedHours, 2) })} — {a.adjustReason}
        </p>
      ) : null}
      {coordinator && !adjusting ? (
        <p class="form-actions">
          {c ? null : (
            <button type="button" class="primary" disabled={busy} onClick={() => confirm({})}>
              {t('hours.confirm', { hours: formatNumber(proposed, 2), name: row.volunteer.name })}
            </button>
          )}
          <button type="button" class="secondary" onClick={() => (setAdjusting(true), setHours(String(c?.hours ?? proposed)))}>
            {c ? t('hours.correct') : t('hours.adjust')}
          </button>
        </p>
      ) : null}
      {!coordinator && !c && !adjusting ? (
        <p class="form-actions">
          <button
            type="button"
            class="secondary"
            onClick={() => (setAdjusting(true), setHours(String(proposed)), setReason(a.adjustReason))}
          >
            {t('hours.leadAdjust', { name: row.volunteer.name })}
          </button>
        </p>
      ) : null}
      {adjusting ? (
        <div class="subform" role="group" aria-label={t('hours.adjustTitle', { name: row.volunteer.name })}>
          <TextField
            id={`hours-${a.id}`}
            label={t('hours.hours')}
            inputMode="decimal"
            value={hours}
            onChange={setHours}
            max={5}
            error={errors.hours}
          />
          <TextField
            id={`reason-${a.id}`}
            label={t('hours.reason')}
            required
            value={reason}
            onChange={setReason}
            max={200}
            error={errors.reason}
          />
          <p class="form-actions">
            <button
              type="button"
              class="primary"
              disabled={busy}
              onClick={() => confirm({ hours: optionalNumber(hours) ?? Number.NaN, reason })}
            >
              {t('hours.saveAdjusted')}
            </button>
            <button type="button" class="secondary" onClick={() => setAdjusting(false)}>
              {t('app.cancel')}
            </button>
          </p>
        </div>
      ) : null}
      <Alert text={failure} />
    </div>
  );
}
