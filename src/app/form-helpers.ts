/** What forms share: unsaved-input tracking and turning a save failure into words. */
import { useEffect } from 'preact/hooks';
import { ApiCallError, StorageError } from '../data/index.ts';
import { isErrorCode } from '../shared/errors.ts';
import type { I18n } from './i18n.tsx';
import { dirtyForms } from './update.ts';

export function useDirty(dirty: boolean): void {
  useEffect(() => {
    if (!dirty) return;
    dirtyForms.change(1);
    return () => dirtyForms.change(-1);
  }, [dirty]);
}

/** Submit-to-durable time of a save (read by `npm run bench`); call when the save resolved. */
export function measureSave(submittedAt: number): void {
  performance.measure('linli:save', { start: submittedAt });
}

export function failureMessage(e: unknown, { t }: Pick<I18n, 't'>): string {
  if (e instanceof StorageError) {
    if (e.code === 'quota') return t('storage.quota');
    if (e.code === 'closed') return t('storage.lost');
    return t('storage.failed', { reason: e.message });
  }
  if (e instanceof ApiCallError) {
    if (e.code === 'network') return t('error.network');
    // The server already answered in the UI's language.
    if (e.message) return e.message;
    return isErrorCode(e.code) ? t(`error.${e.code}`, { detail: '' }) : t('error.internal');
  }
  return t('storage.failed', { reason: e instanceof Error ? e.message : String(e) });
}
