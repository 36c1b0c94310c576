/**
 * A resident: who they are, their consent to health records (resident/ConsentSection), and
 * their checks with the trend (resident/CheckHistory). Without consent, no check can start.
 */
import { observeResident, observeSession } from '../../data/index.ts';
import { Fact } from '../components/Fact.tsx';
import { BackLink, Loading, Missing } from '../components/ScreenState.tsx';
import { SyncBadge } from '../components/SyncBadge.tsx';
import { addressText } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { useObservable } from '../use-observable.ts';
import { CheckHistory } from './resident/CheckHistory.tsx';
import { ConsentSection } from './resident/ConsentSection.tsx';
import { CallLink } from './household/HouseholdFacts.tsx';

export default function ResidentScreen({ id }: { id: string }) {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const detail = useObservable(() => observeResident(id), [id]);
  const session = useObservable(observeSession, []);
  if (detail === undefined) return <Loading />;
  if (detail === null) return <Missing>{t('resident.notFound')}</Missing>;
  const { resident: r, household } = detail;
  const coordinator = session?.user?.role === 'coordinator' || session?.user?.role === 'admin';
  return (
    <main class="screen report">
      <BackLink href={household ? `/households/${household.id}` : '/health'} />
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
        {r.relation ? <Fact label={t('resident.relation')}>{r.relation}</Fact> : null}
        {r.phone ? (
          <Fact label={t('resident.phone')}>
            <CallLink phone={r.phone} />
          </Fact>
        ) : null}
        {r.dialect ? <Fact label={t('resident.dialect')}>{r.dialect}</Fact> : null}
        {r.conditions ? <Fact label={t('resident.conditions')}>{r.conditions}</Fact> : null}
        {r.medicines ? <Fact label={t('resident.medicines')}>{r.medicines}</Fact> : null}
      </dl>
      <ConsentSection resident={r} />
      <CheckHistory detail={detail} coordinator={coordinator} />
    </main>
  );
}
