/**
 * The intake's category buttons: the ones this phone uses most first (电风扇, 电饭煲, 磨刀… on a
 * new phone, the order of repair days in China), the rest one tap away with a search that
 * knows what people call the things (电饭煲, 高压锅, 剪刀 …). The order is fixed when the form
 * opens, so no tile moves under a finger.
 */
import { useMemo, useState } from 'preact/hooks';
import { observeCategoryUse } from '../../../data/index.ts';
import type { MessageKey } from '../../../shared/i18n/format.ts';
import type { RepairCategoryKey } from '../../../shared/repair-impact.ts';
import { FIRST_TILES, matchesCategory, rankCategories } from '../../category-rank.ts';
import { Alert } from '../../components/Alert.tsx';
import { RequiredMark } from '../../components/Field.tsx';
import { useI18n } from '../../i18n.tsx';
import { useObservable } from '../../use-observable.ts';

export function CategoryTiles({
  value,
  onChange,
  error,
}: {
  value: RepairCategoryKey | '';
  onChange: (c: RepairCategoryKey) => void;
  error: MessageKey | undefined;
}) {
  const { t } = useI18n();
  const use = useObservable(observeCategoryUse, []);
  // ranked once, when the phone's counts first arrive
  const ranked = useMemo(() => (use ? rankCategories(use) : null), [use === undefined]);
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  if (!ranked) return <fieldset class="choice-grid" aria-busy="true" />;
  const first = ranked.slice(0, FIRST_TILES);
  // the chosen one stays in view even when it is not among the first
  const shown = open
    ? ranked.filter((k) => matchesCategory(query, [t(`cat.${k}`), ...t(`catAlias.${k}`).split(/\s+/)]))
    : value && !first.includes(value)
      ? [...first, value]
      : first;
  return (
    <fieldset class={`choice-grid${error ? ' field-invalid' : ''}`} aria-describedby={error ? 'category-error' : undefined}>
      <legend>
        {t('ticket.category')}
        <RequiredMark />
      </legend>
      {open ? (
        <div class="tile-search">
          <label for="category-search">{t('ticket.categorySearch')}</label>
          <input
            id="category-search"
            type="search"
            value={query}
            autocomplete="off"
            onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
          />
        </div>
      ) : null}
      {shown.map((key, i) => (
        <label key={key} class={`choice${value === key ? ' chosen' : ''}`}>
          <input
            type="radio"
            name="category"
            value={key}
            checked={value === key}
            aria-invalid={Boolean(error) && i === 0}
            onChange={() => onChange(key)}
          />
          <span>{t(`cat.${key}`)}</span>
        </label>
      ))}
      {open && shown.length === 0 ? <p class="hint tile-none">{t('ticket.categoryNone')}</p> : null}
      {!open ? (
        <button type="button" class="secondary tile-more" aria-expanded="false" onClick={() => setOpen(true)}>
          {t('ticket.categoryMore', { count: ranked.length - first.length })}
        </button>
      ) : null}
      <Alert id="category-error" text={error ? t(error) : undefined} />
    </fieldset>
  );
}
