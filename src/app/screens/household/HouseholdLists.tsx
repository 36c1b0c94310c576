/** What a household's page lists: its residents, its needs (open and urgent first), its home repairs and every visit. */
import { hideVisit, type HouseholdDetail, type SignedInUser } from '../../../data/index.ts';
import { mayHideFact } from '../../../shared/roles.ts';
import { SAFETY_ITEMS } from '../../../shared/visit.ts';
import { WorkTime } from '../../components/WorkTime.tsx';
import { NeedCard } from '../../components/Cards.tsx';
import { HideFact } from '../../components/HideFact.tsx';
import { LevelBadge } from '../../components/LevelBadge.tsx';
import { SyncBadge } from '../../components/SyncBadge.tsx';
import { useI18n } from '../../i18n.tsx';
import { Link } from '../../router.tsx';

export function ResidentList({ detail }: { detail: HouseholdDetail }) {
  const { t } = useI18n();
  const thisYear = new Date().getFullYear();
  return (
    <section aria-labelledby="residents-h">
      <div class="screen-head">
        <h2 id="residents-h">{t('household.residents')}</h2>
        <Link href={`/households/${detail.household.id}/residents/new`} class="button secondary">
          ＋ {t('household.addResident')}
        </Link>
      </div>
      {detail.residents.length === 0 ? (
        <p class="empty">{t('household.noResidents')}</p>
      ) : (
        <ul class="cards" data-testid="resident-list">
          {detail.residents.map(({ resident: r, sync, lastLevel }) => (
            <li key={r.id}>
              <Link href={`/residents/${r.id}`} class="card">
                <strong class="card-title">{r.name}</strong>
                <span class="card-meta">
                  {r.sex ? <span>{t(`sex.${r.sex}`)}</span> : null}
                  {r.birthYear ? <span>{t('resident.age', { age: thisYear - r.birthYear })}</span> : null}
                  {r.conditions ? <span>{r.conditions}</span> : null}
                  <span>{t(`consent.${r.consent}`)}</span>
                  {lastLevel ? <LevelBadge level={lastLevel} /> : null}
                  <SyncBadge sync={sync} />
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function NeedList({ needs }: { needs: HouseholdDetail['needs'] }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="needs-h">
      <h2 id="needs-h">{t('household.needs')}</h2>
      {needs.length === 0 ? (
        <p class="empty">{t('household.noNeeds')}</p>
      ) : (
        <ul class="cards" data-testid="need-list">
          {needs.map(({ need: n, sync }) => (
            <li key={n.id}>
              <NeedCard need={n}>
                <span>{n.route === 'department' ? `${t('route.department')}：${n.department}` : t('route.volunteers')}</span>
                {n.assignee ? <span>→ {n.assignee}</span> : null}
                <SyncBadge sync={sync} />
              </NeedCard>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function HomeRepairList({ tickets }: { tickets: HouseholdDetail['tickets'] }) {
  const { t } = useI18n();
  if (tickets.length === 0) return null;
  return (
    <section aria-labelledby="tickets-h">
      <h2 id="tickets-h">{t('ticket.homeRepair')}</h2>
      <ul class="cards">
        {tickets.map((tk) => (
          <li key={tk.id}>
            <Link href={`/tickets/${tk.id}`} class="card">
              <strong class="ticket-number">{tk.number}</strong>
              <span class="card-problem">{tk.problem}</span>
              <span class="status">{t(`ticket.status.${tk.status as 'waiting'}`)}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function VisitList({ visits, user }: { visits: HouseholdDetail['visits']; user: SignedInUser | null }) {
  const { t, formatDateTime } = useI18n();
  return (
    <section aria-labelledby="visits-h">
      <h2 id="visits-h">{t('household.visits')}</h2>
      {visits.length === 0 ? (
        <p class="empty">{t('household.noVisits')}</p>
      ) : (
        <ul class="cards" data-testid="visit-list">
          {visits.map(({ visit: v, sync }) => {
            const hazards = SAFETY_ITEMS.filter((k) => v[k] === 'problem');
            return (
              <li key={v.id} class="card">
                <strong class="card-title">
                  {formatDateTime(Date.parse(v.at))} · {t(`visitOutcome.${v.outcome}`)}
                </strong>
                <span class="card-meta">
                  <span>{t(`visitKind.${v.kind}`)}</span>
                  {v.byName ? <span>{v.byName}</span> : null}
                  <SyncBadge sync={sync} />
                </span>
                {hazards.length > 0 ? (
                  <span class="error">
                    {t('visit.hazard')}：{hazards.map((k) => t(`safety.${k}`)).join('、')}
                  </span>
                ) : null}
                {v.notes ? <span class="card-problem prewrap">{v.notes}</span> : null}
                {user && v.createdBy === user.id ? <WorkTime workId={v.id} /> : null}
                {user && mayHideFact(user.role, user.id, v.createdBy) ? (
                  <HideFact id={v.id} hide={(reason) => hideVisit(v.id, reason)} onHidden={() => undefined} />
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
