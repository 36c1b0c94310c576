/**
 * The event board: tickets by status (待修 / 维修中 / 已完成 / 已取回, the rest under 其他)
 * with counts, a search by number, name or phone, and the day's summary — all from the
 * phone's own store, so it works in a courtyard with no signal.
 */
import { ScrollRow } from '../components/ScrollRow.tsx';
import { useState } from 'preact/hooks';
import { observeEvent, observeEventSummary, observeTickets } from '../../data/index.ts';
import { matchesSearch } from '../ticket-search.ts';
import type { TicketStatus } from '../../shared/repair.ts';
import { RepairSummaryPanel } from '../components/RepairSummaryPanel.tsx';
import { SyncBadge } from '../components/SyncBadge.tsx';
import { BackLink, Loading, Missing } from '../components/ScreenState.tsx';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { useObservable } from '../use-observable.ts';

const TABS = ['waiting', 'repairing', 'done', 'collected', 'other'] as const;
type Tab = (typeof TABS)[number];

function tabOf(status: TicketStatus): Tab {
  return status === 'cancelled' || status === 'noShow' ? 'other' : status;
}

export default function EventScreen({ id }: { id: string }) {
  const { t, formatDay } = useI18n();
  const current = useObservable(() => observeEvent(id), [id]);
  if (current === undefined) return <Loading />;
  if (current === null) return <Missing>{t('event.notFound')}</Missing>;
  const { event, sync } = current;
  return (
    <main class="screen">
      <BackLink href="/" />
      <div class="screen-head">
        <h1>{event.title}</h1>
        <Link href={`/events/${id}/edit`} class="button secondary">
          {t('app.edit')}
        </Link>
      </div>
      <p>
        {formatDay(event.date)} · {event.site} · <span class={`status status-${event.status}`}>{t(`event.status.${event.status}`)}</span>{' '}
        <SyncBadge sync={sync} />
      </p>
      <p>
        <Link href={`/events/${id}/attendance`} class={event.kind === 'repair' ? 'button secondary' : 'button primary'}>
          🙋 {t('hours.sheetLink')}
        </Link>
      </p>
      {event.kind === 'repair' ? (
        <RepairBoard id={id} />
      ) : (
        <p class="hint">{t('event.notRepair', { kind: t(`eventKind.${event.kind}`) })}</p>
      )}
    </main>
  );
}

/** The day's tickets by status, the search and the summary. */
function RepairBoard({ id }: { id: string }) {
  const { t } = useI18n();
  const tickets = useObservable(() => observeTickets(id), [id]);
  const summary = useObservable(() => observeEventSummary(id), [id]);
  const [tab, setTab] = useState<Tab>('waiting');
  const [query, setQuery] = useState('');
  const all = tickets ?? [];
  const counts: Record<Tab, number> = { waiting: 0, repairing: 0, done: 0, collected: 0, other: 0 };
  for (const item of all) counts[tabOf(item.ticket.status)]++;
  const searching = query.trim() !== '';
  const shown = searching ? all.filter((item) => matchesSearch(item, query)) : all.filter((item) => tabOf(item.ticket.status) === tab);
  return (
    <>
      <div class="screen-head">
        <h2>{t('ticket.listTitle')}</h2>
        <Link href={`/events/${id}/tickets/new`} class="button primary">
          ＋ {t('ticket.new')}
        </Link>
      </div>
      <div class="field">
        <label for="ticket-search">{t('board.search')}</label>
        <input
          id="ticket-search"
          type="search"
          value={query}
          onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
          autocomplete="off"
        />
      </div>
      {searching ? null : (
        <ScrollRow class="tabs" role="tablist" aria-label={t('board.tabs')}>
          {TABS.map((k) => (
            <button
              key={k}
              type="button"
              role="tab"
              id={`tab-${k}`}
              aria-selected={tab === k}
              aria-controls="ticket-panel"
              class={tab === k ? 'tab tab-on' : 'tab'}
              onClick={() => setTab(k)}
            >
              {k === 'other' ? t('board.other') : t(`ticket.status.${k}`)} <span class="count">{counts[k]}</span>
            </button>
          ))}
        </ScrollRow>
      )}
      <div id="ticket-panel" role={searching ? undefined : 'tabpanel'} aria-labelledby={searching ? undefined : `tab-${tab}`}>
        {tickets === undefined ? null : all.length === 0 ? (
          <p class="empty">{t('ticket.empty')}</p>
        ) : shown.length === 0 ? (
          <p class="empty">{t('board.noMatch')}</p>
        ) : (
          <ul class="cards" data-testid="ticket-list">
            {shown.map(({ ticket, sync: s }) => (
              <li key={ticket.id}>
                <Link href={`/tickets/${ticket.id}`} class="card ticket-card">
                  <strong class="ticket-number">{ticket.number}</strong>
                  <span class="card-title">
                    {t(`cat.${ticket.category}`)}
                    {ticket.item ? ` · ${ticket.item}` : ''}
                  </span>
                  <span class="card-problem">{ticket.problem}</span>
                  <span class="card-meta">
                    <span class={`status status-${ticket.status}`}>{t(`ticket.status.${ticket.status}`)}</span>
                    {ticket.outcome ? <span>{t(`outcome.${ticket.outcome}`)}</span> : null}
                    {ticket.residentName ? <span>{ticket.residentName}</span> : null}
                    <SyncBadge sync={s} />
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </div>
      {summary ? <RepairSummaryPanel summary={summary} /> : null}
    </>
  );
}
