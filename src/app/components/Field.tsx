/** A labelled form field with its error next to it, in words (never colour alone). */
import type { JSX } from 'preact';
import type { MessageKey } from '../../shared/i18n/format.ts';
import { useI18n } from '../i18n.tsx';
import { Alert } from './Alert.tsx';

interface FieldProps {
  id: string;
  label: string;
  error?: MessageKey | undefined;
  hint?: string;
  optional?: boolean;
  /** Must be filled before save: marked in words beside the label, before anyone taps save. */
  required?: boolean;
  children: (aria: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string; 'aria-required'?: boolean }) => JSX.Element;
}

export function Field({ id, label, error, hint, optional, required, children }: FieldProps) {
  const { t } = useI18n();
  const describedBy = [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ');
  return (
    <div class={`field${error ? ' field-invalid' : ''}`}>
      {/* the mark sits beside the label, not in it: the field's name stays its label */}
      <span class="field-label">
        <label for={id}>
          {label}
          {optional ? <span class="optional"> （{t('app.optional')}）</span> : null}
        </label>
        {required ? <RequiredMark /> : null}
      </span>
      {children({
        id,
        'aria-invalid': Boolean(error),
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        ...(required ? { 'aria-required': true } : {}),
      })}
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <Alert id={`${id}-error`} text={error ? t(error) : undefined} />
    </div>
  );
}

/** "必填" beside a label, seen before save; not part of the field's name (aria-required says it to a screen reader). */
export function RequiredMark() {
  const { t } = useI18n();
  return (
    <span class="required-mark" aria-hidden="true">
      {' '}
      ✱ {t('app.required')}
    </span>
  );
}

interface TextFieldProps {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: MessageKey | undefined;
  hint?: string;
  optional?: boolean;
  required?: boolean;
  max: number;
  /** A text area of this many rows instead of one line. */
  rows?: number;
  type?: 'text' | 'tel' | 'date' | 'password' | 'search';
  inputMode?: 'text' | 'decimal' | 'numeric' | 'tel';
  autocomplete?: string;
  placeholder?: string;
  /** 'none' for usernames: a phone's keyboard must not capitalise them. */
  autocapitalize?: 'none';
}

/** A labelled text field (or text area) — the paper form's line to write on. */
export function TextField({
  id,
  label,
  value,
  onChange,
  error,
  hint,
  optional,
  required,
  max,
  rows,
  type = 'text',
  inputMode,
  autocomplete,
  placeholder,
  autocapitalize,
}: TextFieldProps) {
  const read = (e: Event) => onChange((e.target as HTMLInputElement | HTMLTextAreaElement).value);
  return (
    <Field id={id} label={label} error={error} optional={optional} required={required} {...(hint ? { hint } : {})}>
      {(a) =>
        rows ? (
          <textarea {...a} value={value} onInput={read} rows={rows} maxLength={max} />
        ) : (
          <input
            {...a}
            type={type}
            inputMode={inputMode ?? (type === 'tel' ? 'tel' : undefined)}
            value={value}
            onInput={read}
            maxLength={max}
            autocomplete={autocomplete}
            placeholder={placeholder}
            autocapitalize={autocapitalize}
          />
        )
      }
    </Field>
  );
}

/** A labelled choice from a list, with "none" first where nothing need be chosen. */
export function SelectField<T extends string>({
  id,
  label,
  value,
  options,
  optionLabel,
  onChange,
  error,
  none,
  required,
}: {
  id: string;
  label: string;
  value: T | null;
  options: readonly T[];
  optionLabel: (v: T) => string;
  onChange: (v: T | null) => void;
  error?: MessageKey | undefined;
  /** The label of "none chosen"; without it a value must be chosen. */
  none?: string;
  /** "None chosen" is where it starts, but a value must be chosen before save. */
  required?: boolean;
}) {
  return (
    <Field id={id} label={label} error={error} optional={none !== undefined && !required} required={required ?? false}>
      {(a) => (
        <select {...a} value={value ?? ''} onChange={(e) => onChange(((e.target as HTMLSelectElement).value || null) as T | null)}>
          {none !== undefined ? <option value="">{none}</option> : null}
          {options.map((o) => (
            <option key={o} value={o}>
              {optionLabel(o)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
