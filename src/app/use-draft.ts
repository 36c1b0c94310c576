/**
 * A form's draft: blank for a new record; the stored record's once it has loaded — and, with
 * `follow`, again whenever it changes (another phone's edit arriving by sync) while nothing
 * is typed; dirty from the first edit until it is saved, which holds back an app update
 * (`useDirty`) so unsaved input is never lost.
 */
import { useEffect, useState } from 'preact/hooks';
import { useDirty } from './form-helpers.ts';

export interface Draft<D> {
  draft: D;
  /** An edit: the draft changes and is dirty. */
  update: (patch: Partial<D>) => void;
  /** The draft changes without counting as an edit (a value the form derives). */
  setDraft: (next: D | ((d: D) => D)) => void;
  dirty: boolean;
  setDirty: (dirty: boolean) => void;
  /** False until a stored record has been laid into the draft. */
  loaded: boolean;
}

/**
 * `stored`: undefined while it loads, null where there is none (a new record, or one not
 * on this phone), else the record whose draft `toDraft` makes.
 */
export function useDraft<T, D>(
  blank: () => D,
  stored: T | null | undefined,
  toDraft: (stored: T) => D,
  opts: { follow?: boolean } = {},
): Draft<D> {
  const [draft, setDraft] = useState<D>(blank);
  const [loaded, setLoaded] = useState(false);
  const [dirty, setDirty] = useState(false);
  useDirty(dirty);
  useEffect(() => {
    if (stored && (!loaded || (opts.follow && !dirty))) {
      setDraft(toDraft(stored));
      setLoaded(true);
    }
  }, [stored, dirty]);
  const update = (patch: Partial<D>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setDirty(true);
  };
  return { draft, update, setDraft, dirty, setDirty, loaded };
}
