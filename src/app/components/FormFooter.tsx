/** The end of every form: what went wrong, in words; save (saying so while it saves); cancel, where there is somewhere to go back to. */
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { Alert } from './Alert.tsx';

export function FormFooter({
  failure,
  busy,
  cancelHref,
  disabled = false,
}: {
  failure: string;
  busy: boolean;
  cancelHref?: string;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  return (
    <>
      <Alert text={failure} />
      <div class="form-actions">
        <button type="submit" class="primary" disabled={busy || disabled}>
          {busy ? t('app.saving') : t('app.save')}
        </button>
        {cancelHref ? (
          <Link href={cancelHref} class="button secondary">
            {t('app.cancel')}
          </Link>
        ) : null}
      </div>
    </>
  );
}
