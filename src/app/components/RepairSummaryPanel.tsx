/** The day's figures for a repair event, as a list of labelled values (prints too). */
import type { RepairSummary } from '../../data/index.ts';
import { useI18n } from '../i18n.tsx';

export function RepairSummaryPanel({ summary }: { summary: RepairSummary }) {
  const { t, formatMoney, formatNumber, formatPercent } = useI18n();
  const judged = summary.fixed + summary.repairable + summary.endOfLife;
  // [key, label, shown value]; the raw figure rides along in data-value for checking against the server
  const rows: [keyof RepairSummary, string, string][] = [
    [
      'peopleServed',
      t('summary.peopleServed'),
      t(summary.peopleAtLeast ? 'summary.peopleAtLeast' : 'summary.people', { value: formatNumber(summary.peopleServed, 0) }),
    ],
    ['items', t('summary.items'), formatNumber(summary.items, 0)],
    [
      'fixedRate',
      t('summary.fixedRate'),
      summary.fixedRate === null
        ? t('summary.none')
        : `${formatPercent(summary.fixedRate)} (${t('summary.fixedOf', { fixed: formatNumber(summary.fixed, 0), judged: formatNumber(judged, 0) })})`,
    ],
    ['co2eKg', t('summary.co2e'), t('summary.kgCo2e', { value: formatNumber(summary.co2eKg) })],
    ['wasteKg', t('summary.waste'), t('summary.kg', { value: formatNumber(summary.wasteKg) })],
    ['feesFen', t('summary.fees'), formatMoney(summary.feesFen)],
    ['subsidiesFen', t('summary.subsidies'), formatMoney(summary.subsidiesFen)],
    ['volunteers', t('summary.volunteers'), t('summary.people', { value: formatNumber(summary.volunteers, 0) })],
    [
      'volunteerHours',
      t('summary.hours'),
      `${t('summary.hoursValue', { value: formatNumber(summary.volunteerHours, 1) })}${summary.volunteersFrom === 'attendance' ? ` · ${t('summary.fromSheet')}` : ''}`,
    ],
  ];
  return (
    <section class="summary" aria-labelledby="summary-h" data-testid="event-summary">
      <h2 id="summary-h">{t('summary.title')}</h2>
      <dl class="summary-grid">
        {rows.map(([key, label, value]) => (
          <div key={key} data-summary={key} data-value={String(summary[key])}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <p class="hint">{t('summary.method')}</p>
    </section>
  );
}
