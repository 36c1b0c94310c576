/**
 * 志愿服务证明, printable on A4 (or saved as PDF by the browser's print): one page per
 * certificate — a school's students in one go — each with the organisation, the volunteer,
 * the period, every activity with its date, content, place and hours, the total, the serial,
 * the date of issue, a space for the seal, and a QR code to the public verification page.
 */
import { observeCertificates, observeSession, type CertificateView } from '../../data/index.ts';
import { QrCode } from '../components/QrCode.tsx';
import { activityText } from '../form-helpers.ts';
import { BackLink, Loading, Missing } from '../components/ScreenState.tsx';
import { useI18n } from '../i18n.tsx';
import { useObservable } from '../use-observable.ts';

function CertificatePage({ view, organisation }: { view: CertificateView; organisation: string }) {
  const i18n = useI18n();
  const { t, formatDay, formatNumber } = i18n;
  const { certificate: c, volunteer, items } = view;
  const url = `${location.origin}/verify/${c.serial}`;
  return (
    <article class="certificate" data-testid="certificate" data-serial={c.serial} aria-label={t('cert.title')}>
      <h2>{t('cert.title')}</h2>
      <p class="certificate-serial">
        {t('cert.serial')}: <strong data-testid="cert-serial">{c.serial}</strong>
      </p>
      <p data-testid="cert-body">
        {t('cert.body', {
          name: volunteer?.name ?? '',
          from: formatDay(c.from),
          to: formatDay(c.to),
          org: organisation,
          count: formatNumber(items.length, 0),
          hours: formatNumber(c.totalHours, 2),
        })}
      </p>
      <table>
        <caption class="visually-hidden">{t('cert.activities')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('cert.date')}</th>
            <th scope="col">{t('cert.content')}</th>
            <th scope="col">{t('cert.place')}</th>
            <th scope="col">{t('cert.hours')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((it) => (
            <tr key={it.attendance.id}>
              <td>{formatDay(it.attendance.date)}</td>
              <td>{activityText(it.activity, i18n).title}</td>
              <td>{activityText(it.activity, i18n).site}</td>
              <td>{formatNumber(it.confirmed?.hours ?? 0, 2)}</td>
            </tr>
          ))}
          <tr>
            <th scope="row" colSpan={3}>
              {t('cert.total')}
            </th>
            <td data-testid="cert-total">{formatNumber(c.totalHours, 2)}</td>
          </tr>
        </tbody>
      </table>
      <div class="certificate-foot">
        <div>
          <QrCode text={url} label={t('cert.qr', { url })} size={110} testId="cert-qr" />
          <p class="hint">{t('cert.verifyAt')}</p>
        </div>
        <div>
          <p>{t('cert.issuer', { org: organisation })}</p>
          <p>{t('cert.issuedOn', { date: formatDay(c.createdAt.slice(0, 10)) })}</p>
        </div>
        <div class="seal-space" aria-label={t('cert.seal')}>
          {t('cert.seal')}
        </div>
      </div>
      {view.sync !== 'synced' ? <p class="hint no-print">{t('cert.notSynced')}</p> : null}
    </article>
  );
}

export default function CertificatesScreen({ ids }: { ids: string[] }) {
  const { t } = useI18n();
  const session = useObservable(observeSession, []);
  const views = useObservable(() => observeCertificates(ids), [ids.join(',')]);
  if (views === undefined) return <Loading />;
  if (views.length === 0) return <Missing>{t('cert.notFound')}</Missing>;
  const organisation = session?.user?.teamName ?? '';
  return (
    <main class="screen">
      <div class="no-print">
        <BackLink href={session?.user?.role === 'volunteer' ? '/me' : '/team/hours'} />
        <h1>{t('cert.printTitle', { count: views.length })}</h1>
        <p class="form-actions">
          <button type="button" class="primary" onClick={() => window.print()}>
            🖨 {t('cert.print')}
          </button>
        </p>
        <p class="hint">{t('cert.printHint')}</p>
      </div>
      {views.map((v) => (
        <CertificatePage key={v.certificate.id} view={v} organisation={organisation} />
      ))}
    </main>
  );
}
