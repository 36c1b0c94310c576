/** The safety checks of a visit — gas, wiring, smoke alarm, walkways: not checked, fine, or a problem (marked ⚠ in words). */
import type { Visit } from '../../../shared/visit.ts';
import { SAFETY_ITEMS, SAFETY_RESULTS, type SafetyItem } from '../../../shared/visit.ts';
import { Choice } from '../../components/Choices.tsx';
import { useI18n } from '../../i18n.tsx';

export type Safety = Record<SafetyItem, Visit['gas']>;
export const NOT_CHECKED: Safety = { gas: 'notChecked', wiring: 'notChecked', smokeAlarm: 'notChecked', walkways: 'notChecked' };

export function SafetyChecks({ value, onChange }: { value: Safety; onChange: (v: Safety) => void }) {
  const { t } = useI18n();
  const label = (r: Visit['gas']) =>
    r === 'problem' ? `⚠ ${t(`safetyResult.${r}`)}` : r === 'ok' ? `✓ ${t(`safetyResult.${r}`)}` : t(`safetyResult.${r}`);
  return (
    <fieldset class="group">
      <legend>{t('visit.safetyTitle')}</legend>
      {SAFETY_ITEMS.map((item) => (
        <Choice
          key={item}
          name={`safety-${item}`}
          legend={t(`safety.${item}`)}
          options={SAFETY_RESULTS}
          label={label}
          value={value[item]}
          onChange={(r) => onChange({ ...value, [item]: r })}
        />
      ))}
    </fieldset>
  );
}
