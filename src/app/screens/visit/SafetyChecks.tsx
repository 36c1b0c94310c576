/**
 * The safety checks of a visit — gas, wiring, smoke alarm, walkways: one row each (the item,
 * then 未查 / ✓ 正常 / ⚠ 有隐患 — a problem marked in words, not colour alone), and "all fine"
 * in one tap for the common case, each row still changeable after.
 */
import type { Visit } from '../../../shared/visit.ts';
import { SAFETY_ITEMS, SAFETY_RESULTS, type SafetyItem } from '../../../shared/visit.ts';
import { useI18n } from '../../i18n.tsx';

export type Safety = Record<SafetyItem, Visit['gas']>;
export const NOT_CHECKED: Safety = { gas: 'notChecked', wiring: 'notChecked', smokeAlarm: 'notChecked', walkways: 'notChecked' };
const ALL_FINE: Safety = { gas: 'ok', wiring: 'ok', smokeAlarm: 'ok', walkways: 'ok' };

export function SafetyChecks({ value, onChange }: { value: Safety; onChange: (v: Safety) => void }) {
  const { t } = useI18n();
  const mark = (r: Visit['gas']) => (r === 'problem' ? '⚠ ' : r === 'ok' ? '✓ ' : '');
  const allFine = SAFETY_ITEMS.every((i) => value[i] === 'ok');
  return (
    <fieldset class="group safety">
      <legend>{t('visit.safetyTitle')}</legend>
      <button type="button" class="secondary" aria-pressed={allFine} onClick={() => onChange(allFine ? NOT_CHECKED : ALL_FINE)}>
        {t('visit.safetyAllFine')}
      </button>
      {SAFETY_ITEMS.map((item) => (
        <fieldset key={item} class="safety-row">
          <legend>{t(`safety.${item}`)}</legend>
          {SAFETY_RESULTS.map((r) => (
            <label key={r} class={`choice${value[item] === r ? ' chosen' : ''}`}>
              <input
                type="radio"
                name={`safety-${item}`}
                value={r}
                checked={value[item] === r}
                onChange={() => onChange({ ...value, [item]: r })}
              />
              <span>
                {mark(r)}
                {t(`safetyResult.${r}`)}
              </span>
            </label>
          ))}
        </fieldset>
      ))}
    </fieldset>
  );
}
