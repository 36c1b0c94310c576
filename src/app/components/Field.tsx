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
  children: (aria: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => JSX.Element;
}

export function Field({ id, label, error, hint, optional, children }: FieldProps) {
  const { t } = useI18n();
  const describedBy = [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ');
  return (
    <div class={`field${error ? ' field-invalid' : ''}`}>
      <label for={id}>
        {label}
        {optional ? <span class="optional"> （{t('app.optional')}）</span> : null}
      </label>
      {children({ id, 'aria-invalid': Boolean(error), ...(describedBy ? { 'aria-describedby': describedBy } : {}) })}
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <Alert id={`${id}-error`} text={error ? t(error) : undefined} />
    </div>
  );
}
