/** First visit with an empty database: create the first team and its coordinator. */
import { useState } from 'preact/hooks';
import { setupFirstTeam } from '../../data/index.ts';
import type { MessageKey } from '../../shared/i18n/format.ts';
import { Alert } from '../components/Alert.tsx';
import { TextField } from '../components/Field.tsx';
import { useI18n } from '../i18n.tsx';
import { navigate } from '../router.tsx';
import { useAction } from '../use-action.ts';

const BLANK = { teamName: '', region: '', username: '', name: '', password: '', again: '' };
type Form = typeof BLANK;

function check(form: Form): Partial<Record<keyof Form, MessageKey>> {
  const errors: Partial<Record<keyof Form, MessageKey>> = {};
  if (!form.teamName.trim()) errors.teamName = 'v.required';
  if (!form.username.trim()) errors.username = 'v.required';
  if (!form.name.trim()) errors.name = 'v.required';
  if (form.password.length < 8) errors.password = 'v.tooShort';
  if (form.password !== form.again) errors.again = 'setup.passwordMismatch';
  return errors;
}

export default function SetupScreen() {
  const i18n = useI18n();
  const { t } = i18n;
  const [form, setForm] = useState(BLANK);
  const [errors, setErrors] = useState<Partial<Record<keyof Form, MessageKey>>>({});
  const { busy, failure, act } = useAction(i18n);

  function submit(e: Event) {
    e.preventDefault();
    const found = check(form);
    setErrors(found);
    if (Object.keys(found).length) return;
    const { teamName, region, username, name, password } = form;
    act(async () => {
      await setupFirstTeam({ teamName: teamName.trim(), region: region.trim(), username: username.trim(), name: name.trim(), password });
      navigate('/', true);
    });
  }
  const field = (
    k: keyof Form,
    label: string,
    opts: { type?: 'password'; autocomplete?: string; autocapitalize?: 'none'; optional?: boolean } = {},
  ) => (
    <TextField
      id={k}
      label={label}
      error={errors[k]}
      value={form[k]}
      onChange={(v) => setForm({ ...form, [k]: v })}
      max={k === 'region' ? 100 : 200}
      {...opts}
    />
  );
  return (
    <main class="screen">
      <h1>{t('setup.title')}</h1>
      <p>{t('setup.intro')}</p>
      <form onSubmit={submit} noValidate>
        {field('teamName', t('setup.teamName'), { autocomplete: 'organization' })}
        {field('region', t('setup.region'), { optional: true })}
        {field('username', t('setup.username'), { autocomplete: 'username', autocapitalize: 'none' })}
        {field('name', t('setup.displayName'), { autocomplete: 'name' })}
        {field('password', t('setup.password'), { type: 'password', autocomplete: 'new-password' })}
        {field('again', t('setup.passwordAgain'), { type: 'password', autocomplete: 'new-password' })}
        <Alert text={failure} focus />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('app.saving') : t('setup.submit')}
        </button>
      </form>
    </main>
  );
}
