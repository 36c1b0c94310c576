/**
 * Today's work for a grid worker: households due for a visit — follow-ups asked for and the
 * longest overdue first — and the urgent needs still open. A tap opens the household.
 */
import { observeDueList } from '../../data/index.ts';
import { localDay } from '../../shared/due.ts';
import { NeedCard, Tags } from '../components/Cards.tsx';
import { Loading } from '../components/ScreenState.tsx';
import { addressText } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { useObservable } from '../use-observable.ts';

export default function DueScreen() {
  const i18n = useI18n();
  const { t, formatDay, formatDateTime } = i18n;
  const list = useObservable(observeDueList, []);
  if (list === undefined) return <Loading />;
  return (
    <main class="screen">
      <h1>{t('due.title')}</h1>
      <p>
        <Link href="/wishes" class="button secondary">
          🎁 {t('wishes.link')}
        </Link>
      </p>
      <section aria-labelledby="urgent-h">
        <h2 id="urgent-h">{t('due.urgentNeeds')}</h2>
        {list.urgentNeeds.length === 0 ? (
          <p class="empty">{t('due.noUrgent')}</p>
        ) : (
          <ul class="cards" data-testid="urgent-needs">
            {list.urgentNeeds.map(({ need: n, household: h }) => (
              <li key={n.id}>
                <NeedCard need={n} title={h?.headName ?? ''}>
                  {h ? <span>{addressText(h, i18n)}</span> : null}
                  <span>{formatDateTime(Date.parse(n.createdAt))}</span>
                </NeedCard>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="due-h">
        <h2 id="due-h">{t('due.households')}</h2>
        {list.households.length === 0 ? (
          <p class="empty">{t('due.none')}</p>
        ) : (
          <ul class="cards" data-testid="due-list">
            {list.households.map(({ household: h, due, lastMetAt }) => (
              <li key={h.id}>
                <Link href={`/households/${h.id}`} class={`card${due.followUpDue || due.overdueDays > 7 ? ' card-warn' : ''}`}>
                  <strong class="card-title">{h.headName}</strong>
                  <span>
                    {h.gridCode} · {addressText(h, i18n)}
                  </span>
                  <span class="card-meta">
                    {due.followUpDue ? <span class="status">📌 {t('due.followUp')}</span> : null}
                    {due.overdueDays > 0 ? (
                      <span class="status">⚠ {t('due.overdueDays', { days: due.overdueDays })}</span>
                    ) : due.overdueDays === 0 ? (
                      <span class="status">{t('due.dueToday')}</span>
                    ) : null}
                    <span>{lastMetAt ? t('household.lastMet', { day: formatDay(localDay(lastMetAt)) }) : t('household.neverVisited')}</span>
                    <Tags tags={h.tags} />
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
        {list.moreHouseholds > 0 ? <p class="hint">{t('due.more', { count: list.moreHouseholds })}</p> : null}
      </section>
    </main>
  );
}
