/** First visit with an empty database: create the first team and its coordinator. */
import { useState } from 'preact/hooks';
import { setupFirstTeam } from '../../data/index.ts';
import type { MessageKey } from '../../shared/i18n/format.ts';
import { Field } from '../components/Field.tsx';
import { failureMessage } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { navigate } from '../router.tsx';
import { Alert } from '../components/Alert.tsx';

export default function SetupScreen() {
  const i18n = useI18n();
  const { t } = i18n;
  const [form, setForm] = useState({ teamName: '', region: '', username: '', name: '', password: '', again: '' });
  const [errors, setErrors] = useState<Partial<Record<keyof typeof form, MessageKey>>>({});
  const [failure, setFailure] = useState('');
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (e: Event) => setForm({ ...form, [k]: (e.target as HTMLInputElement).value });

  async function submit(e: Event) {
    e.preventDefault();
    const next: typeof errors = {};
    if (!form.teamName.trim()) next.teamName = 'v.required';
    if (!form.username.trim()) next.username = 'v.required';
    if (!form.name.trim()) next.name = 'v.required';
    if (form.password.length < 8) next.password = 'v.tooShort';
    if (form.password !== form.again) next.again = 'setup.passwordMismatch';
    setErrors(next);
    if (Object.keys(next).length) return;
    setBusy(true);
    setFailure('');
    try {
      await setupFirstTeam({
        teamName: form.teamName.trim(),
        region: form.region.trim(),
        username: form.username.trim(),
        name: form.name.trim(),
        password: form.password,
      });
      navigate('/', true);
    } catch (err) {
      setFailure(failureMessage(err, i18n));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="screen">
      <h1>{t('setup.title')}</h1>
      <p>{t('setup.intro')}</p>
      <form onSubmit={submit} noValidate>
        <Field id="teamName" label={t('setup.teamName')} error={errors.teamName}>
          {(a) => <input {...a} value={form.teamName} onInput={set('teamName')} autocomplete="organization" />}
        </Field>
        <Field id="region" label={t('setup.region')} optional>
          {(a) => <input {...a} value={form.region} onInput={set('region')} />}
        </Field>
        <Field id="username" label={t('setup.username')} error={errors.username}>
          {(a) => <input {...a} value={form.username} onInput={set('username')} autocomplete="username" autocapitalize="none" />}
        </Field>
        <Field id="name" label={t('setup.displayName')} error={errors.name}>
          {(a) => <input {...a} value={form.name} onInput={set('name')} autocomplete="name" />}
        </Field>
        <Field id="password" label={t('setup.password')} error={errors.password}>
          {(a) => <input {...a} type="password" value={form.password} onInput={set('password')} autocomplete="new-password" />}
        </Field>
        <Field id="again" label={t('setup.passwordAgain')} error={errors.again}>
          {(a) => <input {...a} type="password" value={form.again} onInput={set('again')} autocomplete="new-password" />}
        </Field>
        <Alert text={failure} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('app.saving') : t('setup.submit')}
        </button>
      </form>
    </main>
  );
}
