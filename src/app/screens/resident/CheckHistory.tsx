/**
 * A resident's checks, newest first: the trend of blood pressure and glucose as a chart (the
 * chart library loads with this screen only) and the same readings as a table, readable at
 * 360 px, with a printable summary for the family doctor.
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ResidentDetail } from '../../../data/index.ts';
import { READING_UNITS } from '../../../shared/health.ts';
import { LevelBadge } from '../../components/LevelBadge.tsx';
import { SyncBadge } from '../../components/SyncBadge.tsx';
import type { TrendProps } from '../../components/TrendChart.tsx';
import { useI18n } from '../../i18n.tsx';
import { Link } from '../../router.tsx';

/** How many checks the chart and the table show (the newest). */
const SHOWN = 12;

function Trends({ checks }: { checks: ResidentDetail['checks'] }) {
  const { t, formatDateTime } = useI18n();
  const [Trend, setTrend] = useState<ComponentType<TrendProps> | null>(null);
  useEffect(() => {
    void import('../../components/TrendChart.tsx').then((m) => setTrend(() => m.TrendChart));
  }, []);
  if (!Trend) return null;
  const recent = checks
    .slice(0, SHOWN)
    .reverse()
    .map((c) => c.check);
  const labels = recent.map((c) => formatDateTime(Date.parse(c.at)));
  return (
    <>
      {recent.some((c) => c.systolic !== null) ? (
        <Trend
          labels={labels}
          series={[
            { label: `${t('reading.systolic')} (mmHg)`, values: recent.map((c) => c.systolic), colour: '#b3261e', point: 'triangle' },
            {
              label: `${t('reading.diastolic')} (mmHg)`,
              values: recent.map((c) => c.diastolic),
              colour: '#1a5fb4',
              dashed: true,
              point: 'circle',
            },
          ]}
          description={recent.map((c, i) => `${labels[i]} ${c.systolic ?? '—'}/${c.diastolic ?? '—'}`).join('，')}
        />
      ) : null}
      {recent.some((c) => c.glucose !== null) ? (
        <Trend
          labels={labels}
          series={[{ label: `${t('reading.glucose')} (mmol/L)`, values: recent.map((c) => c.glucose), colour: '#6a3d9a', point: 'rect' }]}
          description={recent.map((c, i) => `${labels[i]} ${c.glucose ?? '—'}`).join('，')}
        />
      ) : null}
    </>
  );
}

function CheckTable({ checks }: { checks: ResidentDetail['checks'] }) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const value = (v: number | null, digits = 1) => (v === null ? '—' : formatNumber(v, digits));
  const columns = [
    'check.at',
    'check.bp',
    'reading.pulse',
    'reading.glucose',
    'reading.temperature',
    'reading.spo2',
    'reading.weight',
    'check.level',
  ] as const;
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={t('check.table')}>
      <table data-testid="check-table">
        <caption>{t('check.table')}</caption>
        <thead>
          <tr>
            {columns.map((k) => (
              <th key={k} scope="col">
                {t(k)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {checks.slice(0, SHOWN).map(({ check: c, sync }) => (
            <tr key={c.id}>
              <th scope="row">
                <Link href={`/checks/${c.id}`}>{formatDateTime(Date.parse(c.at))}</Link> <SyncBadge sync={sync} />
              </th>
              <td>{c.systolic !== null ? `${c.systolic}/${c.diastolic}` : '—'}</td>
              <td>{value(c.pulse, 0)}</td>
              <td>
                {value(c.glucose)}
                {c.glucoseContext ? ` (${t(`glucoseContext.${c.glucoseContext}`)})` : ''}
              </td>
              <td>{value(c.temperature)}</td>
              <td>{value(c.spo2, 0)}</td>
              <td>{value(c.weight)}</td>
              <td>
                <LevelBadge level={c.level} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function CheckHistory({ detail, coordinator }: { detail: ResidentDetail; coordinator: boolean }) {
  const { t } = useI18n();
  const { checks } = detail;
  return (
    <section aria-labelledby="checks-h">
      <div class="screen-head">
        <h2 id="checks-h">{t('resident.checks')}</h2>
        {detail.consentActive ? (
          <Link href={`/residents/${detail.resident.id}/checks/new`} class="button primary no-print">
            ＋ {t('resident.newCheck')}
          </Link>
        ) : null}
      </div>
      {!detail.consentActive ? <p class="hint no-print">{t('resident.noConsentForm')}</p> : null}
      {checks.length === 0 ? (
        <p class="empty">{t('resident.noChecks')}</p>
      ) : (
        <>
          <p class="form-actions no-print">
            <button type="button" class="secondary" onClick={() => window.print()}>
              🖨 {coordinator ? t('resident.print') : t('print.button')}
            </button>
          </p>
          <Trends checks={checks} />
          <CheckTable checks={checks} />
          <p class="hint">
            {Object.entries(READING_UNITS)
              .filter(([k]) => k !== 'diastolic')
              .map(([k, unit]) => `${t(`reading.${k as 'pulse'}`)} ${unit}`)
              .join(' · ')}
          </p>
          <p class="hint">{t('check.notDiagnosis')}</p>
        </>
      )}
    </section>
  );
}
