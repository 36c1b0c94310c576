/**
 * 我的服务: the signed-in volunteer's own record, from the phone's data, offline — confirmed
 * hours this year and in all, the star level and the hours to the next, the points balance
 * and its history, every activity with its date, place and hours (confirmed, or awaiting a
 * coordinator), their personal check-in code (a QR code and its short code, for the lead to
 * scan with no network) and their own certificate to print. Until a coordinator links the
 * volunteer's roster entry to this account, it says so.
 */
import { useState } from 'preact/hooks';
import { issueCertificates, observeMyService, observeSession, syncSoon, type MyService } from '../../data/index.ts';
import { shortCode, starLevel, volunteerQrText } from '../../shared/hours.ts';
import { Alert } from '../components/Alert.tsx';
import { TextField } from '../components/Field.tsx';
import { QrCode } from '../components/QrCode.tsx';
import { navigate } from '../router.tsx';
import { activityText } from '../form-helpers.ts';
import { useAction } from '../use-action.ts';
import { BackLink, Loading } from '../components/ScreenState.tsx';
import { localDay } from '../../shared/due.ts';
import { useI18n } from '../i18n.tsx';
import { useObservable } from '../use-observable.ts';

export default function MyServiceScreen() {
  const i18n = useI18n();
  const { t, formatDay, formatNumber } = i18n;
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
          <details class="group" data-testid="my-code">
            <summary>🔳 {t('me.code')}</summary>
            <div class="my-code">
              <QrCode
                text={volunteerQrText(mine.volunteer.id)}
                label={t('me.codeLabel', { name: mine.volunteer.name })}
                size={240}
                testId="my-qr"
              />
              <p>
                {t('me.shortCode')}{' '}
                <strong class="short-code" data-testid="short-code">
                  {shortCode(mine.volunteer.id)}
                </strong>
              </p>
              <p class="hint">{t('me.codeHint')}</p>
            </div>
          </details>
          <Points mine={mine} />
          <OwnCertificate mine={mine} year={year} />
          <h2>{t('me.activities')}</h2>
          {mine.items.length === 0 ? (
            <p class="empty">{t('me.none')}</p>
          ) : (
            <ul class="cards" data-testid="my-activities">
              {mine.items.map((it) => (
                <li key={it.attendance.id} class="card">
                  <strong class="card-title">{activityText(it.activity, i18n).title}</strong>
                  <span>
                    {formatDay(it.attendance.date)} · {activityText(it.activity, i18n).site}
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

function Points({ mine }: { mine: MyService }) {
  const i18n = useI18n();
  const { t, formatDay, formatNumber } = i18n;
  return (
    <section aria-labelledby="points-h">
      <h2 id="points-h">{t('points.title')}</h2>
      <p data-testid="points-balance">{t('points.balance', { points: formatNumber(mine.points.balance, 0) })}</p>
      {mine.points.entries.length === 0 ? (
        <p class="empty">{t('points.none')}</p>
      ) : (
        <ul class="cards" data-testid="points-history">
          {mine.points.entries.map((e) => (
            <li key={e.record.id} class="card">
              <span>
                {formatDay(e.date)} · {e.activity ? activityText(e.activity, i18n).title : e.what}
              </span>
              <strong>
                {e.points > 0 ? `+${formatNumber(e.points, 0)}` : formatNumber(e.points, 0)} {t('points.unit')}
                {e.refused ? ` · ⚠ ${t('points.refused')}` : ''}
              </strong>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The volunteer prints their own certificate for a period (this year by default). */
function OwnCertificate({ mine, year }: { mine: MyService; year: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { busy, failure, act, fail } = useAction(i18n);
  const [from, setFrom] = useState(`${year}-01-01`);
  const [to, setTo] = useState(`${year}-12-31`);
  if (!mine.volunteer || mine.total <= 0) return null;
  const volunteerId = mine.volunteer.id;
  return (
    <details class="group" data-testid="own-certificate">
      <summary>📄 {t('cert.own')}</summary>
      <TextField id="cert-from" type="date" label={t('cert.from')} value={from} onChange={setFrom} max={10} />
      <TextField id="cert-to" type="date" label={t('cert.to')} value={to} onChange={setTo} max={10} />
      <p class="form-actions">
        <button
          type="button"
          class="primary"
          disabled={busy}
          onClick={() =>
            act(async () => {
              const r = await issueCertificates([volunteerId], { from, to });
              if (!r.ok) return fail(t(Object.values(r.errors)[0] ?? 'v.invalid'));
              syncSoon();
              navigate(`/certificates?ids=${r.record.map((c) => c.id).join(',')}`);
            })
          }
        >
          {t('cert.issue')}
        </button>
      </p>
      <Alert text={failure} />
    </details>
  );
}
