/** Delete in two taps — the second one says what it does — never a browser dialog. */
import { useI18n } from '../i18n.tsx';
import { ConfirmButton } from './ConfirmButton.tsx';

export function DeleteButton({ onConfirm }: { onConfirm: () => Promise<void> }) {
  const { t } = useI18n();
  return <ConfirmButton label={`🗑 ${t('app.delete')}`} question={t('app.confirmDelete')} onConfirm={onConfirm} />;
}
