/** A ticket's status and the one-tap moves from it (take it, finish, collected, cancelled, no-show, back to waiting). */
import { useState } from 'preact/hooks';
import { saveRepairTicket, type RepairTicket, type TicketDraft } from '../../../data/index.ts';
import { TICKET_MOVES, type TicketStatus } from '../../../shared/repair.ts';
import { Alert, Done } from '../../components/Alert.tsx';
import { useFormSave } from '../../form-helpers.ts';
import { useI18n } from '../../i18n.tsx';

export function TicketMoves({ ticket, volunteerName }: { ticket: RepairTicket; volunteerName: string | undefined }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { busy, failure, save } = useFormSave(i18n, () => undefined);
  const [moved, setMoved] = useState('');
  function move(to: TicketStatus) {
    const patch: TicketDraft = { id: ticket.id, eventId: ticket.eventId, status: to };
    // Taking a ticket puts the volunteer's name on it, unless someone is already named.
    if (to === 'repairing' && !ticket.repairedBy && volunteerName) patch.repairedBy = volunteerName;
    save(
      () => saveRepairTicket(patch),
      () => setMoved(t('ticket.statusSaved', { status: t(`ticket.status.${to}`) })),
    );
  }
  return (
    <section aria-labelledby="actions-h">
      <h2 id="actions-h">
        {t('ticket.status')}：
        <span class={`status status-${ticket.status}`} data-testid="ticket-status">
          {t(`ticket.status.${ticket.status}`)}
        </span>
      </h2>
      <div class="form-actions">
        {TICKET_MOVES[ticket.status].map((n) => (
          <button key={n.to} type="button" class={n.primary ? 'primary' : 'secondary'} disabled={busy} onClick={() => move(n.to)}>
            {t(n.label)}
          </button>
        ))}
      </div>
      <Done text={moved} />
      <Alert text={failure} focus />
    </section>
  );
}
