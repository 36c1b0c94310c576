/** What forms share: unsaved-input tracking, the save step (useFormSave), and a save failure in words. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiCallError, COMMITTED_MARK, StorageError, syncSoon, type Activity, type FieldErrors } from '../data/index.ts';
import { isErrorCode } from '../shared/errors.ts';
import { formatAddress } from '../shared/address.ts';
import type { I18n } from './i18n.tsx';
import { dirtyForms } from './update.ts';

export function useDirty(dirty: boolean): void {
  useEffect(() => {
    if (!dirty) return;
    dirtyForms.change(1);
    return () => dirtyForms.change(-1);
  }, [dirty]);
}

/** A save that takes longer than this says so ("正在保存…"). */
export const SAVING_HINT_MS = 120;

/**
 * One save at a time for a form, and the "saving…" state for the button. The guard is a ref,
 * set at once, so a double tap never starts a second save; the visible state follows only if
 * the save is slow — re-rendering the form at the tap would hold the main thread (render,
 * layout, paint: ~9 ms on a cheap phone) while the save's first IndexedDB answers wait.
 */
export function useSaving(): { busy: boolean; run: (work: () => Promise<void>) => Promise<void> } {
  const inFlight = useRef(false);
  const [busy, setBusy] = useState(false);
  async function run(work: () => Promise<void>): Promise<void> {
    if (inFlight.current) return;
    inFlight.current = true;
    const hint = setTimeout(() => setBusy(true), SAVING_HINT_MS);
    try {
      await work();
    } finally {
      clearTimeout(hint);
      inFlight.current = false;
      setBusy(false);
    }
  }
  return { busy, run };
}

/**
 * The save step every form shares. `save(work, saved)`: one save at a time; a refused save's
 * field errors shown and the first invalid field focused (`refused` hears of anything more);
 * a saved one measured, the form no longer dirty, a sync soon, then `saved` (where to go); a
 * storage failure in words, the form kept as it was.
 */
export function useFormSave(i18n: Pick<I18n, 't'>, setDirty: (dirty: boolean) => void) {
  const { busy, run } = useSaving();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState('');
  function save<R extends { ok: true } | { ok: false; errors: FieldErrors }>(
    work: () => Promise<R>,
    saved: (result: Extract<R, { ok: true }>) => void,
    refused?: (result: Extract<R, { ok: false }>) => void,
  ): void {
    const submittedAt = performance.now();
    void run(async () => {
      setFailure('');
      try {
        const result = await work();
        if (!result.ok) {
          setErrors(result.errors);
          refused?.(result as Extract<R, { ok: false }>);
          // once the errors are drawn
          setTimeout(() => document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
          return;
        }
        measureSave(submittedAt);
        setDirty(false);
        syncSoon();
        saved(result as Extract<R, { ok: true }>);
      } catch (err) {
        setFailure(failureMessage(err, i18n));
      }
    });
  }
  return { busy, errors, setErrors, failure, setFailure, save };
}

/**
 * Times of a save (read by `npm run bench`); call when the save resolved. `linli:save`: tap to
 * durable — the save's transaction complete, in the writer worker; `linli:save-seen`: tap to
 * the page hearing of it.
 */
export function measureSave(submittedAt: number): void {
  const seen = performance.now();
  const committed = performance.getEntriesByName(COMMITTED_MARK).at(-1)?.startTime;
  const durable = committed !== undefined && committed >= submittedAt && committed <= seen ? committed : seen;
  performance.measure('linli:save', { start: submittedAt, end: durable });
  performance.measure('linli:save-seen', { start: submittedAt, end: seen });
  performance.clearMarks(COMMITTED_MARK);
}

/** "" → null; anything else a number (full-width digits and a comma accepted), or NaN so validation names the field. */
export function optionalNumber(s: string): number | null {
  const trimmed = s
    .trim()
    .replace(/[０-９．]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(',', '.');
  return trimmed === '' ? null : Number(trimmed);
}

/** An address in the reader's words. */
export function addressText(h: Parameters<typeof formatAddress>[0], { t }: Pick<I18n, 't'>): string {
  return formatAddress(h, { withUnit: t('household.addressLine'), noUnit: t('household.addressNoUnit') });
}

/** What an attendance was for, in the reader's words: the activity's title and site, or the work done alone and where. */
export function activityText(a: Activity, i18n: Pick<I18n, 't'>): { title: string; site: string } {
  if (!a.work) return { title: a.title, site: a.site };
  const what = i18n.t(a.work === 'visit' ? 'work.visit' : 'work.homeRepair');
  return { title: a.title ? `${what} · ${a.title}` : what, site: a.household ? addressText(a.household, i18n) : '' };
}

/** A calendar day on this phone (YYYY-MM-DD). */
export function isoDay(d: Date = new Date()): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
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
