/** A repair need's home repair ticket (上门维修): the link to it, or the one tap that makes it. */
import { needToRepairTicket, syncSoon, type NeedDetail } from '../../../data/index.ts';
import { Alert } from '../../components/Alert.tsx';
import { useI18n } from '../../i18n.tsx';
import { Link, navigate } from '../../router.tsx';
import { useAction } from '../../use-action.ts';

export function NeedRepair({ needId, ticket }: { needId: string; ticket: NeedDetail['ticket'] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { busy, failure, act, fail } = useAction(i18n);
  if (ticket) {
    return (
      <p>
        🔧 <Link href={`/tickets/${ticket.id}`}>{t('need.repairTicket', { number: ticket.number })}</Link>
      </p>
    );
  }
  const convert = () =>
    act(async () => {
      const r = await needToRepairTicket(needId);
      if (!r.ok) return fail(t(r.error));
      syncSoon();
      navigate(`/tickets/${r.ticketId}`);
    });
  return (
    <>
      <p>
        <button type="button" class="primary" disabled={busy} onClick={convert}>
          🔧 {t('need.toRepair')}
        </button>
      </p>
      <Alert text={failure} focus />
    </>
  );
}
