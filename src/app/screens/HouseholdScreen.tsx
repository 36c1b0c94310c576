/**
 * One household on one screen — what a grid worker needs at the door: who lives here, how to
 * reach them and their family, whether a visit is due, the needs still open, every earlier
 * visit, home repairs. The full phone number is shown here (lists mask it).
 */
import { observeHousehold, observeSession } from '../../data/index.ts';
import { Tags } from '../components/Cards.tsx';
import { BackLink, Loading, Missing } from '../components/ScreenState.tsx';
import { SyncBadge } from '../components/SyncBadge.tsx';
import { addressText } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { useObservable } from '../use-observable.ts';
import { HouseholdContacts, HouseholdDue } from './household/HouseholdFacts.tsx';
import { TwinHouseholds } from './household/SameAddress.tsx';
import { HomeRepairList, NeedList, ResidentList, VisitList } from './household/HouseholdLists.tsx';

export default function HouseholdScreen({ id }: { id: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const detail = useObservable(() => observeHousehold(id), [id]);
  const session = useObservable(observeSession, []);
  if (detail === undefined) return <Loading />;
  if (detail === null) return <Missing>{t('household.notFound')}</Missing>;
  const { household: h } = detail;
  return (
    <main class="screen">
      <BackLink href="/households" />
      <div class="screen-head">
        <h1>{h.headName}</h1>
        <Link href={`/households/${h.id}/edit`} class="button secondary">
          {t('app.edit')}
        </Link>
      </div>
      <p>
        {h.gridCode} · {addressText(h, i18n)} <SyncBadge sync={detail.sync} />
      </p>
      {h.tags.length > 0 ? (
        <p class="card-meta">
          <Tags tags={h.tags} />
        </p>
      ) : null}
      <TwinHouseholds household={h} coordinator={session?.user?.role === 'coordinator' || session?.user?.role === 'admin'} />
      <HouseholdDue detail={detail} />
      <p class="form-actions">
        <Link href={`/households/${h.id}/visits/new`} class="button primary">
          🚪 {t('household.recordVisit')}
        </Link>
      </p>
      <HouseholdContacts household={h} />
      <ResidentList detail={detail} />
      <NeedList needs={detail.needs} />
      <HomeRepairList tickets={detail.tickets} />
      <VisitList visits={detail.visits} user={session?.user ?? null} />
    </main>
  );
}
