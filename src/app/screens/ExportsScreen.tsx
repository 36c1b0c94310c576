/**
 * The coordinator's exports for a date range: repair tickets as ORDS v0.3 (for the Open
 * Repair Alliance, no personal data) and as a full spreadsheet, the household register,
 * visits, needs and health checks (Chinese headers, open in Excel and WPS). The dates are
 * the team's calendar days. The server checks the role and audits every export.
 */
import { useState } from 'preact/hooks';
import { exportUrl } from '../../data/index.ts';
import { Field } from '../components/Field.tsx';
import { TeamPicker } from '../components/TeamPicker.tsx';
import { BackLink } from '../components/ScreenState.tsx';
import { useI18n } from '../i18n.tsx';
import { useTeamRange } from '../team-calendar.ts';

export default function ExportsScreen() {
  const { t } = useI18n();
  const { from, to, setFrom, setTo } = useTeamRange('monthStart');
  const valid = /^\d{4}-\d\d-\d\d$/.test(from) && /^\d{4}-\d\d-\d\d$/.test(to) && from <= to;
  const [scope, setScope] = useState(0);
  const exports = [
    { href: exportUrl('repairs.csv', from, to), label: t('exports.repairs'), hint: t('exports.repairsHint') },
    { href: exportUrl('repairs.ords.csv', from, to), label: t('exports.ords'), hint: t('exports.ordsHint') },
    { href: exportUrl('households.csv', from, to), label: t('exports.households'), hint: t('exports.householdsHint') },
    { href: exportUrl('visits.csv', from, to), label: t('exports.visits'), hint: t('exports.repairsHint') },
    { href: exportUrl('needs.csv', from, to), label: t('exports.needs'), hint: t('exports.repairsHint') },
    { href: exportUrl('health.csv', from, to), label: t('exports.health'), hint: t('exports.healthHint') },
    { href: exportUrl('hours.csv', from, to), label: t('exports.hours'), hint: t('exports.hoursHint') },
  ];
  return (
    <main class="screen">
      <BackLink href="/" />
      <h1>{t('exports.title')}</h1>
      <p class="hint">{t('exports.intro')}</p>
      <TeamPicker onChange={() => setScope(scope + 1)} />
      <div class="form-row">
        <Field id="from" label={t('exports.from')}>
          {(a) => <input {...a} type="date" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />}
        </Field>
        <Field id="to" label={t('exports.to')} error={valid ? undefined : 'v.dateRange'}>
          {(a) => <input {...a} type="date" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />}
        </Field>
      </div>
      <ul class="cards">
        {exports.map((x) => (
          <li key={x.href} class="card">
            <strong class="card-title">{x.label}</strong>
            <span class="hint">{x.hint}</span>
            {valid ? (
              <a class="button primary" href={x.href} download>
                ⬇ {t('exports.download')}
              </a>
            ) : null}
          </li>
        ))}
      </ul>
      <p class="hint">{t('exports.online')}</p>
    </main>
  );
}
