/**
 * One need and its loop: what it is and where it stands, the steps it can take now
 * (need/NeedSteps), a repair need's home repair ticket (need/NeedRepair), and the history of
 * who did what, when (need/NeedHistory).
 */
import { observeNeed } from '../../data/index.ts';
import { Fact } from '../components/Fact.tsx';
import { BackLink, Loading, Missing } from '../components/ScreenState.tsx';
import { SyncBadge } from '../components/SyncBadge.tsx';
import { addressText } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { useObservable } from '../use-observable.ts';
import { NeedHistory } from './need/NeedHistory.tsx';
import { NeedRepair } from './need/NeedRepair.tsx';
import { NeedSteps } from './need/NeedSteps.tsx';
import { needDescription } from '../../shared/need.ts';

export default function NeedScreen({ id }: { id: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const detail = useObservable(() => observeNeed(id), [id]);
  if (detail === undefined) return <Loading />;
  if (detail === null) return <Missing>{t('need.notFound')}</Missing>;
  const { need: n, household } = detail;
  return (
    <main class="screen">
      <BackLink href={household ? `/households/${household.id}` : '/visits'} />
      <h1>
        {n.urgency === 'urgent' ? `⚠ ${t('urgency.urgent')} · ` : ''}
        {t(`needCat.${n.category}`)}
      </h1>
      {household ? (
        <p>
          <Link href={`/households/${household.id}`}>{household.headName}</Link> · {household.gridCode} · {addressText(household, i18n)}
        </p>
      ) : null}
      <p class="prewrap">{needDescription(n, t)}</p>
      <dl class="facts">
        <div>
          <dt>{t('need.status')}</dt>
          <dd class="status" data-testid="need-status">
            {t(`needStatus.${n.status}`)} <SyncBadge sync={detail.sync} />
          </dd>
        </div>
        <Fact label={t('need.route')}>
          {n.route === 'department' ? `${t('route.department')}：${n.department}` : t('route.volunteers')}
        </Fact>
        {n.assignee ? <Fact label={t('need.assignee')}>{n.assignee}</Fact> : null}
        {n.resolution ? (
          <Fact label={t('need.resolution')} prewrap>
            {n.resolution}
          </Fact>
        ) : null}
        {n.evaluation ? <Fact label={t('need.evaluation')}>{t(`evaluation.${n.evaluation}`)}</Fact> : null}
        {n.healthCheckId ? (
          <Fact label={t('need.fromCheck')}>
            <Link href={`/checks/${n.healthCheckId}`}>{t('check.resultTitle')}</Link>
          </Fact>
        ) : null}
      </dl>
      <NeedSteps need={n} />
      {n.category === 'repair' ? <NeedRepair needId={id} ticket={detail.ticket} /> : null}
      <NeedHistory history={detail.history} />
    </main>
  );
}
