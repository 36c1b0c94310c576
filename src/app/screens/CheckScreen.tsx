/**
 * A check's result: the readings, the flags at once, and — for an urgent flag — in one tap,
 * an urgent medical need on the household and a follow-up visit due tomorrow.
 */
import { useState } from 'preact/hooks';
import { createUrgentFollowUp, observeCheck, syncSoon } from '../../data/index.ts';
import { READING_UNITS, READINGS } from '../../shared/health.ts';
import { FlagList } from '../components/FlagList.tsx';
import { SyncBadge } from '../components/SyncBadge.tsx';
import { failureMessage } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { useObservable } from '../use-observable.ts';

export default function CheckScreen({ id }: { id: string }) {
  const i18n = useI18n();
  const { t, formatDateTime, formatDay, formatNumber } = i18n;
  const data = useObservable(() => observeCheck(id), [id]);
  const [done, setDone] = useState<{ needId: string; followUpOn: string | null } | null>(null);
  const [failure, setFailure] = useState('');
  const [busy, setBusy] = useState(false);
  if (data === undefined) return <main class="screen" aria-busy="true">{t('app.loading')}</main>;
  if (data === null) return <main class="screen"><p>{t('check.notFound')}</p></main>;
  const { check: c, resident, flags } = data;
  const made = done ?? (data.followUp ? { needId: data.followUp.needId, followUpOn: data.followUp.followUpOn } : null);

  async function followUp() {
    if (busy) return;
    setBusy(true);
    setFailure('');
    try {
      const urgent = flags.filter((f) => f.severity === 'urgent').map((f) => t(`flag.${f.code}`));
      const r = await createUrgentFollowUp(id, t('check.followUpNeed', { flags: urgent.join('、') }), t('check.followUpReason'));
      if (r.ok) {
        setDone({ needId: r.needId, followUpOn: r.followUpOn });
        syncSoon();
      } else setFailure(t(Object.values(r.errors)[0] ?? 'v.invalid'));
    } catch (err) {
      setFailure(failureMessage(err, i18n));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="screen">
      <Link href={`/residents/${c.residentId}`} class="back">
        ‹ {t('app.back')}
      </Link>
      <h1>
        {t('check.resultTitle')} · {resident?.name ?? ''}
      </h1>
      <p>
        {formatDateTime(Date.parse(c.at))} · {c.byName} <SyncBadge sync={data.sync} />
      </p>
      <FlagList flags={flags} level={c.level} />
      {c.level === 'urgent' ? (
        made ? (
          <p class="notice" role="status" data-testid="follow-up-done">
            ✓ {made.followUpOn ? t('check.followUpCreated', { day: formatDay(made.followUpOn) }) : t('need.fromCheck')} <Link href={`/needs/${made.needId}`}>{t('need.title')}</Link>
          </p>
        ) : (
          <div class="notice notice-warn">
            <p>⚠ {t('check.urgentOffer')}</p>
            <button type="button" class="primary" disabled={busy} onClick={() => void followUp()}>
              {t('check.createFollowUp')}
            </button>
          </div>
        )
      ) : null}
      {failure ? (
        <p class="error" role="alert">
          ⚠ {failure}
        </p>
      ) : null}
      <dl class="facts">
        {READINGS.filter((k) => c[k] !== null).map((k) => (
          <div key={k}>
            <dt>{t(`reading.${k}`)}</dt>
            <dd>
              {formatNumber(c[k]!, 1)} {READING_UNITS[k]}
              {k === 'glucose' && c.glucoseContext ? `（${t(`glucoseContext.${c.glucoseContext}`)}）` : ''}
            </dd>
          </div>
        ))}
        {c.mood ? (
          <div>
            <dt>{t('check.mood')}</dt>
            <dd>{c.mood}</dd>
          </div>
        ) : null}
        {c.falls ? (
          <div>
            <dt>{t('check.falls')}</dt>
            <dd>{t(`falls.${c.falls}`)}</dd>
          </div>
        ) : null}
        {c.medication ? (
          <div>
            <dt>{t('check.medication')}</dt>
            <dd>{t(`medication.${c.medication}`)}</dd>
          </div>
        ) : null}
        {c.notes ? (
          <div>
            <dt>{t('check.notes')}</dt>
            <dd class="prewrap">{c.notes}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t('check.thresholdVersion')}</dt>
          <dd>{c.thresholdVersion}</dd>
        </div>
      </dl>
    </main>
  );
}
