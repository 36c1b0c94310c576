/**
 * The end of every form: what went wrong, in words; then the action bar — save (saying so
 * while it saves) and cancel where there is somewhere to go back to — which stays at the
 * bottom of the screen while the form is on it, so save is never a scroll away.
 */
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
      <div class="action-bar" data-testid="action-bar">
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
