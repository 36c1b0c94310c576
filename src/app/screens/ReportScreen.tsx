/**
 * The report for the street office (街道): a month (or any period) on A4 — the team, the
 * period, who prepared it and when, the headline figures beside the previous period's, how
 * each is counted, a signature and seal line; then the detail pages (the dashboard's
 * panels). Every figure is the server's; every time is in the team's calendar. Residents'
 * personal data stays out unless the coordinator asks for the attention list, and then the
 * paper says it is for internal use.
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { fetchStreetReport, observeSession, type Headline, type StreetReport } from '../../data/index.ts';
import { monthOf } from '../../shared/street-report.ts';
import { localDay } from '../../shared/due.ts';
import { HealthPanel, NeedsPanel, RequestsPanel, VisitsPanel } from '../components/CarePanels.tsx';
import { CoordinatorLinks } from '../components/CoordinatorLinks.tsx';
import { RepairPanel } from '../components/RepairPanel.tsx';
import type { BarSeries } from '../components/DashboardCharts.tsx';
import { Field } from '../components/Field.tsx';
import { TeamPicker } from '../components/TeamPicker.tsx';
import { BackLink } from '../components/ScreenState.tsx';
import { Alert } from '../components/Alert.tsx';
import { useI18n, type I18n } from '../i18n.tsx';
import { useFigures } from '../use-figures.ts';
import { useObservable } from '../use-observable.ts';

const DAY = /^\d{4}-\d\d-\d\d$/;

export default function ReportScreen() {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useObservable(observeSession, []);
  const [month, setMonth] = useState('');
  const [custom, setCustom] = useState(false);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [personal, setPersonal] = useState(false);
  const [scope, setScope] = useState(0);
  // this month in the team's calendar, or the period the dashboard was showing (?from=&to=)
  useEffect(() => {
    if (!session || month) return;
    const q = new URLSearchParams(location.search);
    const [qFrom, qTo] = [q.get('from') ?? '', q.get('to') ?? ''];
    const today = localDay(Date.now(), session.user?.timeZone);
    const m = monthOf(DAY.test(qFrom) ? qFrom : today);
    setMonth(m.from.slice(0, 7));
    if (DAY.test(qFrom) && DAY.test(qTo) && (qFrom !== m.from || qTo !== m.to)) {
      setCustom(true);
      setFrom(qFrom);
      setTo(qTo);
    } else {
      setFrom(m.from);
      setTo(m.to);
    }
  }, [session]);
  const valid = DAY.test(from) && DAY.test(to) && from <= to;
  const { data, failure, Chart } = useFigures(valid ? () => fetchStreetReport(from, to, personal) : null, [from, to, personal, scope]);

  if (session?.user?.role === 'volunteer')
    return (
      <main class="screen">
        <p>{t('team.forbidden')}</p>
      </main>
    );

  function chooseMonth(value: string) {
    setMonth(value);
    if (!/^\d{4}-\d\d$/.test(value)) return;
    const m = monthOf(`${value}-01`);
    setFrom(m.from);
    setTo(m.to);
  }

  return (
    <main class="screen report street-report">
      <div class="no-print">
        <BackLink href="/dashboard" />
        <h1>{t('report.title')}</h1>
        <TeamPicker onChange={() => setScope(scope + 1)} />
        <fieldset class="group">
          <legend>{t('report.period')}</legend>
          <label class="check">
            <input type="checkbox" checked={custom} onChange={(e) => setCustom((e.target as HTMLInputElement).checked)} />{' '}
            {t('report.customPeriod')}
          </label>
          {custom ? (
            <div class="form-row">
              <Field id="report-from" label={t('exports.from')}>
                {(a) => <input {...a} type="date" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />}
              </Field>
              <Field id="report-to" label={t('exports.to')} error={from <= to ? undefined : 'v.dateRange'}>
                {(a) => <input {...a} type="date" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />}
              </Field>
            </div>
          ) : (
            <Field id="report-month" label={t('report.month')}>
              {(a) => <input {...a} type="month" value={month} onInput={(e) => chooseMonth((e.target as HTMLInputElement).value)} />}
            </Field>
          )}
        </fieldset>
        <label class="check">
          <input type="checkbox" checked={personal} onChange={(e) => setPersonal((e.target as HTMLInputElement).checked)} />{' '}
          {t('report.includePersonal')}
        </label>
        <p class="hint">{t('report.personalHint')}</p>
        <p class="form-actions">
          <button type="button" class="primary" disabled={!data} onClick={() => window.print()}>
            🖨 {t('report.print')}
          </button>
          <CoordinatorLinks except="/report" />
        </p>
        <Alert text={failure} />
        {!data && !failure && valid ? <p aria-busy="true">{t('app.loading')}</p> : null}
      </div>
      {data ? <ReportPages r={data} Chart={Chart} /> : null}
    </main>
  );
}

function periodText(p: { from: string; to: string }, { formatDay }: I18n): string {
  return p.from === p.to ? formatDay(p.from) : `${formatDay(p.from)} – ${formatDay(p.to)}`;
}

/** The paper: page 1 the summary, then the detail pages. */
function ReportPages({ r, Chart }: { r: StreetReport; Chart: ComponentType<BarSeries> | null }) {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const period = periodText(r.period, i18n);
  usePageStyle(t('report.footer', { team: r.teamName, period }), t('report.pageOf'));
  return (
    <article class="report-doc" data-testid="street-report" data-personal={String(r.personal)}>
      <header class="report-head">
        <h1 class="report-title">{t('report.docTitle', { team: r.teamName })}</h1>
        <p class="report-period">{t('report.periodLine', { period })}</p>
        <dl class="report-meta">
          <div>
            <dt>{t('report.team')}</dt>
            <dd>{r.teamName}</dd>
          </div>
          <div>
            <dt>{t('report.preparedBy')}</dt>
            <dd data-testid="prepared-by">{r.preparedBy}</dd>
          </div>
          <div>
            <dt>{t('report.printedAt')}</dt>
            <dd data-testid="printed-at" data-made-at={String(r.madeAt)}>
              {formatDateTime(r.madeAt)}
            </dd>
          </div>
          <div>
            <dt>{t('report.comparedWith')}</dt>
            <dd>{periodText(r.previousPeriod, i18n)}</dd>
          </div>
        </dl>
        <p class={r.personal ? 'report-internal' : 'hint'} data-testid="personal-note">
          {r.personal ? `⚠ ${t('report.internalUse')}` : t('report.noPersonal')}
        </p>
      </header>
      <HeadlineTable r={r} />
      <p class="report-notes">{t('report.definitions')}</p>
      <div class="report-sign">
        <span>{t('report.signature')}</span>
        <span>{t('report.signDate')}</span>
        <span>{t('report.seal')}</span>
      </div>
      <div class="report-detail">
        <h2 class="report-detail-title">{t('report.detail', { period })}</h2>
        <RepairPanel r={r.detail.repairs} Chart={Chart} />
        <VisitsPanel v={r.detail.visits} Chart={Chart} />
        <NeedsPanel needs={r.detail.needs} Chart={Chart} />
        <HealthPanel health={r.detail.health} attention={r.personal} />
        <RequestsPanel requests={r.detail.requests} />
      </div>
    </article>
  );
}

