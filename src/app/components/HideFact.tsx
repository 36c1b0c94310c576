/**
 * Deleting a visit or a check entered by mistake: never a rewrite of what was recorded, but
 * the record hidden with the reason written down (the server keeps it for the audit). Offered
 * only to whoever recorded it and to coordinators — what the server allows.
 */
import { useState } from 'preact/hooks';
import type { SaveResult } from '../../data/index.ts';
import type { MessageKey } from '../../shared/i18n/format.ts';
import { useI18n } from '../i18n.tsx';
import { useAction } from '../use-action.ts';
import { Alert } from './Alert.tsx';
import { TextField } from './Field.tsx';

const REASON_MAX = 200;

export function HideFact({
  id,
  hide,
  onHidden,
}: {
  id: string;
  hide: (reason: string) => Promise<SaveResult<unknown>>;
  onHidden: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<MessageKey | undefined>();
  const { busy, failure, act, fail } = useAction(i18n);
  if (!asking) {
    return (
      <button type="button" class="secondary no-print" onClick={() => setAsking(true)}>
        🗑 {t('fact.hide')}
      </button>
    );
  }
  const confirm = () =>
    act(async () => {
      setError(undefined);
      const r = await hide(reason);
      if (r.ok) return onHidden();
      const { deletedReason, ...other } = r.errors;
      if (deletedReason) return setError(deletedReason);
      fail(t(Object.values(other)[0] ?? 'v.invalid'));
    });
  return (
    <div class="notice notice-warn no-print" role="group" aria-label={t('fact.hide')}>
      <p>{t('fact.hideExplain')}</p>
      <TextField
        id={`hide-${id}`}
        label={t('fact.hideReason')}
        value={reason}
        onChange={setReason}
        error={error}
        max={REASON_MAX}
        rows={2}
      />
      <Alert text={failure} focus />
      <div class="form-actions">
        <button type="button" class="primary" disabled={busy} onClick={confirm}>
          {t('fact.hideConfirm')}
        </button>
        <button type="button" class="secondary" onClick={() => setAsking(false)}>
          {t('app.cancel')}
        </button>
      </div>
    </div>
  );
}
