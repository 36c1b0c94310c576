/**
 * The team's volunteers and coordinators: a new password for one who forgot theirs, and
 * deactivating (or activating again) someone who left. A coordinator does not manage admins,
 * nor themselves out of the team.
 */
import { useState } from 'preact/hooks';
import { resetPassword, setUserActive, type TeamUser } from '../../../data/index.ts';
import { manages, type Role } from '../../../shared/roles.ts';
import { TextField } from '../../components/Field.tsx';
import { useI18n } from '../../i18n.tsx';

interface Props {
  users: TeamUser[] | null;
  me: { id: string; role: Role } | undefined;
  act: (work: () => Promise<string>) => void;
}

export function TeamUsers({ users, me, act }: Props) {
  const { t } = useI18n();
  const [resetting, setResetting] = useState<string | null>(null);
  const [newPassword, setNewPassword] = useState('');
  if (users === null) return null;
  const reset = (e: Event, userId: string) => {
    e.preventDefault();
    act(async () => {
      await resetPassword(userId, newPassword);
      setResetting(null);
      setNewPassword('');
      return t('team.passwordReset');
    });
  };
  return (
    <section aria-labelledby="users-h">
      <h2 id="users-h">{t('team.usersTitle')}</h2>
      <ul class="cards" data-testid="team-users">
        {users.map((u) => (
          <li key={u.id} class="card">
            <strong class="card-title">
              {u.name} ({u.username})
            </strong>
            <span class="card-meta">
              <span>{t(`team.role.${u.role}`)}</span>
              {u.active ? null : <span class="status">⛔ {t('team.inactive')}</span>}
            </span>
            {me && manages(me.role, u.role) ? (
              <div class="form-actions">
                <button
                  type="button"
                  class="secondary"
                  onClick={() => setResetting(resetting === u.id ? null : u.id)}
                  aria-expanded={resetting === u.id}
                >
                  {t('team.resetPassword')}
                </button>
                {u.id !== me?.id ? (
                  <button
                    type="button"
                    class="secondary"
                    onClick={() =>
                      act(async () => (await setUserActive(u.id, !u.active), u.active ? t('team.inactive') : t('team.activate')))
                    }
                  >
                    {u.active ? t('team.deactivate') : t('team.activate')}
                  </button>
                ) : null}
              </div>
            ) : null}
            {resetting === u.id ? (
              <form noValidate onSubmit={(e) => reset(e, u.id)}>
                <TextField
                  id={`pw-${u.id}`}
                  label={t('team.newPassword')}
                  type="password"
                  autocomplete="new-password"
                  value={newPassword}
                  onChange={setNewPassword}
                  max={200}
                />
                <button type="submit" class="primary">
                  {t('app.save')}
                </button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
