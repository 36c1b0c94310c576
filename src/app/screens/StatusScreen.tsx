/**
 * Sync and storage: refused records with their reasons, whether the browser may clear the
 * data, space used, the invitation to install, this phone's letter, offline hand-over to
 * another phone, and signing out (which never deletes what has not reached the server).
 */
import { useEffect, useState } from 'preact/hooks';
import {
  dismissFailed,
  observeFailed,
  observeSession,
  observeSyncStatus,
  requestSync,
  signOut,
  storageReport,
  type StorageReport,
} from '../../data/index.ts';
import { HandoverSection } from '../components/HandoverSection.tsx';
import { useI18n } from '../i18n.tsx';
import { Link, navigate } from '../router.tsx';
import { installPrompt } from '../install.ts';
import { useObservable } from '../use-observable.ts';

export default function StatusScreen() {
  const { t, formatDateTime, formatBytes } = useI18n();
  const failed = useObservable(observeFailed, []);
  const status = useObservable(observeSyncStatus, []);
  const session = useObservable(observeSession, []);
  const [report, setReport] = useState<StorageReport | null>(null);
  const [confirmSignOut, setConfirmSignOut] = useState(false);
  const [canInstall, setCanInstall] = useState(installPrompt.available());
  useEffect(() => {
    void storageReport().then(setReport);
    return installPrompt.subscribe(() => setCanInstall(installPrompt.available()));
  }, []);

  async function doSignOut() {
    await signOut();
    navigate('/login', true);
  }

  // "Sync, then sign out": signs out only once the server has everything.
  const [syncingOut, setSyncingOut] = useState(false);
  useEffect(() => {
    if (syncingOut && status && status.pending === 0) void doSignOut();
  }, [syncingOut, status]);
  function syncThenSignOut() {
    setSyncingOut(true);
    void requestSync('manual');
  }

  return (
    <main class="screen">
      <Link href="/" class="back">
        ‹ {t('app.back')}
      </Link>
      <h1>{t('status.title')}</h1>

      <section>
        <h2>{t('status.failedTitle')}</h2>
        {failed === undefined ? null : failed.length === 0 ? (
          <p>{t('status.failedNone')}</p>
        ) : (
          <ul class="cards" data-testid="failed-list">
            {failed.map((f) => (
              <li key={f.id} class="card card-failed">
                <strong>✕ {f.type === 'repairTicket' ? t('ticket.listTitle') : t('event.listTitle')}</strong>
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

      <section>
        <h2>{t('app.status')}</h2>
        <p data-testid="persistence">
          {report === null
            ? t('app.loading')
            : report.persistence === 'persisted'
              ? `🔒 ${t('status.persisted')}`
              : report.persistence === 'not-persisted'
                ? `⚠ ${t('status.notPersisted')}`
                : t('status.persistUnknown')}
        </p>
        {report?.usage != null && report.quota != null ? (
          <p>{t('status.usage', { used: formatBytes(report.usage), quota: formatBytes(report.quota) })}</p>
        ) : null}
        <p>{session?.deviceLetter ? t('status.device', { letter: session.deviceLetter }) : t('status.deviceUnknown')}</p>
        {canInstall ? (
          <div class="notice">
            <p>{t('status.installHint')}</p>
            <button type="button" class="primary" onClick={() => void installPrompt.show()}>
              {t('status.install')}
            </button>
          </div>
        ) : null}
      </section>

      <HandoverSection />
      <section>
        <h2>{t('app.signOut')}</h2>
        {!confirmSignOut ? (
          <button
            type="button"
            class="secondary"
            onClick={() => ((status?.pending ?? 0) > 0 ? setConfirmSignOut(true) : void doSignOut())}
            data-testid="sign-out"
          >
            {t('app.signOut')}
          </button>
        ) : (
          <div class="notice notice-warn" role="alertdialog" aria-labelledby="signout-q">
            <p id="signout-q">{t('status.signOutPending', { count: status?.pending ?? 0 })}</p>
            <div class="form-actions">
              <button type="button" class="primary" onClick={syncThenSignOut} disabled={syncingOut}>
                {t('status.syncThenSignOut')}
              </button>
              <button type="button" class="secondary" onClick={() => void doSignOut()}>
                {t('status.signOutKeep')}
              </button>
              <button type="button" class="secondary" onClick={() => setConfirmSignOut(false)}>
                {t('app.cancel')}
              </button>
            </div>
          </div>
        )}
      </section>
    </main>
  );
}
