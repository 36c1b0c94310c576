/**
 * Date ranges in the team's calendar (LINLI_TIMEZONE, given at sign-in), not the device's:
 * the server counts a report's days in the team's, so "today" on a device in another zone —
 * or just after midnight in UTC on a test machine — would miss today's records.
 */
import { useEffect, useState } from 'preact/hooks';
import { observeSession } from '../data/index.ts';
import { localDay } from '../shared/due.ts';
import { useObservable } from './use-observable.ts';

export interface TeamRange {
  from: string;
  to: string;
  setFrom: (day: string) => void;
  setTo: (day: string) => void;
}

/** Today (or the month so far) in the team's calendar, once the session is known; then the coordinator's own choice. */
export function useTeamRange(start: 'today' | 'monthStart'): TeamRange {
  const session = useObservable(observeSession, []);
  const [range, setRange] = useState<{ from: string; to: string } | null>(null);
  useEffect(() => {
    if (!session || range) return;
    const today = localDay(Date.now(), session.user?.timeZone);
    setRange({ from: start === 'today' ? today : `${today.slice(0, 8)}01`, to: today });
  }, [session]);
  return {
    from: range?.from ?? '',
    to: range?.to ?? '',
    setFrom: (from) => setRange((r) => ({ to: r?.to ?? from, from })),
    setTo: (to) => setRange((r) => ({ from: r?.from ?? to, to })),
  };
}
