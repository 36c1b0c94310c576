/**
 * The coordinator's day end and team: the hand-in check — every phone, when it last handed
 * in and whether it still held records (those on top, marked in words) — then the team's
 * volunteers: add one, reset a password, deactivate, and revoke a lost phone's sign-in.
 * Online only: it is the server's view of the team.
 */
import { useEffect, useState } from 'preact/hooks';
import {
  addTeamUser,
  ApiCallError,
  fetchHandIn,
  fetchTeamUsers,
  observeSession,
  resetPassword,
  revokeDevice,
  setUserActive,
  type HandInDevice,
  type TeamUser,
} from '../../data/index.ts';
import { ConfirmButton } from '../components/ConfirmButton.tsx';
import { Field } from '../components/Field.tsx';
import { TeamPicker } from '../components/TeamPicker.tsx';
import { failureMessage } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { useObservable } from '../use-observable.ts';
import { Alert } from '../components/Alert.tsx';

/** "Android 13 · Chrome 120" from a user agent: enough to tell two phones apart. */
function deviceKind(ua: string): string {
  const os =
    /Android [\d.]+/.exec(ua)?.[0] ?? /iPhone OS [\d_]+/.exec(ua)?.[0].replace(/_/g, '.') ?? /(Windows|Mac OS X|Linux)/.exec(ua)?.[0] ?? '';
  const browser = /(MicroMessenger|HuaweiBrowser|MiuiBrowser|UCBrowser|Edg|Chrome|Firefox|Safari)\/(\d+)/.exec(ua);
  return [os, browser ? `${browser[1]} ${browser[2]}` : ''].filter(Boolean).join(' · ');
}

