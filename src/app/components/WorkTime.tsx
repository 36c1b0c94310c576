/**
 * A volunteer records the time a visit or a home repair done alone took them (用时), so it
 * counts in their service hours once a coordinator confirms it; folded under one line.
 */
import { useState } from 'preact/hooks';
import { recordWorkTime, syncSoon, type FieldErrors } from '../../data/index.ts';
import { optionalNumber } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { useAction } from '../use-action.ts';
import { Alert } from './Alert.tsx';
import { TextField } from './Field.tsx';

export function WorkTime({ workId }: { workId: string }) {
  const i18n = useI18n();
  const { t, formatNumber } = i18n;
  const { busy, failure, done, act, fail } = useAction(i18n);
  const [minutes, setMinutes] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  return (
    <details class="group" data-testid="work-time">
      <summary>⏱ {t('hours.workTitle')}</summary>
      <TextField
        id={`minutes-${workId}`}
        label={t('hours.workMinutesLabel')}
        inputMode="numeric"
        value={minutes}
        onChange={setMinutes}
        max={4}
        error={errors.minutes}
        hint={t('hours.workHint')}
      />
      <button
        type="button"
        class="secondary"
        disabled={busy}
        onClick={() =>
          act(async () => {
            const n = optionalNumber(minutes) ?? Number.NaN;
            const r = await recordWorkTime(workId, n);
            if (!r.ok) {
              setErrors(r.errors);
              return fail(r.errors.form ? t(r.errors.form) : '');
            }
            setErrors({});
            syncSoon();
            return t('hours.workSaved', { minutes: formatNumber(n, 0) });
          })
        }
      >
        {t('hours.workSave')}
      </button>
      {done ? (
        <p class="notice notice-ok" role="status">
          ✓ {done}
        </p>
      ) : null}
      <Alert text={failure} />
    </details>
  );
}
