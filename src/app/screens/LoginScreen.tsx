/** Sign in; also where an expired sign-in is renewed without touching what is on the phone. */
import { useState } from 'preact/hooks';
import { requestSync, signIn, observeSyncStatus } from '../../data/index.ts';
import { Field } from '../components/Field.tsx';
import { failureMessage } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { navigate } from '../router.tsx';
import { useObservable } from '../use-observable.ts';
import { Alert } from '../components/Alert.tsx';

export default function LoginScreen({ again }: { again: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [failure, setFailure] = useState('');
  const [busy, setBusy] = useState(false);
  const status = useObservable(observeSyncStatus, []);

  async function submit(e: Event) {
    e.preventDefault();
    if (!navigator.onLine) {
      setFailure(t('login.offline'));
      return;
    }
    setBusy(true);
    setFailure('');
    try {
      await signIn(username.trim(), password);
      void requestSync('signin');
      navigate('/', true);
    } catch (err) {
      setFailure(failureMessage(err, i18n));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="screen">
      <h1>{t('login.title')}</h1>
      {again ? (
        <p class="notice notice-warn" role="status">
          🔒 {t('login.again', { count: status?.pending ?? 0 })}
        </p>
      ) : null}
      <form onSubmit={submit} noValidate>
        <Field id="username" label={t('login.username')}>
          {(a) => (
            <input
              {...a}
              value={username}
              onInput={(e) => setUsername((e.target as HTMLInputElement).value)}
              autocomplete="username"
              autocapitalize="none"
              required
            />
          )}
        </Field>
        <Field id="password" label={t('login.password')}>
          {(a) => (
            <input
              {...a}
              type="password"
              value={password}
              onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
              autocomplete="current-password"
              required
            />
          )}
        </Field>
        <Alert text={failure} />
        <button type="submit" class="primary" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
    </main>
  );
}
