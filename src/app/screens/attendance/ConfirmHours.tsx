/**
 * A coordinator's confirmation of one volunteer's hours on the sign-in sheet: the hours by
 * the times in one tap, or other hours with a reason; once confirmed they are final, and a
 * correction (with its reason) is a record of its own. Volunteers see what was confirmed.
 */
import { useState } from 'preact/hooks';
import { confirmHours, syncSoon, type FieldErrors, type SheetRow } from '../../../data/index.ts';
import { optionalNumber } from '../../form-helpers.ts';
import { Alert } from '../../components/Alert.tsx';
import { TextField } from '../../components/Field.tsx';
import { useI18n } from '../../i18n.tsx';
import { useAction } from '../../use-action.ts';

export function ConfirmHours({ row, coordinator }: { row: SheetRow; coordinator: boolean }) {
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
  const confirm = (change: { hours?: number; reason?: string }) =>
    act(async () => {
      const r = await confirmHours(a.id, change);
      if (!r.ok) {
        setErrors(r.errors);
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
      {coordinator && !adjusting ? (
        <p class="form-actions">
          {c ? null : (
            <button type="button" class="primary" disabled={busy} onClick={() => confirm({})}>
              {t('hours.confirm', { hours: formatNumber(row.hours, 2), name: row.volunteer.name })}
            </button>
          )}
          <button type="button" class="secondary" onClick={() => (setAdjusting(true), setHours(String(c?.hours ?? row.hours)))}>
            {c ? t('hours.correct') : t('hours.adjust')}
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
