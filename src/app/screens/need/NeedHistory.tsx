/** A need's history: who took which step, when, and what the step named — the paper trail of the loop. */
import type { NeedDetail } from '../../../data/index.ts';
import { useI18n } from '../../i18n.tsx';

export function NeedHistory({ history }: { history: NeedDetail['history'] }) {
  const { t, formatDateTime } = useI18n();
  return (
    <section aria-labelledby="history-h">
      <h2 id="history-h">{t('need.history')}</h2>
      <ol class="history" data-testid="need-history">
        {history.map((h) => {
          const { assignee, evaluation, note } = h.entry;
          const named = [assignee, evaluation ? t(`evaluation.${evaluation}`) : '', h.ticketNumber, note].filter(Boolean).join(' · ');
          return (
            <li key={h.id}>
              <strong>{t(`needAction.${h.action}`)}</strong> · {h.byName} · {formatDateTime(Date.parse(h.at))}
              {named ? <span class="prewrap"> — {named}</span> : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
