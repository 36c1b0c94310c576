/**
 * Signing out, which never deletes what has not reached the server: with records still on
 * the phone it asks first — sync, then sign out; or sign out and keep them (they go with the
 * next sign-in).
 */
import { useEffect, useState } from 'preact/hooks';
import { requestSync, signOut, type SyncStatus } from '../../../data/index.ts';
import { Alert } from '../../components/Alert.tsx';
import { useI18n } from '../../i18n.tsx';
import { navigate } from '../../router.tsx';
import { useAction } from '../../use-action.ts';

export function SignOut({ status }: { status: SyncStatus | undefined }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { failure, act } = useAction(i18n);
  const [asking, setAsking] = useState(false);
  const [syncingOut, setSyncingOut] = useState(false);
  const pending = status?.pending ?? 0;
  const out = () => act(async () => (await signOut(), navigate('/login', true)));
  // "Sync, then sign out": signs out only once the server has everything.
  useEffect(() => {
    if (syncingOut && status && status.pending === 0) out();
  }, [syncingOut, status]);
  return (
    <section>
      <h2>{t('app.signOut')}</h2>
      {!asking ? (
        <button type="button" class="secondary" onClick={() => (pending > 0 ? setAsking(true) : out())} data-testid="sign-out">
          {t('app.signOut')}
        </button>
      ) : (
        <div class="notice notice-warn" role="alertdialog" aria-labelledby="signout-q">
          <p id="signout-q">{t('status.signOutPending', { count: pending })}</p>
          <div class="form-actions">
            <button type="button" class="primary" onClick={() => (setSyncingOut(true), void requestSync('manual'))} disabled={syncingOut}>
              {t('status.syncThenSignOut')}
            </button>
            <button type="button" class="secondary" onClick={out}>
              {t('status.signOutKeep')}
            </button>
            <button type="button" class="secondary" onClick={() => setAsking(false)}>
              {t('app.cancel')}
            </button>
          </div>
        </div>
      )}
      <Alert text={failure} focus />
    </section>
  );
}
