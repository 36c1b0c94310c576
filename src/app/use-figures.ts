/**
 * A coordinator's figures from the server (the dashboard, the street office's report), with
 * the chart library beside them: the answer to the latest question only — an earlier one may
 * arrive after it, and none while the next is on its way — and a failure in words (offline: "this needs the network"). The chart
 * library arrives with these screens, never with the first screen.
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiCallError } from '../data/index.ts';
import type { BarSeries } from './components/DashboardCharts.tsx';
import { failureMessage } from './form-helpers.ts';
import { useI18n } from './i18n.tsx';

export interface Figures<T> {
  data: T | null;
  failure: string;
  Chart: ComponentType<BarSeries> | null;
}

/** `load` is asked again whenever `question` changes; null: nothing to ask yet (an unfinished date). */
export function useFigures<T>(load: (() => Promise<T>) | null, question: readonly unknown[]): Figures<T> {
  const i18n = useI18n();
  const [data, setData] = useState<T | null>(null);
  const [failure, setFailure] = useState('');
  const [Chart, setChart] = useState<ComponentType<BarSeries> | null>(null);
  useEffect(() => {
    void import('./components/DashboardCharts.tsx').then((m) => setChart(() => m.BarChart));
  }, []);
  useEffect(() => {
    if (!load) return;
    setFailure('');
    // what was shown answered another question: nothing until this one's answer (nothing stale printed)
    setData(null);
    let latest = true;
    load()
      .then((d) => latest && setData(d))
      .catch(
        (err: unknown) =>
          latest && setFailure(err instanceof ApiCallError && err.code === 'network' ? i18n.t('team.online') : failureMessage(err, i18n)),
      );
    return () => {
      latest = false;
    };
  }, question);
  return { data, failure, Chart };
}
