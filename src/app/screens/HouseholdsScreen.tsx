/**
 * Households: find one fast — by any part of a name, the end or start of a phone number, an
 * address like 3-2-301, or a grid code — filter by situation and grid, a page at a time.
 * Phones are masked in the list; the full number is on the household's own screen.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { HOUSEHOLD_PAGE, observeGrids, observeHouseholds } from '../../data/index.ts';
import { maskPhone } from '../../shared/address.ts';
import { HOUSEHOLD_TAGS, type HouseholdTag } from '../../shared/household.ts';
import { MultiChoice } from '../components/Choices.tsx';
import { SyncBadge } from '../components/SyncBadge.tsx';
import { addressText } from '../form-helpers.ts';
import { Tags } from '../components/Cards.tsx';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { useObservable } from '../use-observable.ts';

export default function HouseholdsScreen() {
  const i18n = useI18n();
  const { t } = i18n;
  const [text, setText] = useState('');
  const [tags, setTags] = useState<HouseholdTag[]>([]);
  const [grid, setGrid] = useState('');
  const [limit, setLimit] = useState(HOUSEHOLD_PAGE);
  // the volunteer opens and closes the filters; clearing the last one must not snap them shut
  const [filtersOpen, setFiltersOpen] = useState(false);
  const typedAt = useRef<number | null>(null);
  const page = useObservable(() => observeHouseholds({ text, tags, grid, limit }), [text, tags.join(','), grid, limit]);
  const grids = useObservable(observeGrids, []);

  useEffect(() => {
    // keystroke or filter → results on screen, read by `npm run bench`
    if (page && typedAt.current !== null) {
      performance.measure('linli:search', { start: typedAt.current });
      typedAt.current = null;
    }
  }, [page]);

  const filtered = text.trim() !== '' || tags.length > 0 || grid !== '';
  return (
    <main class="screen">
      <div class="screen-head">
        <h1>{t('household.listTitle')}</h1>
        <Link href="/households/new" class="button primary">
          ＋ {t('household.new')}
        </Link>
      </div>
      <div class="field">
        <label for="household-search">{t('household.search')}</label>
        <input
          id="household-search"
          type="search"
          value={text}
          autocomplete="off"
          onInput={(e) => {
            typedAt.current = performance.now();
            setText((e.target as HTMLInputElement).value);
            setLimit(HOUSEHOLD_PAGE);
          }}
        />
      </div>
      <details class="group" open={filtersOpen} onToggle={(e) => setFiltersOpen((e.currentTarget as HTMLDetailsElement).open)}>
        <summary>{t('household.filterTags')}</summary>
        <MultiChoice
          name="tags"
          legend={t('household.tags')}
          options={HOUSEHOLD_TAGS}
          label={(k) => t(`tag.${k}`)}
          values={tags}
          onChange={(next) => {
            typedAt.current = performance.now();
            setTags(next);
          }}
          layout="grid"
        />
        <div class="field">
          <label for="grid-filter">{t('household.filterGrid')}</label>
          <select
            id="grid-filter"
            value={grid}
            onChange={(e) => {
              typedAt.current = performance.now();
              setGrid((e.target as HTMLSelectElement).value);
            }}
          >
            <option value="">{t('household.allGrids')}</option>
            {(grids ?? []).map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        </div>
      </details>
      {page === undefined ? (
        <p aria-busy="true">{t('app.loading')}</p>
      ) : page.items.length === 0 ? (
        <p class="empty">{filtered ? t('household.noMatch') : t('household.empty')}</p>
      ) : (
        <>
          <p class="hint" role="status">
            {t('household.shown', { count: page.items.length })}
          </p>
          <ul class="cards" data-testid="household-list">
            {page.items.map(({ household: h, residents, sync }) => (
              <li key={h.id}>
                <Link href={`/households/${h.id}`} class="card">
                  <strong class="card-title">
                    {h.headName}
                    {residents.length > 0
                      ? ` · ${residents.filter((n) => n !== h.headName).join('、') || t('household.residentCount', { count: residents.length })}`
                      : ''}
                  </strong>
                  <span>
                    {h.gridCode} · {addressText(h, i18n)}
                  </span>
                  <span class="card-meta">
                    <Tags tags={h.tags} />
                    {h.phone ? <span>☎ {maskPhone(h.phone)}</span> : null}
                    <SyncBadge sync={sync} />
                  </span>
                </Link>
              </li>
            ))}
          </ul>
          {page.more ? (
            <button type="button" class="secondary wide" onClick={() => setLimit(limit + HOUSEHOLD_PAGE)}>
              {t('household.more')}
            </button>
          ) : null}
        </>
      )}
    </main>
  );
}
