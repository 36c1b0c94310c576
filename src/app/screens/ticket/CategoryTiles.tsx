/** The intake's category buttons (电风扇, 电饭煲, 电水壶, 磨刀…), most common at Chinese repair days first. */
import type { MessageKey } from '../../../shared/i18n/format.ts';
import { REPAIR_CATEGORY_KEYS, type RepairCategoryKey } from '../../../shared/repair-impact.ts';
import { Alert } from '../../components/Alert.tsx';
import { useI18n } from '../../i18n.tsx';

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
  return (
    <fieldset class={`choice-grid${error ? ' field-invalid' : ''}`} aria-describedby={error ? 'category-error' : undefined}>
      <legend>{t('ticket.category')}</legend>
      {REPAIR_CATEGORY_KEYS.map((key, i) => (
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
      <Alert id="category-error" text={error ? t(error) : undefined} />
    </fieldset>
  );
}
