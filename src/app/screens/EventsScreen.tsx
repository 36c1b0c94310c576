/** The first screen: the team's repair events, newest first, each with its item count and sync state. */
import { observeEvents } from '../../data/index.ts';
import { SyncBadge } from '../components/SyncBadge.tsx';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { useObservable } from '../use-observable.ts';

export default function EventsScreen() {
  const { t, formatDay } = useI18n();
  const events = useObservable(observeEvents, []);
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
    </main>
  );
}
