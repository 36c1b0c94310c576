/**
 * 我的服务: the signed-in volunteer's own record, from the phone's data, offline — confirmed
 * hours this year and in all, the star level and the hours to the next, and every activity
 * with its date, place and hours (confirmed, or awaiting a coordinator). Until a coordinator
 * links the volunteer's roster entry to this account, it says so.
 */
import { observeMyService, observeSession } from '../../data/index.ts';
import { starLevel } from '../../shared/hours.ts';
import { BackLink, Loading } from '../components/ScreenState.tsx';
import { localDay } from '../../shared/due.ts';
import { useI18n } from '../i18n.tsx';
import { useObservable } from '../use-observable.ts';

export default function MyServiceScreen() {
  const { t, formatDay, formatNumber } = useI18n();
  const session = useObservable(observeSession, []);
  const year = localDay(new Date().toISOString(), session?.user?.timeZone).slice(0, 4);
  const mine = useObservable(() => observeMyService(year), [year]);
  if (mine === undefined) return <Loading />;
  const level = starLevel(mine.total);
  return (
    <main class="screen">
      <BackLink href="/" />
      <h1>{t('me.title')}</h1>
      {!mine.volunteer ? (
        <p class="notice">{t('me.notLinked')}</p>
      ) : (
        <>
          <dl class="facts" data-testid="my-totals">
            <div>
              <dt>{t('me.thisYear', { year })}</dt>
              <dd>{t('me.hours', { hours: formatNumber(mine.thisYear, 2) })}</dd>
            </div>
            <div>
              <dt>{t('me.total')}</dt>
              <dd>{t('me.hours', { hours: formatNumber(mine.total, 2) })}</dd>
            </div>
            <div>
              <dt>{t('me.stars')}</dt>
              <dd data-testid="stars">
                {level.stars > 0 ? `${'★'.repeat(level.stars)} ${t('me.starN', { n: level.stars })}` : t('me.noStar')}
                {level.toNext !== null ? ` · ${t('me.toNext', { hours: formatNumber(level.toNext, 2), n: level.stars + 1 })}` : ''}
              </dd>
            </div>
          </dl>
          {mine.awaiting > 0 ? <p class="hint">{t('me.awaiting', { count: mine.awaiting })}</p> : null}
          <h2>{t('me.activities')}</h2>
          {mine.items.length === 0 ? (
            <p class="empty">{t('me.none')}</p>
          ) : (
            <ul class="cards" data-testid="my-activities">
              {mine.items.map((it) => (
                <li key={it.attendance.id} class="card">
                  <strong class="card-title">{it.eventTitle}</strong>
                  <span>
                    {formatDay(it.attendance.date)} · {it.site}
                  </span>
                  <span>
                    {it.confirmed
                      ? `✓ ${t('me.confirmedHours', { hours: formatNumber(it.confirmed.hours, 2) })}`
                      : it.attendance.checkOutAt
                        ? t('me.awaitingOne', { hours: formatNumber(it.hours, 2) })
                        : t('me.stillIn')}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </main>
  );
}
