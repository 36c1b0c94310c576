/**
 * The coordinator's dashboard for a day or any date range — what the day achieved: repair
 * tickets by status and outcome, fixed rate, CO2e and waste avoided, fees and subsidies;
 * visits done against due, needs by route and age, health readings needing a follow-up;
 * charts where a picture reads faster, with the same figures in tables. Prints as an A4
 * report (print stylesheet). Links to the hand-in check and the exports.
 */
import { useState } from 'preact/hooks';
import { fetchDashboard, observeSession, type Dashboard } from '../../data/index.ts';
import { HealthPanel, NeedsPanel, RequestsPanel, VisitsPanel } from '../components/CarePanels.tsx';
import { CoordinatorLinks } from '../components/CoordinatorLinks.tsx';
import { RepairPanel } from '../components/RepairPanel.tsx';
import { Field } from '../components/Field.tsx';
import { TeamPicker } from '../components/TeamPicker.tsx';
import { BackLink } from '../components/ScreenState.tsx';
import { useI18n } from '../i18n.tsx';
import { useTeamRange } from '../team-calendar.ts';
import { useFigures } from '../use-figures.ts';
import { useObservable } from '../use-observable.ts';
import { Alert } from '../components/Alert.tsx';
import { Link } from '../router.tsx';

export default function DashboardScreen() {
  const i18n = useI18n();
  const { t, formatDay, formatDateTime } = i18n;
  const session = useObservable(observeSession, []);
  const { from, to, setFrom, setTo } = useTeamRange('today');
  const [scope, setScope] = useState(0);
  const valid = /^\d{4}-\d\d-\d\d$/.test(from) && /^\d{4}-\d\d-\d\d$/.test(to) && from <= to;
  const { data, failure, Chart } = useFigures(valid ? () => fetchDashboard(from, to) : null, [from, to, scope]);

  if (session?.user?.role === 'volunteer')
    return (
      <main class="screen">
        <p>{t('team.forbidden')}</p>
      </main>
    );
  const r = data?.repairs ?? null;
  return (
    <main class="screen report">
      <BackLink href="/" />
      <h1>{t('dashboard.title')}</h1>
      <p class="print-only">
        {session?.user?.teamName} · {from === to ? formatDay(from) : `${formatDay(from)} – ${formatDay(to)}`} ·{' '}
        {t('dashboard.printedAt', { time: formatDateTime(Date.now()) })}
      </p>
      <TeamPicker onChange={() => setScope(scope + 1)} />
      <div class="form-row no-print">
        <Field id="dash-from" label={t('exports.from')}>
          {(a) => <input {...a} type="date" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />}
        </Field>
        <Field id="dash-to" label={t('exports.to')} error={from <= to ? undefined : 'v.dateRange'}>
          {(a) => <input {...a} type="date" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />}
        </Field>
      </div>
      <p class="form-actions no-print">
        <Link class="button primary" href={`/report?from=${from}&to=${to}`}>
          🖨 {t('dashboard.print')}
        </Link>
        <CoordinatorLinks except="/dashboard" />
      </p>
      <Alert text={failure} />
      {r ? <RepairPanel r={r} Chart={Chart} /> : null}
      {data ? (
        <>
          <VisitsPanel v={data.visits} Chart={Chart} />
          <NeedsPanel needs={data.needs} Chart={Chart} />
          <HealthPanel health={data.health} />
          <RequestsPanel requests={data.requests} />
          <OverdraftPanel points={data.points} />
        </>
      ) : null}
    </main>
  );
}

/** Redemptions refused at sync for overdrawing (two phones spending the same points offline): each one for follow-up. */
function OverdraftPanel({ points }: { points: Dashboard['points'] | undefined }) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const rows = points?.overdrafts ?? [];
  return (
    <section aria-labelledby="overdraft-h" data-testid="overdrafts">
      <h2 id="overdraft-h">{t('dashboard.overdrafts', { count: rows.length })}</h2>
      {rows.length === 0 ? (
        <p class="empty">{t('dashboard.noOverdrafts')}</p>
      ) : (
        <ul class="cards">
          {rows.map((o) => (
            <li key={`${o.at}-${o.name}-${o.item}`} class="card">
              <strong>⚠ {t('dashboard.overdraft', { name: o.name, points: formatNumber(o.points, 0), item: o.item })}</strong>
              <span>{t('dashboard.overdraftDetail', { balance: formatNumber(o.balance, 0), by: o.byName, at: formatDateTime(o.at) })}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
