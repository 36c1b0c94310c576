/**
 * A question answered by tapping one big button (radio) or several (checkboxes) — the
 * paper form's tick boxes. The chosen ones show a filled mark and a thick border, never
 * colour alone; the error sits under the group, in words.
 */
import type { MessageKey } from '../../shared/i18n/format.ts';
import { useI18n } from '../i18n.tsx';
import { Alert } from './Alert.tsx';
import { RequiredMark } from './Field.tsx';

interface Base<T extends string> {
  name: string;
  legend: string;
  options: readonly T[];
  label: (v: T) => string;
  error?: MessageKey | undefined;
  /** 'grid' for many short options, 'row' for a few. */
  layout?: 'grid' | 'row';
  /** Must be chosen before save: marked beside the question. */
  required?: boolean;
}

export function Choice<T extends string>({
  name,
  legend,
  options,
  label,
  error,
  layout = 'row',
  required = false,
  value,
  onChange,
}: Base<T> & { value: T | null; onChange: (v: T) => void }) {
  const { t } = useI18n();
  return (
    <fieldset
      class={`${layout === 'grid' ? 'choice-grid' : 'choice-row'}${error ? ' field-invalid' : ''}`}
      aria-describedby={error ? `${name}-error` : undefined}
    >
      <legend>
        {legend}
        {required ? <RequiredMark /> : null}
      </legend>
      {options.map((o, i) => (
        <label key={o} class={`choice${value === o ? ' chosen' : ''}`}>
          <input
            type="radio"
            name={name}
            value={o}
            checked={value === o}
            aria-invalid={Boolean(error) && i === 0}
            onChange={() => onChange(o)}
          />
          <span>{label(o)}</span>
        </label>
      ))}
      <Alert id={`${name}-error`} text={error ? t(error) : undefined} />
    </fieldset>
  );
}

export function MultiChoice<T extends string>({
  name,
  legend,
  options,
  label,
  error,
  layout = 'row',
  values,
  onChange,
}: Base<T> & { values: readonly T[]; onChange: (v: T[]) => void }) {
  const { t } = useI18n();
  return (
    <fieldset
      class={`${layout === 'grid' ? 'choice-grid' : 'choice-row'}${error ? ' field-invalid' : ''}`}
      aria-describedby={error ? `${name}-error` : undefined}
    >
      <legend>{legend}</legend>
      {options.map((o) => {
        const on = values.includes(o);
        return (
          <label key={o} class={`choice${on ? ' chosen' : ''}`}>
            <input
              type="checkbox"
              name={name}
              value={o}
              checked={on}
              onChange={() => onChange(on ? values.filter((v) => v !== o) : [...values, o])}
            />
            <span>{label(o)}</span>
          </label>
        );
      })}
      <Alert id={`${name}-error`} text={error ? t(error) : undefined} />
    </fieldset>
  );
}
