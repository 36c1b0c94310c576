/** For an admin: which team the coordinator screens show (an admin sees every team). */
import { useEffect, useState } from 'preact/hooks';
import { adminTeamId, fetchTeams, observeSession, setAdminTeam } from '../../data/index.ts';
import { useI18n } from '../i18n.tsx';
import { useObservable } from '../use-observable.ts';
import { Field } from './Field.tsx';

export function TeamPicker({ onChange }: { onChange: () => void }) {
  const { t } = useI18n();
  const session = useObservable(observeSession, []);
  const admin = session?.user?.role === 'admin';
  const [teams, setTeams] = useState<{ id: string; name: string }[]>([]);
  useEffect(() => {
    if (admin) fetchTeams().then(setTeams, () => setTeams([]));
  }, [admin]);
  if (!admin || teams.length === 0) return null;
  return (
    <div class="no-print">
      <Field id="team-pick" label={t('admin.team')}>
        {(a) => (
          <select
            {...a}
            value={adminTeamId() ?? ''}
            onChange={(e) => {
              const id = (e.target as HTMLSelectElement).value;
              setAdminTeam(id && id !== session?.user?.teamId ? id : null);
              onChange();
            }}
          >
            <option value="">{t('admin.ownTeam', { name: session?.user?.teamName ?? '' })}</option>
            {teams
              .filter((tm) => tm.id !== session?.user?.teamId)
              .map((tm) => (
                <option key={tm.id} value={tm.id}>
                  {tm.name}
                </option>
              ))}
          </select>
        )}
      </Field>
    </div>
  );
}