/**
 * Page numbers and a running footer in the reader's language, for this paper only: a
 * constructed style sheet (the server's Content-Security-Policy refuses inline styles), with
 * a top-level `@page` (Chromium ignores margin boxes inside `@media print`).
 */
function usePageStyle(footer: string, pageOf: string) {
  useEffect(() => {
    const quote = (s: string) => `"${s.replace(/["\\]/g, (c) => `\\${c}`).replace(/\n/g, ' ')}"`;
    const [before, middle = '', after = ''] = pageOf.split(/\{page\}|\{pages\}/);
    const numbers = `${quote(before ?? '')} counter(page) ${quote(middle)} counter(pages) ${quote(after)}`;
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(
      `@page { size: A4; margin: 15mm 15mm 18mm; @bottom-left { content: ${quote(footer)}; font-size: 8pt; color: #444; } @bottom-right { content: ${numbers}; font-size: 8pt; color: #444; } }`,
    );
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    return () => {
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
    };
  }, [footer, pageOf]);
}

type Row = [key: keyof Headline | string, label: string, value: (h: Headline) => string];

function HeadlineTable({ r }: { r: StreetReport }) {
  const i18n = useI18n();
  const { t, formatNumber, formatPercent } = i18n;
  const n = (x: number) => formatNumber(x, 0);
  const rate = (x: number | null) => (x === null ? t('summary.none') : formatPercent(x));
  const rows: Row[] = [
    ['servedTimes', t('report.servedTimes'), (h) => t('report.times', { n: n(h.servedTimes) })],
    ['volunteers', t('report.volunteers'), (h) => t('summary.people', { value: n(h.volunteers) })],
    ['volunteerHours', t('report.volunteerHours'), (h) => t('summary.hoursValue', { value: formatNumber(h.volunteerHours) })],
    ['repairItems', t('report.repairItems'), (h) => t('report.items', { n: n(h.repairItems) })],
    ['repairsFixed', t('report.repairsFixed'), (h) => t('report.withRate', { n: n(h.repairsFixed), rate: rate(h.fixedRate) })],
    ['co2eKg', t('summary.co2e'), (h) => t('summary.kgCo2e', { value: formatNumber(h.co2eKg) })],
    ['wasteKg', t('summary.waste'), (h) => t('summary.kg', { value: formatNumber(h.wasteKg) })],
    [
      'householdsDue',
      t('report.householdsDue'),
      (h) =>
        t('report.withRate', {
          n: `${n(h.householdsDueVisited)} / ${n(h.householdsDue)}`,
          rate: rate(h.householdsDue ? h.householdsDueVisited / h.householdsDue : null),
        }),
    ],
    ['householdsVisited', t('dashboard.householdsVisited'), (h) => n(h.householdsVisited)],
    ['hazards', t('report.hazards'), (h) => `${n(h.hazardsFound)} / ${n(h.hazardsRemoved)}`],
    ['needsReceived', t('report.needsReceived'), (h) => t('report.ofWhichRequests', { n: n(h.needsReceived), r: n(h.requestsReceived) })],
    [
      'resolutionRate',
      t('report.resolved'),
      (h) => t('report.withRate', { n: n(h.needsResolvedOfReceived), rate: rate(h.resolutionRate) }),
    ],
    [
      'satisfactionRate',
      t('report.satisfaction'),
      (h) => t('report.ofEvaluations', { rate: rate(h.satisfactionRate), n: n(h.needsEvaluated) }),
    ],
    ['healthChecks', t('report.healthChecks'), (h) => t('report.checksOf', { n: n(h.healthChecks), people: n(h.residentsChecked) })],
    ['residentsFlagged', t('report.followedUp'), (h) => `${n(h.residentsFollowedUp)} / ${n(h.residentsFlagged)}`],
  ];
  return (
    <table class="report-summary" data-testid="headline">
      <caption>{t('report.headline')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('report.figure')}</th>
          <th scope="col">{t('report.thisPeriod')}</th>
          <th scope="col">{t('report.previousPeriod')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([key, label, value]) => (
          <tr key={key} data-figure={key}>
            <th scope="row">{label}</th>
            <td data-current>{value(r.current)}</td>
            <td data-previous>{value(r.previous)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
