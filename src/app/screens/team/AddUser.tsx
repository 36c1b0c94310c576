/** Adding a volunteer or a coordinator to the team: a username, a name, a role, a first password. */
import { useState } from 'preact/hooks';
import { addTeamUser } from '../../../data/index.ts';
import { manages, type Role } from '../../../shared/roles.ts';
import { SelectField, TextField } from '../../components/Field.tsx';
import { useI18n } from '../../i18n.tsx';

const ROLES = ['volunteer', 'coordinator'] as const;
const BLANK = { username: '', name: '', role: 'volunteer' as (typeof ROLES)[number], password: '' };

export function AddUser({ me, act }: { me: Role | undefined; act: (work: () => Promise<string>) => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState(BLANK);
  const set = (k: 'username' | 'name' | 'password') => (v: string) => setForm({ ...form, [k]: v });
  const submit = (e: Event) => {
    e.preventDefault();
    act(async () => {
      await addTeamUser(form);
      setForm(BLANK);
      return t('team.added', { name: form.name });
    });
  };
  return (
    <section aria-labelledby="add-h">
      <h2 id="add-h">{t('team.addTitle')}</h2>
      <form noValidate onSubmit={submit}>
        <TextField
          id="new-username"
          label={t('team.username')}
          autocomplete="off"
          value={form.username}
          onChange={set('username')}
          max={40}
        />
        <TextField id="new-name" label={t('team.name')} autocomplete="off" value={form.name} onChange={set('name')} max={60} />
        <SelectField
          id="new-role"
          label={t('team.role')}
          value={form.role}
          options={ROLES.filter((r) => me && manages(me, r))}
          optionLabel={(r) => t(`team.role.${r}`)}
          onChange={(role) => role && setForm({ ...form, role })}
        />
        <TextField
          id="new-password"
          label={t('team.password')}
          type="password"
          autocomplete="new-password"
          value={form.password}
          onChange={set('password')}
          max={200}
        />
        <button type="submit" class="primary">
          ＋ {t('team.add')}
        </button>
      </form>
    </section>
  );
}
