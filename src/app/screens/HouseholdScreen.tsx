/**
 * One household on one screen — what a grid worker needs at the door: who lives here, how to
 * reach them and their family, whether a visit is due, the needs still open, every earlier
 * visit, home repairs. The full phone number is shown here (lists mask it).
 */
import { observeHousehold } from '../../data/index.ts';
import { isOpenNeed } from '../../shared/need.ts';
import { SAFETY_ITEMS } from '../../shared/visit.ts';
import { LevelBadge } from '../components/LevelBadge.tsx';
import { SyncBadge } from '../components/SyncBadge.tsx';
import { addressText } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { useObservable } from '../use-observable.ts';
import { Fact } from '../components/Fact.tsx';

export default function HouseholdScreen({ id }: { id: string }) {
  const i18n = useI18n();
  const { t, formatDay, formatDateTime } = i18n;
  const detail = useObservable(() => observeHousehold(id), [id]);
  if (detail === undefined)
    return (
      <main class="screen" aria-busy="true">
        {t('app.loading')}
      </main>
    );
  if (detail === null)
    return (
      <main class="screen">
        <p>{t('household.notFound')}</p>
      </main>
    );
  const { household: h, due } = detail;
  const thisYear = new Date().getFullYear();
  return (
    <main class="screen">
      <Link href="/households" class="back">
        ‹ {t('app.back')}
      </Link>
      <div class="screen-head">
        <h1>{h.headName}</h1>
        <Link href={`/households/${id}/edit`} class="button secondary">
          {t('app.edit')}
        </Link>
      </div>
      <p>
        {h.gridCode} · {addressText(h, i18n)} <SyncBadge sync={detail.sync} />
      </p>
      {h.tags.length > 0 ? (
        <p class="card-meta">
          {h.tags.map((tag) => (
            <span key={tag} class="tag">
              {t(`tag.${tag}`)}
            </span>
          ))}
        </p>
      ) : null}
      <p class={due.isDue ? 'notice notice-warn' : 'notice'} data-testid="household-due">
        {due.followUpDue && h.followUpOn ? `📌 ${t('household.followUp', { day: formatDay(h.followUpOn) })}` : null}
        {due.followUpDue && h.followUpReason ? ` — ${t('household.followUpReason', { reason: h.followUpReason })}` : null}
        {due.followUpDue ? <br /> : null}
        {due.overdueDays > 0
          ? `⚠ ${t('household.overdue', { days: due.overdueDays })}`
          : due.overdueDays === 0
            ? `⚠ ${t('household.dueToday')}`
            : t('household.nextDue', { day: formatDay(due.dueOn) })}
        {' · '}
        {detail.lastMetAt ? t('household.lastMet', { day: formatDateTime(Date.parse(detail.lastMetAt)) }) : t('household.neverVisited')}
        {!due.followUpDue && h.followUpOn ? (
          <>
            <br />
            📌 {t('household.followUp', { day: formatDay(h.followUpOn) })}
          </>
        ) : null}
      </p>
      <p class="form-actions">
        <Link href={`/households/${id}/visits/new`} class="button primary">
          🚪 {t('household.recordVisit')}
        </Link>
      </p>
      <dl class="facts">
        {h.phone ? (
          <div>
            <dt>{t('household.phone')}</dt>
            <dd>
              <a href={`tel:${h.phone.replace(/[^\d+]/g, '')}`} aria-label={`${t('household.call')} ${h.phone}`}>
                ☎ {h.phone}
              </a>
            </dd>
          </div>
        ) : null}
        {h.emergencyName || h.emergencyPhone ? (
          <div>
            <dt>{t('household.emergencyTitle')}</dt>
            <dd>
              {h.emergencyName}
              {h.emergencyRelation ? `（${h.emergencyRelation}）` : ''}{' '}
              {h.emergencyPhone ? <a href={`tel:${h.emergencyPhone.replace(/[^\d+]/g, '')}`}>☎ {h.emergencyPhone}</a> : null}
            </dd>
          </div>
        ) : null}
        {h.dialect ? <Fact label={t('household.dialect')}>{h.dialect}</Fact> : null}
        {h.translator ? <Fact label={t('household.translator')}>{h.translator}</Fact> : null}
        {h.notes ? (
          <Fact label={t('household.notes')} prewrap>
            {h.notes}
          </Fact>
        ) : null}
      </dl>

      <section aria-labelledby="residents-h">
        <div class="screen-head">
          <h2 id="residents-h">{t('household.residents')}</h2>
          <Link href={`/households/${id}/residents/new`} class="button secondary">
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

      <section aria-labelledby="needs-h">
        <h2 id="needs-h">{t('household.needs')}</h2>
        {detail.needs.length === 0 ? (
          <p class="empty">{t('household.noNeeds')}</p>
        ) : (
          <ul class="cards" data-testid="need-list">
            {detail.needs.map(({ need: n, sync }) => (
              <li key={n.id}>
                <Link href={`/needs/${n.id}`} class={`card${isOpenNeed(n.status) && n.urgency === 'urgent' ? ' card-warn' : ''}`}>
                  <strong class="card-title">
                    {n.urgency === 'urgent' ? `⚠ ${t('urgency.urgent')} · ` : ''}
                    {t(`needCat.${n.category}`)}
                  </strong>
                  <span class="card-problem">{n.description}</span>
                  <span class="card-meta">
                    <span class="status">{t(`needStatus.${n.status}`)}</span>
                    <span>{n.route === 'department' ? `${t('route.department')}：${n.department}` : t('route.volunteers')}</span>
                    {n.assignee ? <span>→ {n.assignee}</span> : null}
                    <SyncBadge sync={sync} />
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>

      {detail.tickets.length > 0 ? (
        <section aria-labelledby="tickets-h">
          <h2 id="tickets-h">{t('ticket.homeRepair')}</h2>
          <ul class="cards">
            {detail.tickets.map((tk) => (
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
      ) : null}

      <section aria-labelledby="visits-h">
        <h2 id="visits-h">{t('household.visits')}</h2>
        {detail.visits.length === 0 ? (
          <p class="empty">{t('household.noVisits')}</p>
        ) : (
          <ul class="cards" data-testid="visit-list">
            {detail.visits.map(({ visit: v, sync }) => {
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
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </main>
  );
}
