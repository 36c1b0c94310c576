/**
 * A resident: who they are, their consent to health records (given by whom, when, recorded
 * by whom — or withdrawn), and their checks — the trend of blood pressure and glucose as a
 * chart and a table, readable at 360 px — with a printable summary for the family doctor.
 * Without consent, no check can be started.
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { observeResident, observeSession, recordConsent, syncSoon, withdrawConsent, type FieldErrors } from '../../data/index.ts';
import { READING_UNITS } from '../../shared/health.ts';
import { CONSENT_GIVERS } from '../../shared/household.ts';
import { Choice } from '../components/Choices.tsx';
import { ConfirmButton } from '../components/ConfirmButton.tsx';
import { Field } from '../components/Field.tsx';
import { LevelBadge } from '../components/LevelBadge.tsx';
import { SyncBadge } from '../components/SyncBadge.tsx';
import type { TrendProps } from '../components/TrendChart.tsx';
import { addressText, failureMessage } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { useObservable } from '../use-observable.ts';
import { Fact } from '../components/Fact.tsx';
import { Alert } from '../components/Alert.tsx';

/** How many checks the chart and the table show (the newest). */
const SHOWN = 12;

export default function ResidentScreen({ id }: { id: string }) {
  const i18n = useI18n();
  const { t, formatDateTime, formatNumber } = i18n;
  const detail = useObservable(() => observeResident(id), [id]);
  const session = useObservable(observeSession, []);
  const [Trend, setTrend] = useState<ComponentType<TrendProps> | null>(null);
  const [by, setBy] = useState<'self' | 'family' | null>(null);
  const [byName, setByName] = useState('');
  const [explained, setExplained] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void import('../components/TrendChart.tsx').then((m) => setTrend(() => m.TrendChart));
  }, []);

  if (detail === undefined)
    return (
      <main class="screen" aria-busy="true">
        {t('app.loading')}
      </main>
    );
  if (detail === null)
    return (
      <main class="screen">
        <p>{t('resident.notFound')}</p>
      </main>
    );
  const { resident: r, household, checks } = detail;
  const coordinator = session?.user?.role === 'coordinator' || session?.user?.role === 'admin';
  const recent = checks.slice(0, SHOWN).reverse();
  const labels = recent.map((c) => formatDateTime(Date.parse(c.check.at)));
  const hasBp = recent.some((c) => c.check.systolic !== null);
  const hasGlucose = recent.some((c) => c.check.glucose !== null);

  async function consent(e: Event) {
    e.preventDefault();
    const errs: FieldErrors = {};
    if (!by) errs.consentBy = 'v.choice';
    if (!explained) errs.explained = 'resident.consentExplainedRequired';
    setErrors(errs);
    if (Object.keys(errs).length > 0 || !by || busy) return;
    setBusy(true);
    try {
      const result = await recordConsent(id, by, byName);
      if (!result.ok) return setErrors(result.errors);
      syncSoon();
    } catch (err) {
      setFailure(failureMessage(err, i18n));
    } finally {
      setBusy(false);
    }
  }

  const value = (v: number | null, digits = 1) => (v === null ? '—' : formatNumber(v, digits));
  return (
    <main class="screen report">
      <Link href={household ? `/households/${household.id}` : '/health'} class="back">
        ‹ {t('app.back')}
      </Link>
      <div class="screen-head">
        <h1>{r.name}</h1>
        <Link href={`/residents/${id}/edit`} class="button secondary no-print">
          {t('app.edit')}
        </Link>
      </div>
      <p class="print-only">
        {t('print.residentTitle')} · {t('print.printedAt', { time: formatDateTime(Date.now()) })}
      </p>
      <p>
        {r.sex ? `${t(`sex.${r.sex}`)} · ` : ''}
        {r.birthYear ? `${t('resident.age', { age: new Date().getFullYear() - r.birthYear })} (${r.birthYear}) · ` : ''}
        {household ? `${household.headName} · ${addressText(household, i18n)}` : ''} <SyncBadge sync={detail.sync} />
      </p>
      <dl class="facts">
        {r.conditions ? <Fact label={t('resident.conditions')}>{r.conditions}</Fact> : null}
        {r.medicines ? <Fact label={t('resident.medicines')}>{r.medicines}</Fact> : null}
      </dl>

      <section aria-labelledby="consent-h" class="no-print">
        <h2 id="consent-h">{t('resident.consentTitle')}</h2>
        {r.consent === 'given' ? (
          <>
            <p class="notice" data-testid="consent-state">
              ✓{' '}
              {t('resident.consentGiven', {
                by: r.consentBy ? t(`consentBy.${r.consentBy}`) : '',
                name: r.consentByName,
                time: r.consentAt ? formatDateTime(Date.parse(r.consentAt)) : '',
                recorder: r.consentRecordedBy,
              })}
            </p>
            <ConfirmButton
              label={t('resident.withdrawConsent')}
              question={t('resident.withdrawConfirm')}
              onConfirm={async () => {
                await withdrawConsent(id);
                syncSoon();
              }}
            />
          </>
        ) : (
          <form onSubmit={consent} noValidate class="subform" data-testid="consent-form">
            {r.consent === 'withdrawn' && r.consentWithdrawnAt ? (
              <p class="notice notice-warn">{t('resident.consentWithdrawn', { time: formatDateTime(Date.parse(r.consentWithdrawnAt)) })}</p>
            ) : (
              <p>{t('resident.consentNeeded')}</p>
            )}
            <Choice
              name="consentBy"
              legend={t('resident.consentBy')}
              options={CONSENT_GIVERS}
              label={(g) => t(`consentBy.${g}`)}
              value={by}
              onChange={setBy}
              error={errors.consentBy}
            />
            {by === 'family' ? (
              <Field id="consentByName" label={t('resident.consentByName')} error={errors.consentByName}>
                {(a) => <input {...a} value={byName} onInput={(e) => setByName((e.target as HTMLInputElement).value)} maxLength={60} />}
              </Field>
            ) : null}
            <label class={`choice${explained ? ' chosen' : ''}${errors.explained ? ' field-invalid' : ''}`}>
              <input
                type="checkbox"
                checked={explained}
                aria-invalid={Boolean(errors.explained)}
                aria-describedby={errors.explained ? 'explained-error' : undefined}
                onChange={() => setExplained(!explained)}
              />
              <span>{t('resident.consentExplained')}</span>
            </label>
            <Alert id="explained-error" text={errors.explained ? t(errors.explained) : undefined} />
            <button type="submit" class="primary" disabled={busy}>
              {busy ? t('app.saving') : t('resident.recordConsent')}
            </button>
          </form>
        )}
        <Alert text={failure} />
      </section>

      <section aria-labelledby="checks-h">
        <div class="screen-head">
          <h2 id="checks-h">{t('resident.checks')}</h2>
          {detail.consentActive ? (
            <Link href={`/residents/${id}/checks/new`} class="button primary no-print">
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
            {Trend && hasBp ? (
              <Trend
                labels={labels}
                series={[
                  {
                    label: `${t('reading.systolic')} (mmHg)`,
                    values: recent.map((c) => c.check.systolic),
                    colour: '#b3261e',
                    point: 'triangle',
                  },
                  {
                    label: `${t('reading.diastolic')} (mmHg)`,
                    values: recent.map((c) => c.check.diastolic),
                    colour: '#1a5fb4',
                    dashed: true,
                    point: 'circle',
                  },
                ]}
                description={recent.map((c, i) => `${labels[i]} ${c.check.systolic ?? '—'}/${c.check.diastolic ?? '—'}`).join('，')}
              />
            ) : null}
            {Trend && hasGlucose ? (
              <Trend
                labels={labels}
                series={[
                  {
                    label: `${t('reading.glucose')} (mmol/L)`,
                    values: recent.map((c) => c.check.glucose),
                    colour: '#6a3d9a',
                    point: 'rect',
                  },
                ]}
                description={recent.map((c, i) => `${labels[i]} ${c.check.glucose ?? '—'}`).join('，')}
              />
            ) : null}
            <div class="table-scroll" tabIndex={0} role="region" aria-label={t('check.table')}>
              <table data-testid="check-table">
                <caption>{t('check.table')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('check.at')}</th>
                    <th scope="col">{t('check.bp')}</th>
                    <th scope="col">{t('reading.pulse')}</th>
                    <th scope="col">{t('reading.glucose')}</th>
                    <th scope="col">{t('reading.temperature')}</th>
                    <th scope="col">{t('reading.spo2')}</th>
                    <th scope="col">{t('reading.weight')}</th>
                    <th scope="col">{t('check.level')}</th>
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
    </main>
  );
}
