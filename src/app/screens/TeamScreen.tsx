/**
 * The coordinator's day end and team: the hand-in check (team/HandInList), the team's people
 * (team/TeamUsers) and adding one (team/AddUser). Online only: it is the server's view of the
 * team.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiCallError, fetchHandIn, fetchTeamUsers, observeSession, type HandInDevice, type TeamUser } from '../../data/index.ts';
import { Alert, Done } from '../components/Alert.tsx';
import { BackLink, Missing } from '../components/ScreenState.tsx';
import { TeamPicker } from '../components/TeamPicker.tsx';
import { Link } from '../router.tsx';
import { failureMessage } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { useAction } from '../use-action.ts';
import { useObservable } from '../use-observable.ts';
import { AddUser } from './team/AddUser.tsx';
import { HandInList } from './team/HandInList.tsx';
import { TeamUsers } from './team/TeamUsers.tsx';

export default function TeamScreen() {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useObservable(observeSession, []);
  const [devices, setDevices] = useState<HandInDevice[] | null>(null);
  const [users, setUsers] = useState<TeamUser[] | null>(null);
  const [loadFailure, setLoadFailure] = useState('');
  const { failure, done, act: run } = useAction(i18n);

  async function load() {
    setLoadFailure('');
    try {
      const [d, u] = await Promise.all([fetchHandIn(), fetchTeamUsers()]);
      setDevices(d);
      setUsers(u);
    } catch (err) {
      setLoadFailure(err instanceof ApiCallError && err.code === 'network' ? t('team.online') : failureMessage(err, i18n));
    }
  }
  useEffect(() => void load(), []);
  /** A change, then the lists as the server now has them. */
  const act = (work: () => Promise<string>) => run(async () => (await work().finally(() => void load())) as string);

  if (session?.user?.role === 'volunteer') return <Missing>{t('team.forbidden')}</Missing>;
  return (
    <main class="screen">
      <BackLink href="/" />
      <div class="screen-head">
        <h1>{t('team.title')}</h1>
        <button type="button" class="secondary" onClick={() => void load()}>
          ↻ {t('team.refresh')}
        </button>
      </div>
      <TeamPicker onChange={() => void load()} />
      <p>
        <Link href="/team/settings" class="button secondary">
          ⚙ {t('settings.link')}
        </Link>{' '}
        <Link href="/team/roster" class="button secondary">
          🙋 {t('roster.link')}
        </Link>{' '}
        <Link href="/team/hours" class="button secondary">
          ⏱ {t('service.link')}
        </Link>
      </p>
      <Alert text={loadFailure || failure} focus />
      <Done text={done} />
      <HandInList devices={devices} me={session?.user?.role} act={act} />
      <TeamUsers users={users} me={session?.user ?? undefined} act={act} />
      <AddUser me={session?.user?.role} act={act} />
    </main>
  );
}
