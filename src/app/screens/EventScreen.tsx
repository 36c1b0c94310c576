/** One repair event: its details and the tickets taken in, each with its paper-tag number. */
import { observeEvent, observeTickets } from '../../data/index.ts';
import { SyncBadge } from '../components/SyncBadge.tsx';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { useObservable } from '../use-observable.ts';

export default function EventScreen({ id }: { id: string }) {
  const { t, formatDay } = useI18n();
  const current = useObservable(() => observeEvent(id), [id]);
  const tickets = useObservable(() => observeTickets(id), [id]);
  if (current === undefined) return <main class="screen" aria-busy="true">{t('app.loading')}</main>;
  if (current === null) return <main class="screen"><p>{t('event.notFound')}</p></main>;
  const { event, sync } = current;
  return (
    <main class="screen">
      <Link href="/" class="back">
        ‹ {t('app.back')}
      </Link>
      <div class="screen-head">
        <h1>{event.title}</h1>
        <Link href={`/events/${id}/edit`} class="button secondary">
          {t('app.edit')}
        </Link>
      </div>
      <p>
        {formatDay(event.date)} · {event.site} · <span class={`status status-${event.status}`}>{t(`event.status.${event.status}`)}</span> <SyncBadge sync={sync} />
      </p>
      <div class="screen-head">
        <h2>{t('ticket.listTitle')}</h2>
        <Link href={`/events/${id}/tickets/new`} class="button primary">
          ＋ {t('ticket.new')}
        </Link>
      </div>
      {tickets === undefined ? null : tickets.length === 0 ? (
        <p class="empty">{t('ticket.empty')}</p>
      ) : (
        <ul class="cards" data-testid="ticket-list">
          {tickets.map(({ ticket, sync: s }) => (
            <li key={ticket.id}>
              <Link href={`/tickets/${ticket.id}`} class="card ticket-card">
                <strong class="ticket-number">{ticket.number}</strong>
                <span class="card-title">
                  {ticket.category}
                  {ticket.item ? ` · ${ticket.item}` : ''}
                </span>
                <span class="card-problem">{ticket.problem}</span>
                <span class="card-meta">
                  <span class={`status status-${ticket.status}`}>{t(`ticket.status.${ticket.status}`)}</span>
                  <SyncBadge sync={s} />
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
