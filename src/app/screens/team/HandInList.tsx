/**
 * The hand-in check: every phone of the team with its volunteer, system, app version, last
 * sync and the records it still held — those to chase on top, marked in words — and, for a
 * lost phone, revoking its sign-in.
 */
import { revokeDevice, type HandInDevice } from '../../../data/index.ts';
import { isRecordType } from '../../../shared/record-defaults.ts';
import { manages, type Role } from '../../../shared/roles.ts';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { useI18n } from '../../i18n.tsx';

/** "Android 13 · Chrome 120" from a user agent: enough to tell two phones apart. */
function deviceKind(ua: string): string {
  const os =
    /Android [\d.]+/.exec(ua)?.[0] ?? /iPhone OS [\d_]+/.exec(ua)?.[0].replace(/_/g, '.') ?? /(Windows|Mac OS X|Linux)/.exec(ua)?.[0] ?? '';
  const browser = /(MicroMessenger|HuaweiBrowser|MiuiBrowser|UCBrowser|Edg|Chrome|Firefox|Safari)\/(\d+)/.exec(ua);
  return [os, browser ? `${browser[1]} ${browser[2]}` : ''].filter(Boolean).join(' · ');
}

export function HandInList({
  devices,
  me,
  act,
}: {
  devices: HandInDevice[] | null;
  me: Role | undefined;
  act: (work: () => Promise<string>) => void;
}) {
  const { t, formatDateTime } = useI18n();
  return (
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
                {d.pending > 0
                  ? t('team.pendingLeft', { count: d.pending })
                  : d.lastSyncAt === null
                    ? t('team.neverSyncedWarn')
                    : d.syncedToday
                      ? t('team.handedIn')
                      : t('team.nothingHeld')}
              </span>
              {d.held.length > 0 ? (
                <details class="held" data-testid="held">
                  <summary>{t('team.heldOpen', { count: d.held.length })}</summary>
                  <ul>
                    {d.held.map((r, i) => (
                      <li key={i}>
                        {isRecordType(r.type) ? t(`recordType.${r.type}`) : r.type}
                        {r.label ? ` · ${r.label}` : ''} · {t('team.heldSaved', { time: formatDateTime(r.savedAt) })}
                      </li>
                    ))}
                  </ul>
                  {d.pending > d.held.length ? <p class="hint">{t('team.heldMore', { count: d.pending - d.held.length })}</p> : null}
                </details>
              ) : null}
              {d.activeSessions > 0 && me && manages(me, d.role) ? (
                <ConfirmButton
                  label={t('team.revoke')}
                  question={t('team.revokeConfirm')}
                  onConfirm={async () => act(async () => t('team.revoked', { count: await revokeDevice(d.id) }))}
                />
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
