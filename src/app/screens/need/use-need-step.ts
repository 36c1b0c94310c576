/**
 * Taking a need's steps from a screen: one at a time, the refusal in words next to what was
 * asked, and — for a save that failed in a way that may have committed it (the writer lost
 * mid-save) — the same history line id when the same step is tapped again, so the step is
 * found already taken instead of being taken twice.
 */
import { useRef, useState } from 'preact/hooks';
import { newId, syncSoon, type StepOutcome } from '../../../data/index.ts';
import type { MessageKey } from '../../../shared/i18n/format.ts';
import { failureMessage, useSaving } from '../../form-helpers.ts';
import { useI18n } from '../../i18n.tsx';

export function useNeedStep(needId: string) {
  const i18n = useI18n();
  const { t } = i18n;
  const { busy, run: runOnce } = useSaving();
  const [error, setError] = useState<MessageKey | undefined>();
  const [failure, setFailure] = useState('');
  const [saved, setSaved] = useState('');
  const maybeSaved = useRef<{ asks: string; logId: string } | null>(null);

  /** Runs a step; `asked` is what the volunteer asked for (the same tap again gives the same line id); `onTaken` once it is. */
  function run(asked: object, work: (logId: string) => Promise<StepOutcome>, onTaken?: () => void): void {
    void runOnce(async () => {
      setFailure('');
      setError(undefined);
      const asks = JSON.stringify([needId, asked]);
      const logId = maybeSaved.current?.asks === asks ? maybeSaved.current.logId : newId();
      try {
        const r = await work(logId);
        maybeSaved.current = null;
        if (!r.ok) return setError(r.error);
        setSaved(t('need.stepSaved', { status: t(`needStatus.${r.need.status}`) }));
        syncSoon();
        onTaken?.();
      } catch (err) {
        maybeSaved.current = { asks, logId };
        setFailure(failureMessage(err, i18n));
      }
    });
  }
  return { busy, error, setError, failure, saved, run };
}
