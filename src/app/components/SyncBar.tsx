/**
 * The sync state in one line inside the header: what is not on the server yet (or that the
 * phone is offline), a tap to the details (/status), and ⟳ to sync now. What needs the
 * volunteer (sign in, update, refused records, old unsent ones) appears under the header only
 * while it is so — the task owns the screen (issue 25, item 2).
 */
import { useEffect, useState } from 'preact/hooks';
import { observeProgress, observeSyncStatus, requestSync, STALE_PENDING_MS } from '../../data/index.ts';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { useObservable } from '../use-observable.ts';

/** The browser's word on the network, kept current: an offline reload knows before any sync tries. */
function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    addEventListener('online', on);
    addEventListener('offline', off);
    return () => (removeEventListener('online', on), removeEventListener('offline', off));
  }, []);
  return online;
}

/** Seconds left at the pace so far, once there is a pace to go by (a big first sync); null for a short one. */
function timeLeftS(p: { done: number; total: number; startedAt: number }): number | null {
  const elapsedS = (Date.now() - p.startedAt) / 1000;
  if (p.total < BIG_SYNC || p.done === 0 || elapsedS < 1) return null;
  return ((p.total - p.done) * elapsedS) / p.done;
}
const BIG_SYNC = 2000;

/** The header's line: pending / offline / syncing (records and time left for a big one), the last sync for screen readers (and wide screens), ⟳. */
export function SyncLine() {
  const { t, formatDateTime, formatNumber } = useI18n();
  const formatDuration = (s: number) =>
    s < 60
      ? t('sync.seconds', { n: formatNumber(Math.max(1, Math.round(s)), 0) })
      : t('sync.minutes', { n: formatNumber(Math.ceil(s / 60), 0) });
  const status = useObservable(observeSyncStatus, []);
  const live = useObservable(observeProgress, []);
  const online = useOnline();
  if (!status) return <span class="syncline" aria-busy="true" />;
  const running = live?.running ?? false;
  const p = live?.progress;
  // the browser says offline, or the last try found no server: either way the volunteer is offline
  const offline = !online || (status.lastOutcome === 'offline' && !running);
  const pending = status.pending > 0 ? t('sync.pending', { count: status.pending }) : t('sync.allSent');
  const left = p ? timeLeftS(p) : null;
  const text = running
    ? left !== null
      ? t('sync.syncingLeft', { done: formatNumber(p!.done, 0), total: formatNumber(p!.total, 0), left: formatDuration(left) })
      : t('sync.syncing', { done: p?.done ?? 0, total: p?.total ?? 0 })
    : offline
      ? `📴 ${t('sync.offlineShort')} · ${pending}`
      : status.pending > 0
        ? `⏳ ${pending}`
        : `✓ ${pending}`;
  return (
    <span class="syncline" role="status" aria-live="polite">
      <Link
        href="/status"
        class={`syncline-state ${status.pending > 0 ? 'pending-some' : 'pending-none'}`}
        data-testid="pending-count"
        data-count={status.pending}
        data-offline={offline ? 'true' : 'false'}
      >
        <span>{text}</span>
        <span class="visually-hidden"> · {t('app.status')}</span>
        <span class="last-sync" data-testid="last-sync">
          {status.lastSyncAt ? t('sync.lastSync', { time: formatDateTime(status.lastSyncAt) }) : t('sync.never')}
        </span>
      </Link>
      <button
        type="button"
        class="syncline-now"
        disabled={running}
        aria-label={t('sync.now')}
        title={t('sync.now')}
        onClick={() => void requestSync('manual')}
      >
        <span aria-hidden="true">⟳</span>
      </button>
      {running ? (
        <progress
          class="syncline-progress"
          max={p && p.total > 0 ? p.total : undefined}
          value={p && p.total > 0 ? p.done : undefined}
          aria-label={text}
        />
      ) : null}
    </span>
  );
}

/** Under the header, only while something needs the volunteer: each in words, once. */
export function SyncNotices({ authExpired }: { authExpired: boolean }) {
  const { t } = useI18n();
  const status = useObservable(observeSyncStatus, []);
  const live = useObservable(observeProgress, []);
  if (!status) return null;
  const running = live?.running ?? false;
  const stale = status.oldestPendingAt !== null && Date.now() - status.oldestPendingAt > STALE_PENDING_MS;
  const notices = [
    authExpired ? (
      <p key="auth" class="notice notice-warn" role="alert">
        🔒 {t('sync.signInNeeded')} — <Link href="/login">{t('login.submit')}</Link>
      </p>
    ) : null,
    status.lastOutcome === 'upgrade' ? (
      <p key="upgrade" class="notice notice-warn" role="alert">
        ⬆ {t('sync.updateRequired')}
      </p>
    ) : null,
    status.lastOutcome === 'error' && !running ? (
      <p key="error" class="notice">
        {t('sync.error')}
      </p>
    ) : null,
    stale ? (
      <p key="stale" class="notice notice-warn" role="alert">
        ⚠ {t('sync.oldUnsynced')}
      </p>
    ) : null,
    status.failed > 0 ? (
      <p key="failed" class="notice notice-warn">
        ✕ <Link href="/status">{t('sync.failedCount', { count: status.failed })}</Link>
      </p>
    ) : null,
  ].filter(Boolean);
  return notices.length > 0 ? (
    <section class="sync-notices" aria-label={t('app.status')}>
      {notices}
    </section>
  ) : null;
}
