/**
 * The team's roster of volunteers (志愿者名册), for coordinators: everyone who has served, with
 * school or employer and the phone masked, and the sign-in account each is linked to — the
 * link decides whose own page (我的服务) the hours show on. The roster is on the phone
 * (offline); the list of accounts to link to needs the network.
 */
import { useEffect, useState } from 'preact/hooks';
import { fetchTeamUsers, linkVolunteer, observeRoster, observeSession, syncSoon, type TeamUser } from '../../data/index.ts';
import { maskPhone } from '../../shared/address.ts';
import { Alert, Done } from '../components/Alert.tsx';
import { BackLink, Loading, Missing } from '../components/ScreenState.tsx';
import { useI18n } from '../i18n.tsx';
import { useAction } from '../use-action.ts';
import { useObservable } from '../use-observable.ts';

export default function RosterScreen() {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useObservable(observeSession, []);
  const roster = useObservable(observeRoster, []);
  const [users, setUsers] = useState<TeamUser[] | null>(null);
  const { failure, done, act } = useAction(i18n);
  useEffect(() => {
    fetchTeamUsers()
      .then(setUsers)
      .catch(() => setUsers(null));
  }, []);
  if (session?.user?.role === 'volunteer') return <Missing>{t('team.forbidden')}</Missing>;
  if (roster === undefined) return <Loading />;
  const link = (volunteerId: string, userId: string) =>
    act(async () => {
      const r = await linkVolunteer(volunteerId, userId || null);
      if (!r.ok) throw new Error(t(Object.values(r.errors)[0] ?? 'v.invalid'));
      syncSoon();
      return t('roster.linked');
    });
  return (
    <main class="screen">
      <BackLink href="/team" />
      <h1>{t('roster.title')}</h1>
      <p class="hint">{t('roster.intro')}</p>
      {users === null ? <p class="notice">{t('roster.usersOffline')}</p> : null}
      <Alert text={failure} />
      <Done text={done} />
      {roster.length === 0 ? (
        <p class="empty">{t('roster.empty')}</p>
      ) : (
        <ul class="cards" data-testid="roster">
          {roster.map((v) => (
            <li key={v.id} class="card">
              <strong class="card-title">{v.name}</strong>
              <span>
                {[
                  v.org,
                  v.phone ? `☎ ${maskPhone(v.phone)}` : '',
                  v.volunteerNumber ? t('roster.number', { number: v.volunteerNumber }) : '',
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
              {users ? (
                <label class="inline-field">
                  <span>{t('roster.account')}</span>
                  <select value={v.userId ?? ''} onChange={(e) => link(v.id, (e.target as HTMLSelectElement).value)}>
                    <option value="">{t('roster.noAccount')}</option>
                    {users.map((u) => (
                      <option key={u.id} value={u.id}>
                        {u.name} ({u.username})
                      </option>
                    ))}
                  </select>
                </label>
              ) : v.userId ? (
                <span>{t('roster.hasAccount')}</span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
