/** Where a household stands — due, overdue, a follow-up asked for, when someone was last met — and how to reach it: phones (tap to call), family, dialect, translator. */
import type { HouseholdDetail } from '../../../data/index.ts';
import { Fact } from '../../components/Fact.tsx';
import { useI18n } from '../../i18n.tsx';

export function HouseholdDue({ detail }: { detail: HouseholdDetail }) {
  const { t, formatDay, formatDateTime } = useI18n();
  const { household: h, due } = detail;
  return (
    <p class={due.isDue ? 'notice notice-warn' : 'notice'} data-testid="household-due">
      {due.followUpDue && h.followUpOn ? `📌 ${t('household.followUp', { day: formatDay(h.followUpOn) })}` : null}
      {due.followUpDue && h.followUpReason
        ? ` — ${t('household.followUpReason', { reason: h.followUpReasonCode === 'healthUrgent' ? t('check.followUpReason') : h.followUpReason })}`
        : null}
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
  );
}

/** A phone as a call link (digits and + only, as dialers read them). */
export const tel = (phone: string) => `tel:${phone.replace(/[^\d+]/g, '')}`;

/** A phone number to tap and call, named for screen readers. */
export function CallLink({ phone }: { phone: string }) {
  const { t } = useI18n();
  return (
    <a href={tel(phone)} aria-label={`${t('household.call')} ${phone}`}>
      ☎ {phone}
    </a>
  );
}

export function HouseholdContacts({ household: h }: { household: HouseholdDetail['household'] }) {
  const { t } = useI18n();
  return (
    <dl class="facts">
      {h.phone ? (
        <Fact label={t('household.phone')}>
          <CallLink phone={h.phone} />
        </Fact>
      ) : null}
      {h.emergencyName || h.emergencyPhone ? (
        <Fact label={t('household.emergencyTitle')}>
          {h.emergencyName}
          {h.emergencyRelation ? `（${h.emergencyRelation}）` : ''} {h.emergencyPhone ? <CallLink phone={h.emergencyPhone} /> : null}
        </Fact>
      ) : null}
      {h.doctorName || h.doctorPhone ? (
        <Fact label={t('household.doctorTitle')}>
          {h.doctorName} {h.doctorPhone ? <CallLink phone={h.doctorPhone} /> : null}
        </Fact>
      ) : null}
      {h.dialect ? <Fact label={t('household.dialect')}>{h.dialect}</Fact> : null}
      {h.translator || h.translatorPhone ? (
        <Fact label={t('household.translator')}>
          {h.translator} {h.translatorPhone ? <CallLink phone={h.translatorPhone} /> : null}
        </Fact>
      ) : null}
      {h.notes ? (
        <Fact label={t('household.notes')} prewrap>
          {h.notes}
        </Fact>
      ) : null}
    </dl>
  );
}
