/**
 * 微心愿 — the wish board, on every volunteer's phone, offline: the residents' small wishes a
 * coordinator accepted, to claim (认领) with one tap; the ones this volunteer claimed, to
 * carry through on the need's page; and who has the others. A claim made offline that
 * another volunteer's beat is refused at sync, said so in the refused list, and the board
 * then shows who has it.
 */
import { claimNeed, observeWishBoard, syncSoon, type Wish } from '../../data/index.ts';
import { Alert } from '../components/Alert.tsx';
import { BackLink, Loading } from '../components/ScreenState.tsx';
import { addressText } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { useAction } from '../use-action.ts';
import { useObservable } from '../use-observable.ts';

function WishCard({ wish, action }: { wish: Wish; action: 'claim' | 'open' | 'taken' }) {
  const i18n = useI18n();
  const { t, formatDay } = i18n;
  const { busy, failure, act, fail } = useAction(i18n);
  const { need, request, household } = wish;
  return (
    <li class="card" data-testid="wish" data-state={action}>
      <strong class="card-title">
        🎁 {request?.callName ?? household?.headName ?? ''} · {household ? addressText(household, i18n) : ''}
      </strong>
      <span class="card-problem prewrap">{need.description}</span>
      <span class="hint">{t('wishes.since', { day: formatDay(need.createdAt.slice(0, 10)) })}</span>
      {action === 'claim' ? (
        <button
          type="button"
          class="primary"
          disabled={busy}
          onClick={() =>
            act(async () => {
              const r = await claimNeed(need.id);
              if (!r.ok) return fail(t(r.error));
              syncSoon();
            })
          }
        >
          {t('wishes.claim')}
        </button>
      ) : action === 'open' ? (
        <Link href={`/needs/${need.id}`} class="button primary">
          {t('wishes.mine')}
        </Link>
      ) : (
        <span data-testid="claimed-by">✓ {t('wishes.takenBy', { name: need.assignee })}</span>
      )}
      <Alert text={failure} />
    </li>
  );
}

export default function WishesScreen() {
  const { t } = useI18n();
  const board = useObservable(observeWishBoard, []);
  if (board === undefined) return <Loading />;
  return (
    <main class="screen">
      <BackLink href="/visits" />
      <h1>{t('wishes.title')}</h1>
      <p class="hint">{t('wishes.intro')}</p>
      <section aria-labelledby="mine-h">
        <h2 id="mine-h">{t('wishes.myClaims', { count: board.mine.length })}</h2>
        {board.mine.length === 0 ? (
          <p class="empty">{t('wishes.noneMine')}</p>
        ) : (
          <ul class="cards">
            {board.mine.map((w) => (
              <WishCard key={w.need.id} wish={w} action="open" />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="open-h">
        <h2 id="open-h">{t('wishes.open', { count: board.open.length })}</h2>
        {board.open.length === 0 ? (
          <p class="empty">{t('wishes.noneOpen')}</p>
        ) : (
          <ul class="cards" data-testid="open-wishes">
            {board.open.map((w) => (
              <WishCard key={w.need.id} wish={w} action="claim" />
            ))}
          </ul>
        )}
      </section>
      {board.taken.length > 0 ? (
        <section aria-labelledby="taken-h">
          <h2 id="taken-h">{t('wishes.taken')}</h2>
          <ul class="cards" data-testid="taken-wishes">
            {board.taken.map((w) => (
              <WishCard key={w.need.id} wish={w} action="taken" />
            ))}
          </ul>
        </section>
      ) : null}
    </main>
  );
}
