/**
 * Sync and storage: refused records with their reasons (status/RefusedList), whether the
 * browser may clear the data, space used, the invitation to install, this phone's letter,
 * offline hand-over to another phone, and signing out (status/SignOut).
 */
import { useEffect, useState } from 'preact/hooks';
import { observeSession, observeSyncStatus, storageReport, type StorageReport } from '../../data/index.ts';
import { HandoverSection } from '../components/HandoverSection.tsx';
import { BackLink } from '../components/ScreenState.tsx';
import { useI18n } from '../i18n.tsx';
import { installPrompt } from '../install.ts';
import { useObservable } from '../use-observable.ts';
import { RefusedList } from './status/RefusedList.tsx';
import { SignOut } from './status/SignOut.tsx';

export default function StatusScreen() {
  const { t, formatBytes } = useI18n();
  const status = useObservable(observeSyncStatus, []);
  const session = useObservable(observeSession, []);
  const [report, setReport] = useState<StorageReport | null>(null);
  const [canInstall, setCanInstall] = useState(installPrompt.available());
  useEffect(() => {
    void storageReport().then(setReport);
    return installPrompt.subscribe(() => setCanInstall(installPrompt.available()));
  }, []);
  return (
    <main class="screen">
      <BackLink href="/" />
      <h1>{t('status.title')}</h1>
      <RefusedList />
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
      <SignOut status={status} />
    </main>
  );
}
