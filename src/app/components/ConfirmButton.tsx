/** An action in two taps — the second one after saying what it does — never a browser dialog. */
import { useState } from 'preact/hooks';
import { useI18n } from '../i18n.tsx';

export function ConfirmButton({ label, question, onConfirm }: { label: string; question: string; onConfirm: () => Promise<void> }) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" class="secondary" onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <div class="notice notice-warn" role="alertdialog" aria-label={label}>
      <p>{question}</p>
      <div class="form-actions">
        <button
          type="button"
          class="primary"
          onClick={() => {
            setAsking(false);
            void onConfirm();
          }}
        >
          {label}
        </button>
        <button type="button" class="secondary" onClick={() => setAsking(false)}>
          {t('app.cancel')}
        </button>
      </div>
    </div>
  );
}
