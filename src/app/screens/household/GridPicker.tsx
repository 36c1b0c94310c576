/**
 * The household's grid, chosen from the team's list (a coordinator sets it) rather than typed:
 * the grid this phone chose last is chosen already, "other" opens a line to type one. With no
 * list yet, the line to type, and where the coordinator can make the list.
 */
import { useEffect, useState } from 'preact/hooks';
import { observeTeamSettings } from '../../../data/index.ts';
import type { MessageKey } from '../../../shared/i18n/format.ts';
import { Choice } from '../../components/Choices.tsx';
import { TextField } from '../../components/Field.tsx';
import { useI18n } from '../../i18n.tsx';
import { useObservable } from '../../use-observable.ts';

const LAST_GRID_KEY = 'linli.lastGrid';
const OTHER = '\u0000other';

/** The grid this phone registered a household in last: the next is most likely in it too. */
export function rememberGrid(grid: string): void {
  try {
    localStorage.setItem(LAST_GRID_KEY, grid);
  } catch {
    // private mode or full storage: the next form simply starts unchosen
  }
}

function lastGrid(): string {
  try {
    return localStorage.getItem(LAST_GRID_KEY) ?? '';
  } catch {
    return '';
  }
}

export function GridPicker({
  value,
  onChange,
  error,
  isNew,
  id = 'gridCode',
}: {
  value: string;
  onChange: (grid: string) => void;
  error: MessageKey | undefined;
  isNew: boolean;
  /** Where several are on one screen (the requests' answers), each its own. */
  id?: string;
}) {
  const { t } = useI18n();
  const settings = useObservable(observeTeamSettings, []);
  const grids = settings?.grids ?? [];
  const [typing, setTyping] = useState(false);
  // a new household starts in this phone's last grid, or the team's only one
  useEffect(() => {
    if (!isNew || value || grids.length === 0) return;
    const last = lastGrid();
    if (grids.includes(last)) onChange(last);
    else if (grids.length === 1) onChange(grids[0]!);
  }, [isNew, grids.join('\n')]);

  if (settings === undefined) return null;
  const listed = grids.includes(value);
  if (grids.length === 0 || typing || (value !== '' && !listed)) {
    return (
      <TextField
        id={id}
        label={t('household.gridCode')}
        error={error}
        required
        value={value}
        onChange={onChange}
        max={20}
        autocomplete="off"
        {...(grids.length === 0 ? { hint: t('household.gridNoList') } : {})}
      />
    );
  }
  return (
    <Choice
      name={id}
      legend={t('household.gridChoose')}
      options={[...grids, OTHER]}
      label={(g) => (g === OTHER ? t('household.gridOther') : g)}
      value={value || null}
      onChange={(g) => (g === OTHER ? (setTyping(true), onChange('')) : onChange(g))}
      layout="row"
      required
      error={error}
    />
  );
}
