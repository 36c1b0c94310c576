/**
 * "A new version is ready — reload": offered, never forced. While a form holds unsaved
 * input, the offer waits.
 */
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n.tsx';
import { dirtyForms, onUpdateReady, applyUpdate } from '../update.ts';

export function UpdateBanner() {
  const { t } = useI18n();
  const [ready, setReady] = useState(false);
  const [dismissed, setDismissed] = useState(false);
  const [dirty, setDirty] = useState(dirtyForms.count > 0);
  useEffect(() => onUpdateReady(() => setReady(true)), []);
  useEffect(() => dirtyForms.subscribe(() => setDirty(dirtyForms.count > 0)), []);
  if (!ready || dismissed || dirty) return null;
  return (
    <div class="update-banner" role="status" data-testid="update-banner">
      <span>🆕 {t('update.ready')}</span>
      <button type="button" onClick={() => applyUpdate()}>
        {t('update.reload')}
      </button>
      <button type="button" class="secondary" onClick={() => setDismissed(true)}>
        {t('update.later')}
      </button>
    </div>
  );
}
