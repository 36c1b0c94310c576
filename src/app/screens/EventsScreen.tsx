/** The first screen: the team's repair events, newest first, each with its item count and sync state, and the home repairs still open. */
import { observeEvents, observeHomeRepairs, observeSession } from '../../data/index.ts';
import { CoordinatorLinks } from '../components/CoordinatorLinks.tsx';
import { SyncBadge } from '../components/SyncBadge.tsx';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { useObservable } from '../use-observable.ts';

export default function EventsScreen() {
  const { t, formatDay } = useI18n();
  const events = useObservable(observeEvents, []);
  const session = useObservable(observeSession, []);
  const home = useObservable(observeHomeRepairs, []);
  const coordinator = session?.user?.role === 'coordinator' || session?.user?.role === 'admin';
  return (
    <main class="screen">
      <div class="screen-head">
        <h1>{t('event.listTitle')}</h1>
        <Link href="/events/new" class="button primary">
          ＋ {t('event.new')}
        </Link>
      </div>
      {events === undefined ? (
        <p aria-busy="true">{t('app.loading')}</p>
      ) : events.length === 0 ? (
        <p class="empty">{t('event.empty')}</p>
      ) : (
        <ul class="cards" data-testid="event-list">
          {events.map(({ event, tickets, sync }) => (
            <li key={event.id}>
              <Link href={`/events/${event.id}`} class="card">
                <strong class="card-title">{event.title}</strong>
                <span>
                  {formatDay(event.date)} · {event.site}
                  {event.kind && event.kind !== 'repair' ? ` · ${t(`eventKind.${event.kind}`)}` : ''}
                </span>
                <span class="card-meta">
                  <span class={`status status-${event.status}`}>{t(`event.status.${event.status}`)}</span>
                  <span>{t('event.ticketCount', { count: tickets })}</span>
                  <SyncBadge sync={sync} />
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {home && home.length > 0 ? (
        <section aria-labelledby="home-repairs-h">
          <h2 id="home-repairs-h">{t('ticket.homeRepair')}</h2>
          <ul class="cards" data-testid="home-repairs">
            {home.map(({ ticket, sync }) => (
              <li key={ticket.id}>
                <Link href={`/tickets/${ticket.id}`} class="card">
                  <strong class="ticket-number">{ticket.number}</strong>
                  <span class="card-problem">{ticket.problem}</span>
                  <span class="card-meta">
                    <span class="status">{t(`ticket.status.${ticket.status}`)}</span>
                    {ticket.residentName ? <span>{ticket.residentName}</span> : null}
                    <SyncBadge sync={sync} />
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <p class="form-actions">
        <Link href="/me" class="button secondary">
          🙋 {t('me.link')}
        </Link>
        {coordinator ? <CoordinatorLinks /> : null}
      </p>
    </main>
  );
}