export default function TeamScreen() {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const session = useObservable(observeSession, []);
  const [devices, setDevices] = useState<HandInDevice[] | null>(null);
  const [users, setUsers] = useState<TeamUser[] | null>(null);
  const [failure, setFailure] = useState('');
  const [notice, setNotice] = useState('');
  const [resetting, setResetting] = useState<string | null>(null);
  const [newPassword, setNewPassword] = useState('');
  const [form, setForm] = useState({ username: '', name: '', role: 'volunteer' as 'volunteer' | 'coordinator', password: '' });

  async function load() {
    setFailure('');
    try {
      const [d, u] = await Promise.all([fetchHandIn(), fetchTeamUsers()]);
      setDevices(d);
      setUsers(u);
    } catch (err) {
      setFailure(err instanceof ApiCallError && err.code === 'network' ? t('team.online') : failureMessage(err, i18n));
    }
  }
  useEffect(() => {
    void load();
  }, []);

  async function act(work: () => Promise<string>) {
    setFailure('');
    setNotice('');
    try {
      setNotice(await work());
      await load();
    } catch (err) {
      setFailure(failureMessage(err, i18n));
    }
  }

  const role = session?.user?.role;
  if (role === 'volunteer')
    return (
      <main class="screen">
        <p>{t('team.forbidden')}</p>
      </main>
    );
  return (
    <main class="screen">
      <Link href="/" class="back">
        ‹ {t('app.back')}
      </Link>
      <div class="screen-head">
        <h1>{t('team.title')}</h1>
        <button type="button" class="secondary" onClick={() => void load()}>
          ↻ {t('team.refresh')}
        </button>
      </div>
      <TeamPicker onChange={() => void load()} />
      <Alert text={failure} />
      {notice ? (
        <p class="notice" role="status">
          ✓ {notice}
        </p>
      ) : null}

      <section aria-labelledby="handin-h">
        <h2 id="handin-h">{t('team.handInTitle')}</h2>
        <p class="hint">{t('team.handInIntro')}</p>
        {devices === null ? null : devices.length === 0 ? (
          <p class="empty">{t('team.noDevices')}</p>
        ) : (
          <ul class="cards" data-testid="hand-in">
            {devices.map((d) => (
              <li key={d.id} class={`card${d.warning ? ' card-warn' : ''}`} data-warning={String(d.warning)} data-letter={d.letter}>
                <strong class="card-title">
                  {t('team.device', { letter: d.letter })} · {d.userName} ({d.username})
                </strong>
                <span>{d.lastSyncAt === null ? t('team.neverSynced') : t('team.lastSync', { time: formatDateTime(d.lastSyncAt) })}</span>
                <span class="card-meta">
                  {deviceKind(d.userAgent) ? <span>{t('team.deviceKind', { kind: deviceKind(d.userAgent) })}</span> : null}
                  {d.appVersion ? <span>{t('team.appVersion', { version: d.appVersion })}</span> : null}
                  <span>{d.activeSessions > 0 ? t('team.signedIn') : t('team.signedOut')}</span>
                </span>
                <span class={d.warning ? 'pending-some' : 'pending-none'}>
                  {d.pending > 0 ? t('team.pendingLeft', { count: d.pending }) : d.warning ? t('team.notToday') : t('team.handedIn')}
                </span>
                {d.activeSessions > 0 ? (
                  <ConfirmButton
                    label={t('team.revoke')}
                    question={t('team.revokeConfirm')}
                    onConfirm={() => act(async () => t('team.revoked', { count: await revokeDevice(d.id) }))}
                  />
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="users-h">
        <h2 id="users-h">{t('team.usersTitle')}</h2>
        {users === null ? null : (
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
                {u.role !== 'admin' || role === 'admin' ? (
                  <div class="form-actions">
                    <button
                      type="button"
                      class="secondary"
                      onClick={() => setResetting(resetting === u.id ? null : u.id)}
                      aria-expanded={resetting === u.id}
                    >
                      {t('team.resetPassword')}
                    </button>
                    {u.id !== session?.user?.id ? (
                      <button
                        type="button"
                        class="secondary"
                        onClick={() =>
                          void act(async () => (await setUserActive(u.id, !u.active), u.active ? t('team.inactive') : t('team.activate')))
                        }
                      >
                        {u.active ? t('team.deactivate') : t('team.activate')}
                      </button>
                    ) : null}
                  </div>
                ) : null}
                {resetting === u.id ? (
                  <form
                    noValidate
                    onSubmit={(e) => {
                      e.preventDefault();
                      void act(async () => {
                        await resetPassword(u.id, newPassword);
                        setResetting(null);
                        setNewPassword('');
                        return t('team.passwordReset');
                      });
                    }}
                  >
                    <Field id={`pw-${u.id}`} label={t('team.newPassword')}>
                      {(a) => (
                        <input
                          {...a}
                          type="password"
                          autocomplete="new-password"
                          value={newPassword}
                          onInput={(e) => setNewPassword((e.target as HTMLInputElement).value)}
                        />
                      )}
                    </Field>
                    <button type="submit" class="primary">
                      {t('app.save')}
                    </button>
                  </form>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="add-h">
        <h2 id="add-h">{t('team.addTitle')}</h2>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void act(async () => {
              await addTeamUser(form);
              const name = form.name;
              setForm({ username: '', name: '', role: 'volunteer', password: '' });
              return t('team.added', { name });
            });
          }}
        >
          <Field id="new-username" label={t('team.username')}>
            {(a) => (
              <input
                {...a}
                autocomplete="off"
                value={form.username}
                onInput={(e) => setForm({ ...form, username: (e.target as HTMLInputElement).value })}
              />
            )}
          </Field>
          <Field id="new-name" label={t('team.name')}>
            {(a) => (
              <input
                {...a}
                autocomplete="off"
                value={form.name}
                onInput={(e) => setForm({ ...form, name: (e.target as HTMLInputElement).value })}
              />
            )}
          </Field>
          <Field id="new-role" label={t('team.role')}>
            {(a) => (
              <select
                {...a}
                value={form.role}
                onChange={(e) => setForm({ ...form, role: (e.target as HTMLSelectElement).value as 'volunteer' | 'coordinator' })}
              >
                <option value="volunteer">{t('team.role.volunteer')}</option>
                <option value="coordinator">{t('team.role.coordinator')}</option>
              </select>
            )}
          </Field>
          <Field id="new-password" label={t('team.password')}>
            {(a) => (
              <input
                {...a}
                type="password"
                autocomplete="new-password"
                value={form.password}
                onInput={(e) => setForm({ ...form, password: (e.target as HTMLInputElement).value })}
              />
            )}
          </Field>
          <button type="submit" class="primary">
            ＋ {t('team.add')}
          </button>
        </form>
      </section>
    </main>
  );
}
