/**
 * Offline hand-over on the sync screen: write this phone's pending records to a file (the
 * share sheet where the browser has one, a download otherwise), or import a file from
 * another phone of the team — checked completely before anything is written.
 */
import { useState } from 'preact/hooks';
import { exportHandover, HandoverRefused, importHandover, MAX_HANDOVER_BYTES, syncSoon } from '../../data/index.ts';
import { failureMessage } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';

async function deliver(text: string, filename: string): Promise<void> {
  const file = new File([text], filename, { type: 'application/json' });
  const nav = navigator as Navigator & { canShare?: (d: { files: File[] }) => boolean };
  if (nav.canShare?.({ files: [file] })) {
    try {
      await navigator.share({ files: [file], title: filename });
      return;
    } catch (e) {
      // the volunteer closed the share sheet: fall back to a download, so the file exists
      if ((e as Error).name !== 'AbortError') console.warn('share failed', e);
    }
  }
  const url = URL.createObjectURL(file);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function HandoverSection() {
  const i18n = useI18n();
  const { t, formatBytes } = i18n;
  const [message, setMessage] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);

  async function doExport() {
    setMessage('');
    setProblem('');
    setBusy(true);
    try {
      const out = await exportHandover();
      if (!out) return setMessage(t('handover.nothing'));
      await deliver(out.text, out.filename);
      setMessage(t('handover.exported', { count: out.count }));
    } catch (e) {
      setProblem(failureMessage(e, i18n));
    } finally {
      setBusy(false);
    }
  }

  async function doImport(input: HTMLInputElement) {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    setMessage('');
    setProblem('');
    if (file.size > MAX_HANDOVER_BYTES) return setProblem(t('handover.tooBig', { size: formatBytes(MAX_HANDOVER_BYTES) }));
    setBusy(true);
    try {
      const r = await importHandover(await file.text());
      setMessage(t('handover.imported', { count: r.count, fresh: r.fresh }));
      syncSoon();
    } catch (e) {
      if (e instanceof HandoverRefused) {
        if (e.code === 'tooBig') setProblem(t('handover.tooBig', { size: formatBytes(MAX_HANDOVER_BYTES) }));
        else setProblem(t(`handover.${e.code}`));
      } else setProblem(failureMessage(e, i18n));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="handover-h">
      <h2 id="handover-h">{t('handover.title')}</h2>
      <p class="hint">{t('handover.intro')}</p>
      <div class="form-actions">
        <button type="button" class="secondary" disabled={busy} onClick={() => void doExport()} data-testid="handover-export">
          ⬇ {t('handover.export')}
        </button>
        <label class="button secondary">
          ⬆ {t('handover.import')}
          <input
            type="file"
            accept="application/json,.json"
            class="visually-hidden"
            disabled={busy}
            onChange={(e) => void doImport(e.target as HTMLInputElement)}
            data-testid="handover-import"
          />
        </label>
      </div>
      {message ? (
        <p class="notice" role="status" data-testid="handover-message">
          ✓ {message}
        </p>
      ) : null}
      {problem ? (
        <p class="error" role="alert" data-testid="handover-problem">
          ⚠ {problem}
        </p>
      ) : null}
    </section>
  );
}
