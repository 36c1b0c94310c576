/**
 * A check's result: the readings, the flags at once, and — for an urgent flag — in one tap,
 * an urgent medical need on the household and a follow-up visit due tomorrow.
 */
import { useState } from 'preact/hooks';
import { createUrgentFollowUp, hideHealthCheck, observeCheck, observeSession, observeTeamSettings, syncSoon } from '../../data/index.ts';
import { mayHideFact } from '../../shared/roles.ts';
import { HideFact } from '../components/HideFact.tsx';
import { READING_UNITS, READINGS } from '../../shared/health.ts';
import { FlagList } from '../components/FlagList.tsx';
import { SyncBadge } from '../components/SyncBadge.tsx';
import { BackLink, Loading, Missing } from '../components/ScreenState.tsx';
import { useAction } from '../use-action.ts';
import { useI18n } from '../i18n.tsx';
import { Link, navigate } from '../router.tsx';
import { useObservable } from '../use-observable.ts';
import { Fact } from '../components/Fact.tsx';
import { Alert } from '../components/Alert.tsx';
import { tel } from './household/HouseholdFacts.tsx';
import { needDescription } from '../../shared/need.ts';

export default function CheckScreen({ id }: { id: string }) {
  const i18n = useI18n();
  const { t, formatDateTime, formatDay, formatNumber } = i18n;
  const data = useObservable(() => observeCheck(id), [id]);
  const session = useObservable(observeSession, []);
  const settings = useObservable(observeTeamSettings, []);
  const [done, setDone] = useState<{ needId: string; followUpOn: string | null } | null>(null);
  const [cannotRemeasure, setCannotRemeasure] = useState(false);
  const { busy, failure, act, fail } = useAction(i18n);
  if (data === undefined) return <Loading />;
  if (data === null) return <Missing>{t('check.notFound')}</Missing>;
  const { check: c, resident, flags } = data;
  const made = done ?? (data.followUp ? { needId: data.followUp.needId, followUpOn: data.followUp.followUpOn } : null);

  const followUp = () =>
    act(async () => {
      const urgent = flags.filter((f) => f.severity === 'urgent').map((f) => f.code);
      // stored as codes, each reader sees it in their own language; the text for older apps
      const text = needDescription({ description: '', descriptionFlags: urgent }, t);
      const r = await createUrgentFollowUp(id, text, t('check.followUpReason'), urgent);
      if (!r.ok) return fail(t(Object.values(r.errors)[0] ?? 'v.invalid'));
      setDone({ needId: r.needId, followUpOn: r.followUpOn });
      syncSoon();
    });

  return (
    <main class="screen">
      <BackLink href={`/residents/${c.residentId}`} />
      <h1>
        {t('check.resultTitle')} · {resident?.name ?? ''}
      </h1>
      <p>
        {formatDateTime(Date.parse(c.at))} · {c.byName} <SyncBadge sync={data.sync} />
      </p>
      <FlagList flags={flags} level={c.level} />
      {c.level === 'urgent' ? (
        <p class="call-links" data-testid="call-links">
          <a class="button" href="tel:120">
            ☎ {t('check.call120')}
          </a>
          {data.emergency ? (
            <a class="button secondary" href={tel(data.emergency.phone)}>
              ☎ {t('check.callEmergency', { name: data.emergency.name || data.emergency.phone, relation: data.emergency.relation })}
            </a>
          ) : null}
          {data.doctor ? (
            <a class="button secondary" href={tel(data.doctor.phone)}>
              ☎ {t('check.callDoctor', { name: data.doctor.name || data.doctor.phone })}
            </a>
          ) : null}
        </p>
      ) : null}
      {c.level === 'urgent' ? (
        made ? (
          <p class="notice" role="status" data-testid="follow-up-done">
            ✓ {made.followUpOn ? t('check.followUpCreated', { day: formatDay(made.followUpOn) }) : t('need.fromCheck')}{' '}
            <Link href={`/needs/${made.needId}`}>{t('need.title')}</Link>
          </p>
        ) : data.urgent === 'remeasure' && !cannotRemeasure ? (
          // blood pressure is measured again before it raises an urgent need (health-rules.ts)
          <div class="notice notice-warn" data-testid="remeasure">
            <p>⚠ {t('check.remeasureFirst')}</p>
            {data.remeasuredBy ? (
              <p>
                <Link href={`/checks/${data.remeasuredBy}`}>{t('check.remeasuredOpen')}</Link>
              </p>
            ) : (
              <p>
                <Link class="button primary" href={`/residents/${c.residentId}/checks/new`}>
                  {t('check.remeasure')}
                </Link>
              </p>
            )}
            <p>
              <button type="button" class="secondary" onClick={() => setCannotRemeasure(true)}>
                {t('check.cannotRemeasure')}
              </button>
            </p>
          </div>
        ) : (
          <div class="notice notice-warn">
            <p>⚠ {data.urgent === 'confirmed' ? t('check.urgentConfirmed') : t('check.urgentOffer')}</p>
            <p>
              {settings?.urgentDepartment
                ? t('check.urgentGoesTo', { department: settings.urgentDepartment })
                : t('check.urgentGoesToVolunteers')}
            </p>
            <button type="button" class="primary" disabled={busy} onClick={followUp}>
              {t('check.createFollowUp')}
            </button>
          </div>
        )
      ) : null}
      <Alert text={failure} focus />
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
        {c.mood ? <Fact label={t('check.mood')}>{c.mood}</Fact> : null}
        {c.falls ? <Fact label={t('check.falls')}>{t(`falls.${c.falls}`)}</Fact> : null}
        {c.medication ? <Fact label={t('check.medication')}>{t(`medication.${c.medication}`)}</Fact> : null}
        {c.notes ? (
          <Fact label={t('check.notes')} prewrap>
            {c.notes}
          </Fact>
        ) : null}
        {/* an internal code: for the coordinator who sets thresholds, not on a volunteer's screen */}
        {session?.user && session.user.role !== 'volunteer' ? <Fact label={t('check.thresholdVersion')}>{c.thresholdVersion}</Fact> : null}
      </dl>
      {session?.user && mayHideFact(session.user.role, session.user.id, c.createdBy) ? (
        <HideFact id={id} hide={(reason) => hideHealthCheck(id, reason)} onHidden={() => navigate(`/residents/${c.residentId}`, true)} />
      ) : null}
    </main>
  );
}
