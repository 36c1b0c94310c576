/** Sign in; also where an expired sign-in is renewed without touching what is on the phone. */
import { useState } from 'preact/hooks';
import { observeSyncStatus, requestSync, signIn } from '../../data/index.ts';
import { Alert } from '../components/Alert.tsx';
import { TextField } from '../components/Field.tsx';
import { useI18n } from '../i18n.tsx';
import { navigate } from '../router.tsx';
import { useAction } from '../use-action.ts';
import { useObservable } from '../use-observable.ts';

export default function LoginScreen({ again }: { again: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { busy, failure, act, fail } = useAction(i18n);
  const status = useObservable(observeSyncStatus, []);

  function submit(e: Event) {
    e.preventDefault();
    if (!navigator.onLine) return fail(t('login.offline'));
    act(async () => {
      await signIn(username.trim(), password);
      void requestSync('signin');
      navigate('/', true);
    });
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
        <TextField
          id="username"
          label={t('login.username')}
          value={username}
          onChange={setUsername}
          max={100}
          autocomplete="username"
          autocapitalize="none"
        />
        <TextField
          id="password"
          label={t('login.password')}
          type="password"
          value={password}
          onChange={setPassword}
          max={200}
          autocomplete="current-password"
        />
        <Alert text={failure} focus />
        <button type="submit" class="primary" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
    </main>
  );
}
