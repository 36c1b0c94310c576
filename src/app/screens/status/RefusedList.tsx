/** The records the server refused, each with what it was and the reason in the volunteer's language; read, it leaves the list (the record stays as it is). */
import { dismissFailed, observeFailed } from '../../../data/index.ts';
import { useI18n } from '../../i18n.tsx';
import { useObservable } from '../../use-observable.ts';

export function RefusedList() {
  const { t, formatDateTime } = useI18n();
  const failed = useObservable(observeFailed, []);
  return (
    <section>
      <h2>{t('status.failedTitle')}</h2>
      {failed === undefined ? null : failed.length === 0 ? (
        <p>{t('status.failedNone')}</p>
      ) : (
        <ul class="cards" data-testid="failed-list">
          {failed.map((f) => (
            <li key={f.id} class="card card-failed">
              <strong>✕ {t(`recordType.${f.type}`)}</strong>
              <span>{t('status.failedReason', { reason: f.message })}</span>
              <span class="card-meta">{formatDateTime(f.at)}</span>
              <button type="button" class="secondary" onClick={() => void dismissFailed(f.id)}>
                {t('status.dismiss')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
