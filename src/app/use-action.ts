/**
 * Running one of a screen's actions (sign in, a need's step, a check's follow-up, a
 * coordinator's change): one at a time, "busy" while it runs, what it did in words when it
 * succeeds, and what went wrong in words when it fails — never an unhandled rejection, never
 * a silent failure. Show `failure` with `<Alert focus>` so the volunteer sees it.
 */
import { useState } from 'preact/hooks';
import { failureMessage, useSaving } from './form-helpers.ts';
import type { I18n } from './i18n.tsx';

export interface Action {
  busy: boolean;
  failure: string;
  done: string;
  /** Runs `work`; what it returns is shown as done. A second call while one runs is ignored. */
  act: (work: () => Promise<string | void>) => void;
  /** Says what went wrong without running anything (a check before the action). */
  fail: (text: string) => void;
}

export function useAction(i18n: Pick<I18n, 't'>): Action {
  const { busy, run } = useSaving();
  const [failure, setFailure] = useState('');
  const [done, setDone] = useState('');
  const act = (work: () => Promise<string | void>) =>
    void run(async () => {
      setFailure('');
      setDone('');
      try {
        const said = await work();
        if (said) setDone(said);
      } catch (err) {
        setFailure(failureMessage(err, i18n));
      }
    });
  return { busy, failure, done, act, fail: setFailure };
}
