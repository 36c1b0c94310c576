/**
 * The readings of a check: large numeric fields with their units — blood pressure as a pair,
 * pulse, glucose with when it was measured, temperature, SpO2, weight — any of them; what is
 * typed stays text until it is saved, so "37." on the way to "37.5" is left as it is.
 */
import type { FieldErrors } from '../../../data/index.ts';
import { GLUCOSE_CONTEXTS, READING_UNITS, type Reading, type Readings } from '../../../shared/health.ts';
import { Choice } from '../../components/Choices.tsx';
import { Field } from '../../components/Field.tsx';
import { useI18n } from '../../i18n.tsx';

export type ReadingTexts = Record<Reading, string>;
export const NO_READINGS: ReadingTexts = { systolic: '', diastolic: '', pulse: '', glucose: '', temperature: '', weight: '', spo2: '' };
const DECIMAL: Record<Reading, boolean> = {
  systolic: false,
  diastolic: false,
  pulse: false,
  glucose: true,
  temperature: true,
  weight: true,
  spo2: false,
};

interface Props {
  texts: ReadingTexts;
  glucoseContext: Readings['glucoseContext'];
  errors: FieldErrors;
  onText: (k: Reading, text: string) => void;
  onGlucoseContext: (c: Readings['glucoseContext']) => void;
}

export function ReadingFields({ texts, glucoseContext, errors, onText, onGlucoseContext }: Props) {
  const { t } = useI18n();
  const number = (k: Reading) => (
    <Field id={k} label={`${t(`reading.${k}`)}（${READING_UNITS[k]}）`} error={errors[k]} optional>
      {(a) => (
        <div class="with-unit">
          <input
            {...a}
            class="big-number"
            inputMode={DECIMAL[k] ? 'decimal' : 'numeric'}
            value={texts[k]}
            onInput={(e) => onText(k, (e.target as HTMLInputElement).value)}
            maxLength={5}
            autocomplete="off"
          />
          <span aria-hidden="true">{READING_UNITS[k]}</span>
        </div>
      )}
    </Field>
  );
  return (
    <>
      <fieldset class="group">
        <legend>{t('check.bp')}</legend>
        <div class="form-row">
          {number('systolic')}
          {number('diastolic')}
        </div>
      </fieldset>
      {number('pulse')}
      {number('glucose')}
      {texts.glucose.trim() ? (
        <Choice
          name="glucoseContext"
          legend={t('check.glucoseWhen')}
          options={GLUCOSE_CONTEXTS}
          label={(c) => t(`glucoseContext.${c}`)}
          value={glucoseContext}
          onChange={onGlucoseContext}
          error={errors.glucoseContext}
        />
      ) : null}
      <div class="form-row">
        {number('temperature')}
        {number('spo2')}
      </div>
      {number('weight')}
    </>
  );
}
