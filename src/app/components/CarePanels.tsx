/**
 * The dashboard's door-to-door and health panels: visits done against households due and
 * overdue; needs opened, resolved and still open by route and by how long they have waited;
 * residents with high or urgent readings, urgent and not yet followed up first. Figures in
 * tables, pictures where they read faster (the same numbers).
 */
import type { ComponentType } from 'preact';
import type { Dashboard, HealthDashboard, NeedsDashboard, VisitsDashboard } from '../../data/index.ts';
import { NEED_AGE_BUCKETS, NEED_ROUTES } from '../../shared/need.ts';
import { VISIT_OUTCOMES } from '../../shared/visit.ts';
import { addressText } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';
import type { BarSeries } from './DashboardCharts.tsx';
import { ChartFigure } from './ChartFigure.tsx';
import { LevelBadge } from './LevelBadge.tsx';
import { TableScroll } from './TableScroll.tsx';

type Chart = ComponentType<BarSeries> | null;

function Figures({ items }: { items: [string, string, number | string][] }) {
  return (
    <dl class="summary-grid">
      {items.map(([key, label, value]) => (
        <div key={key} data-summary={key} data-value={String(value)}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function VisitsPanel({ v, Chart }: { v: VisitsDashboard; Chart: Chart }) {
  const { t, formatNumber, formatShortDay, formatPercent } = useI18n();
  const n = (x: number) => formatNumber(x, 0);
  return (
    <section aria-labelledby="dash-visits" data-testid="dashboard-visits">
      <h2 id="dash-visits">{t('dashboard.visits')}</h2>
      <Figures
        items={[
          ['visits', t('dashboard.visitsCount'), n(v.visits)],
          ['householdsVisited', t('dashboard.householdsVisited'), n(v.householdsVisited)],
          ['dueInRange', t('dashboard.dueInRange'), n(v.dueInRange)],
          [
            'dueVisited',
            t('dashboard.dueVisited'),
            v.dueInRange ? `${n(v.dueVisited)} (${formatPercent(v.dueVisited / v.dueInRange)})` : n(v.dueVisited),
          ],
          ['overdueAtEnd', t('dashboard.overdue'), n(v.overdueAtEnd)],
          ['hazards', t('dashboard.hazards'), n(v.hazards)],
          ['households', t('dashboard.households'), n(v.households)],
        ]}
      />
      <TableScroll>
        <table>
          <caption>{t('visit.outcome')}</caption>
          <tbody>
            {VISIT_OUTCOMES.map((o) => (
              <tr key={o}>
                <th scope="row">{t(`visitOutcome.${o}`)}</th>
                <td>{n(v.byOutcome[o])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {Chart && v.days.length > 1 ? (
        <ChartFigure title={t('dashboard.visitsByDay')}>
          <Chart
            labels={v.days.map((d) => formatShortDay(d.day))}
            values={v.days.map((d) => d.visits)}
            colour="#5a3e8f"
            description={v.days.map((d) => `${d.day} ${d.visits}`).join('，')}
          />
        </ChartFigure>
      ) : null}
    </section>
  );
}

export function NeedsPanel({ needs, Chart }: { needs: NeedsDashboard; Chart: Chart }) {
  const { t, formatNumber } = useI18n();
  const n = (x: number) => formatNumber(x, 0);
  const ageTotals = NEED_AGE_BUCKETS.map((b) => NEED_ROUTES.reduce((sum, r) => sum + needs.stillOpen[r][b], 0));
  const openTotal = ageTotals.reduce((a, b) => a + b, 0);
  return (
    <section aria-labelledby="dash-needs" data-testid="dashboard-needs">
      <h2 id="dash-needs">{t('dashboard.needs')}</h2>
      <Figures
        items={[
          ['opened', t('dashboard.needsOpened'), n(needs.opened)],
          ['urgentOpened', t('dashboard.needsUrgent'), n(needs.urgentOpened)],
          ['resolved', t('dashboard.needsResolved'), n(needs.resolved)],
          ['closed', t('dashboard.needsClosed'), n(needs.closed)],
          ['stillOpen', t('dashboard.stillOpen'), n(openTotal)],
          ['stillOpenUrgent', t('dashboard.stillOpenUrgent'), n(needs.stillOpenUrgent)],
        ]}
      />
      <div class="report-columns">
        <TableScroll>
          <table>
            <caption>{t('dashboard.needsOpened')}</caption>
            <tbody>
              {NEED_ROUTES.map((r) => (
                <tr key={r}>
                  <th scope="row">{t(`route.${r}`)}</th>
                  <td>{n(needs.openedByRoute[r])}</td>
                </tr>
              ))}
              {needs.openedByCategory.map((c) => (
                <tr key={c.category}>
                  <th scope="row">{t(`needCat.${c.category as 'other'}`)}</th>
                  <td>{n(c.n)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        <TableScroll>
          <table data-testid="needs-by-age">
            <caption>{t('dashboard.needsByAge')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dashboard.route')}</th>
                {NEED_AGE_BUCKETS.map((b) => (
                  <th key={b} scope="col">
                    {t(`needAge.${b}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {NEED_ROUTES.map((r) => (
                <tr key={r}>
                  <th scope="row">{t(`route.${r}`)}</th>
                  {NEED_AGE_BUCKETS.map((b) => (
                    <td key={b}>{n(needs.stillOpen[r][b])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        <TableScroll>
          <table>
            <caption>{t('dashboard.evaluations')}</caption>
            <tbody>
              {(Object.keys(needs.evaluations) as (keyof NeedsDashboard['evaluations'])[]).map((e) => (
                <tr key={e}>
                  <th scope="row">{t(`evaluation.${e}`)}</th>
                  <td>{n(needs.evaluations[e])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </div>
      {Chart && openTotal > 0 ? (
        <ChartFigure title={t('dashboard.needsByAgeChart')}>
          <Chart
            labels={NEED_AGE_BUCKETS.map((b) => t(`needAge.${b}`))}
            values={ageTotals}
            colour="#8a4b00"
            description={NEED_AGE_BUCKETS.map((b, i) => `${t(`needAge.${b}`)} ${ageTotals[i]}`).join('，')}
          />
        </ChartFigure>
      ) : null}
    </section>
  );
}

/** `attention: false` leaves the residents' names, addresses and flags out (the street office's report, by default). */
export function HealthPanel({ health, attention = true }: { health: HealthDashboard; attention?: boolean }) {
  const i18n = useI18n();
  const { t, formatNumber, formatDateTime } = i18n;
  const n = (x: number) => formatNumber(x, 0);
  return (
    <section aria-labelledby="dash-health" data-testid="dashboard-health">
      <h2 id="dash-health">{t('dashboard.health')}</h2>
      <Figures
        items={[
          ['checks', t('dashboard.checks'), n(health.checks)],
          ['residentsChecked', t('dashboard.residentsChecked'), n(health.residentsChecked)],
          ['residentsFlagged', t('dashboard.flaggedResidents'), n(health.residentsFlagged)],
          ['notFollowedUp', t('dashboard.notFollowedUp'), n(health.notFollowedUp)],
        ]}
      />
      <TableScroll>
        <table>
          <caption>{t('dashboard.byLevel')}</caption>
          <tbody>
            {(Object.keys(health.byLevel) as (keyof HealthDashboard['byLevel'])[]).map((l) => (
              <tr key={l}>
                <th scope="row">
                  <LevelBadge level={l} />
                </th>
                <td>{n(health.byLevel[l])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <h3>{t('dashboard.attention')}</h3>
      {!attention ? (
        <p class="hint" data-testid="attention-left-out">
          {t('report.attentionLeftOut')}
        </p>
      ) : health.attention.length === 0 ? (
        <p class="empty">{t('dashboard.noAttention')}</p>
      ) : (
        <ol class="cards" data-testid="attention-list">
          {health.attention.map((a) => (
            <li key={a.checkId} class={`card${a.level === 'urgent' && !a.followedUp ? ' card-warn' : ''}`} data-level={a.level}>
              <strong class="card-title">
                <Link href={`/residents/${a.residentId}`}>{a.residentName}</Link> <LevelBadge level={a.level} />
              </strong>
              <span>
                {a.household.gridCode} · {addressText(a.household, i18n)} · {a.at ? formatDateTime(Date.parse(a.at)) : ''}
              </span>
              <span>{a.flags.map((f) => t(`flag.${f}`)).join('、')}</span>
              <span class="status">{a.followedUp ? t('dashboard.followedUp') : t('dashboard.notYet')}</span>
            </li>
          ))}
        </ol>
      )}
      <p class="hint">{t('check.notDiagnosis')}</p>
    </section>
  );
}

/** Residents' requests in the range: received, answered, resolved, how fast, how evaluated. */
export function RequestsPanel({ requests: q }: { requests: Dashboard['requests'] | undefined }) {
  const { t, formatNumber } = useI18n();
  if (!q) return null;
  const rows: [string, string][] = [
    [t('dashboard.requestsReceived'), formatNumber(q.received, 0)],
    [t('dashboard.requestsAccepted'), formatNumber(q.accepted, 0)],
    [t('dashboard.requestsDeclined'), formatNumber(q.declined, 0)],
    [t('dashboard.requestsResolved'), formatNumber(q.resolved, 0)],
    [
      t('dashboard.requestsMedian'),
      q.medianHoursToResolve === null
        ? t('summary.none')
        : t('dashboard.requestsHours', { hours: formatNumber(q.medianHoursToResolve, 1) }),
    ],
  ];
  return (
    <section aria-labelledby="requests-h" data-testid="requests-panel">
      <h2 id="requests-h">{t('dashboard.requests')}</h2>
      <dl class="summary-grid">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <p>
        {t('dashboard.requestsSatisfaction', {
          s: formatNumber(q.evaluations.satisfied, 0),
          n: formatNumber(q.evaluations.neutral, 0),
          u: formatNumber(q.evaluations.unsatisfied, 0),
        })}
      </p>
    </section>
  );
}
