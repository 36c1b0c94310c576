/**
 * One ticket as the repair table works it: the number large for the paper tag, the next step
 * in one tap (ticket/TicketMoves), and the outcome and fees form (ticket/TicketWork).
 */
import { WorkTime } from '../components/WorkTime.tsx';
import { observeSession, observeTicket } from '../../data/index.ts';
import { BackLink, Loading, Missing } from '../components/ScreenState.tsx';
import { SyncBadge } from '../components/SyncBadge.tsx';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { useObservable } from '../use-observable.ts';
import { TicketMoves } from './ticket/TicketMoves.tsx';
import { TicketWork } from './ticket/TicketWork.tsx';

export default function TicketScreen({ id, fresh }: { id: string; fresh: boolean }) {
  const { t } = useI18n();
  const current = useObservable(() => observeTicket(id), [id]);
  const session = useObservable(observeSession, []);
  if (current === undefined) return <Loading />;
  if (current === null) return <Missing>{t('ticket.notFound')}</Missing>;
  const { ticket, sync } = current;
  return (
    <main class="screen">
      <BackLink href={ticket.eventId ? `/events/${ticket.eventId}` : '/'} />
      <div class="ticket-tag" data-testid="ticket-number">
        <span class="ticket-tag-label">{t('ticket.number')}</span>
        <strong>{ticket.number}</strong>
        <span class="hint">{t('ticket.numberHint')}</span>
        <SyncBadge sync={sync} />
      </div>
      {fresh && ticket.eventId ? (
        <Link href={`/events/${ticket.eventId}/tickets/new`} class="button primary take-next">
          ＋ {t('ticket.takeNext')}
        </Link>
      ) : null}
      <h1>
        {t(`cat.${ticket.category}`)}
        {ticket.item ? ` · ${ticket.item}` : ''}
        {ticket.mode === 'home' ? ` · ${t('ticket.homeRepair')}` : ''}
      </h1>
      <p class="card-problem">{ticket.problem}</p>
      {ticket.residentName || ticket.residentPhone ? (
        <p>
          {ticket.residentName} {ticket.residentPhone}
        </p>
      ) : null}
      <p>
        <Link href={`/tickets/${id}/edit`}>{t('ticket.editIntake')}</Link>
      </p>
      <TicketMoves ticket={ticket} volunteerName={session?.user?.name} />
      <TicketWork ticket={ticket} />
      {ticket.mode === 'home' ? <WorkTime workId={ticket.id} /> : null}
    </main>
  );
}
