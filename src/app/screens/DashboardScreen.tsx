/**
 * The coordinator's dashboard for a day or any date range — what the day achieved: repair
 * tickets by status and outcome, fixed rate, CO2e and waste avoided, fees and subsidies;
 * visits done against due, needs by route and age, health readings needing a follow-up;
 * charts where a picture reads faster, with the same figures in tables. Prints as an A4
 * report (print stylesheet). Links to the hand-in check and the exports.
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiCallError, fetchDashboard, observeSession, type Dashboard, type RepairDashboard } from '../../data/index.ts';
import { HealthPanel, NeedsPanel, VisitsPanel } from '../components/CarePanels.tsx';
import type { BarSeries } from '../components/DashboardCharts.tsx';
import { Field } from '../components/Field.tsx';
import { TeamPicker } from '../components/TeamPicker.tsx';
import { failureMessage } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { useTeamRange } from '../team-calendar.ts';
import { useObservable } from '../use-observable.ts';
import { Alert } from '../components/Alert.tsx';

const OUTCOMES = ['fixed', 'repairable', 'endOfLife', 'unknown', 'none'] as const;

export default function DashboardScreen() {
  const i18n = useI18n();
  const { t, formatMoney, formatNumber, formatPercent, formatDay, formatDateTime } = i18n;
  const session = useObservable(observeSession, []);
  const { from, to, setFrom, setTo } = useTeamRange('today');
  const [data, setData] = useState<Dashboard | null>(null);
  const [failure, setFailure] = useState('');
  const [Chart, setChart] = useState<ComponentType<BarSeries> | null>(null);
  const [scope, setScope] = useState(0);

  useEffect(() => {
    // the chart library arrives with the dashboard, never with the first screen
    void import('../components/DashboardCharts.tsx').then((m) => setChart(() => m.BarChart));
  }, []);
  useEffect(() => {
    if (!/^\d{4}-\d\d-\d\d$/.test(from) || !/^\d{4}-\d\d-\d\d$/.test(to) || from > to) return;
    setFailure('');
    fetchDashboard(from, to)
      .then(setData)
      .catch((err: unknown) =>
        setFailure(err instanceof ApiCallError && err.code === 'network' ? t('team.online') : failureMessage(err, i18n)),
      );
  }, [from, to, scope]);

  if (session?.user?.role === 'volunteer')
    return (
      <main class="screen">
        <p>{t('team.forbidden')}</p>
      </main>
    );
  const r = data?.repairs ?? null;
  const outcomeLabel = (o: (typeof OUTCOMES)[number]) => (o === 'none' ? t('ticket.outcomeNone') : t(`outcome.${o}`));
  return (
    <main class="screen report">
      <Link href="/" class="back">
        ‹ {t('app.back')}
      </Link>
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
        <button type="button" class="primary" onClick={() => window.print()}>
          🖨 {t('dashboard.print')}
        </button>
        <Link href="/team" class="button secondary">
          👥 {t('team.link')}
        </Link>
        <Link href="/exports" class="button secondary">
          ⬇ {t('exports.link')}
        </Link>
      </p>
      <Alert text={failure} />
      {r ? (
        <section aria-labelledby="dash-repairs" data-testid="dashboard-repairs">
          <h2 id="dash-repairs">{t('dashboard.repairs')}</h2>
          <dl class="summary-grid">
            {(
              [
                ['tickets', t('summary.items'), formatNumber(r.tickets, 0)],
                ['fixedRate', t('summary.fixedRate'), r.fixedRate === null ? t('summary.none') : formatPercent(r.fixedRate)],
                ['co2eKg', t('summary.co2e'), t('summary.kgCo2e', { value: formatNumber(r.co2eKg) })],
                ['wasteKg', t('summary.waste'), t('summary.kg', { value: formatNumber(r.wasteKg) })],
                ['feesFen', t('summary.fees'), formatMoney(r.feesFen)],
                ['subsidiesFen', t('summary.subsidies'), formatMoney(r.subsidiesFen)],
              ] as const
            ).map(([key, label, value]) => (
              <div key={key} data-summary={key} data-value={String(r[key])}>
                <dt>{label}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
          {r.tickets === 0 ? <p class="empty">{t('dashboard.nothing')}</p> : null}
          <div class="report-columns">
            <table>
              <caption>{t('dashboard.byStatus')}</caption>
              <tbody>
                {(Object.keys(r.byStatus) as (keyof RepairDashboard['byStatus'])[]).map((s) => (
                  <tr key={s}>
                    <th scope="row">{t(`ticket.status.${s}`)}</th>
                    <td>{formatNumber(r.byStatus[s], 0)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <table>
              <caption>{t('dashboard.byOutcome')}</caption>
              <tbody>
                {OUTCOMES.map((o) => (
                  <tr key={o}>
                    <th scope="row">{outcomeLabel(o)}</th>
                    <td>{formatNumber(r.byOutcome[o], 0)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {Chart && r.tickets > 0 ? (
            <>
              <h3>{t('dashboard.byOutcome')}</h3>
              <Chart
                labels={OUTCOMES.map(outcomeLabel)}
                values={OUTCOMES.map((o) => r.byOutcome[o])}
                colour="#1e6b34"
                description={OUTCOMES.map((o) => `${outcomeLabel(o)} ${r.byOutcome[o]}`).join('，')}
              />
              {r.days.length > 1 ? (
                <>
                  <h3>{t('dashboard.co2eByDay')}</h3>
                  <Chart
                    labels={r.days.map((d) => formatDay(d.day))}
                    values={r.days.map((d) => d.co2eKg)}
                    colour="#1a5fb4"
                    description={r.days.map((d) => `${d.day} ${formatNumber(d.co2eKg)} kg`).join('，')}
                  />
                </>
              ) : null}
            </>
          ) : null}
          {r.days.length > 0 ? (
            <table>
              <caption>{t('dashboard.byDay')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('event.date')}</th>
                  <th scope="col">{t('summary.items')}</th>
                  <th scope="col">{t('outcome.fixed')}</th>
                  <th scope="col">{t('summary.co2e')}</th>
                </tr>
              </thead>
              <tbody>
                {r.days.map((d) => (
                  <tr key={d.day}>
                    <th scope="row">{formatDay(d.day)}</th>
                    <td>{formatNumber(d.tickets, 0)}</td>
                    <td>{formatNumber(d.fixed, 0)}</td>
                    <td>{t('summary.kgCo2e', { value: formatNumber(d.co2eKg) })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <p class="hint">{t('summary.method')}</p>
        </section>
      ) : null}
      {data ? (
        <>
          <VisitsPanel v={data.visits} Chart={Chart} />
          <NeedsPanel needs={data.needs} Chart={Chart} />
          <HealthPanel health={data.health} />
        </>
      ) : null}
    </main>
  );
}
