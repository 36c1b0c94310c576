/**
 * Always on screen: how many records are not on the server yet, when the last sync
 * succeeded, a progress bar while syncing, and what needs the volunteer (sign in, update).
 */
import { observeProgress, observeSyncStatus, requestSync, STALE_PENDING_MS } from '../../data/index.ts';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { useObservable } from '../use-observable.ts';

export function SyncBar({ authExpired }: { authExpired: boolean }) {
  const { t, formatDateTime } = useI18n();
  const status = useObservable(observeSyncStatus, []);
  const live = useObservable(observeProgress, []);
  if (!status) return <div class="syncbar" aria-busy="true" />;
  const running = live?.running ?? false;
  const p = live?.progress;
  const stale = status.oldestPendingAt !== null && Date.now() - status.oldestPendingAt > STALE_PENDING_MS;
  return (
    <section class="syncbar" aria-label={t('app.status')}>
      <div class="syncbar-row" role="status" aria-live="polite">
        <span
          class={`pending ${status.pending > 0 ? 'pending-some' : 'pending-none'}`}
          data-testid="pending-count"
          data-count={status.pending}
        >
          {status.pending > 0 ? `⏳ ${t('sync.pending', { count: status.pending })}` : `✓ ${t('sync.allSent')}`}
        </span>
        <span class="last-sync" data-testid="last-sync">
          {status.lastSyncAt ? t('sync.lastSync', { time: formatDateTime(status.lastSyncAt) }) : t('sync.never')}
        </span>
      </div>
      {running ? (
        <div class="progress">
          <progress
            max={p && p.total > 0 ? p.total : undefined}
            value={p && p.total > 0 ? p.done : undefined}
            aria-label={t('sync.syncing', { done: p?.done ?? 0, total: p?.total ?? 0 })}
          />
          <span>{t('sync.syncing', { done: p?.done ?? 0, total: p?.total ?? 0 })}</span>
        </div>
      ) : null}
      {authExpired ? (
        <p class="notice notice-warn" role="alert">
          🔒 {t('sync.signInNeeded')} — <Link href="/login">{t('login.submit')}</Link>
        </p>
      ) : null}
      {status.lastOutcome === 'upgrade' ? (
        <p class="notice notice-warn" role="alert">
          ⬆ {t('sync.updateRequired')}
        </p>
      ) : null}
      {status.lastOutcome === 'offline' && status.pending > 0 && !running ? <p class="notice">📴 {t('sync.offline')}</p> : null}
      {status.lastOutcome === 'error' && !running ? <p class="notice">{t('sync.error')}</p> : null}
      {stale ? (
        <p class="notice notice-warn" role="alert">
          ⚠ {t('sync.oldUnsynced')}
        </p>
      ) : null}
      {status.failed > 0 ? (
        <p class="notice notice-warn">
          ✕ <Link href="/status">{t('sync.failedCount', { count: status.failed })}</Link>
        </p>
      ) : null}
      <div class="syncbar-actions">
        <button type="button" class="secondary" disabled={running} onClick={() => void requestSync('manual')}>
          ⟳ {t('sync.now')}
        </button>
        <Link href="/status" class="button secondary">
          {t('app.status')}
        </Link>
      </div>
    </section>
  );
}
