/** Subscribes a component to a data-layer observable; re-subscribes when `deps` change. */
import { useEffect, useState } from 'preact/hooks';
import type { Observable } from '../data/index.ts';

export function useObservable<T>(make: () => Observable<T>, deps: unknown[]): T | undefined {
  const [value, setValue] = useState<T | undefined>(undefined);
  useEffect(() => {
    setValue(undefined);
    const sub = make().subscribe(setValue, (e) => console.error(e));
    return () => sub.unsubscribe();
  }, deps);
  return value;
}
