/**
 * The dashboard's repairs panel: tickets by status and outcome, fixed rate, CO2e and waste
 * avoided, fees and subsidies, by day — figures in tables, charts where a picture reads
 * faster (the same numbers).
 */
import type { ComponentType } from 'preact';
import type { RepairDashboard } from '../../data/index.ts';
import type { BarSeries } from './DashboardCharts.tsx';
import { useI18n } from '../i18n.tsx';
import { ChartFigure } from './ChartFigure.tsx';
import { TableScroll } from './TableScroll.tsx';

const OUTCOMES = ['fixed', 'repairable', 'endOfLife', 'unknown', 'none'] as const;

export function RepairPanel({ r, Chart }: { r: RepairDashboard; Chart: ComponentType<BarSeries> | null }) {
  const { t, formatMoney, formatNumber, formatPercent, formatDay, formatShortDay } = useI18n();
  const outcomeLabel = (o: (typeof OUTCOMES)[number]) => (o === 'none' ? t('ticket.outcomeNone') : t(`outcome.${o}`));
  return (
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
        <TableScroll>
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
        </TableScroll>
        <TableScroll>
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
        </TableScroll>
      </div>
      {Chart && r.tickets > 0 ? (
        <>
          <ChartFigure title={t('dashboard.byOutcomeChart')}>
            <Chart
              labels={OUTCOMES.map(outcomeLabel)}
              values={OUTCOMES.map((o) => r.byOutcome[o])}
              colour="#1e6b34"
              description={OUTCOMES.map((o) => `${outcomeLabel(o)} ${r.byOutcome[o]}`).join('，')}
            />
          </ChartFigure>
          {r.days.length > 1 ? (
            <ChartFigure title={t('dashboard.co2eByDay')}>
              <Chart
                labels={r.days.map((d) => formatShortDay(d.day))}
                values={r.days.map((d) => d.co2eKg)}
                colour="#1a5fb4"
                description={r.days.map((d) => `${d.day} ${formatNumber(d.co2eKg)} kg`).join('，')}
              />
            </ChartFigure>
          ) : null}
        </>
      ) : null}
      {r.days.length > 0 ? (
        <TableScroll>
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
        </TableScroll>
      ) : null}
      <p class="hint">{t('summary.method')}</p>
    </section>
  );
}
