/**
 * The same-dwelling warning, as the address is typed: the households already at this
 * dwelling — however its address was written — on this phone or synced to it, each a tap
 * away, and for a new one a box to tick to register it anyway.
 */
import { useEffect, useState } from 'preact/hooks';
import { householdsAtAddress, mergeHouseholds, syncSoon } from '../../../data/index.ts';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import type { Household } from '../../../shared/household.ts';
import { addressText } from '../../form-helpers.ts';
import { useI18n } from '../../i18n.tsx';
import { Link } from '../../router.tsx';

type Place = Pick<Household, 'id' | 'compound' | 'building' | 'unit' | 'room'>;

/** The households at the draft's dwelling other than itself, looked up a moment after typing stops. */
export function useSameAddress(draft: Place): Household[] {
  const [same, setSame] = useState<Household[]>([]);
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      void householdsAtAddress(draft, draft.id).then((found) => current && setSame(found));
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [draft.compound, draft.building, draft.unit, draft.room]);
  return same;
}

export function SameAddress({
  same,
  isNew,
  confirmed,
  onConfirm,
}: {
  same: Household[];
  isNew: boolean;
  confirmed: boolean;
  onConfirm: (v: boolean) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  if (same.length === 0) return null;
  return (
    <div class="notice notice-warn" id="same-address" tabIndex={-1} role="alert" data-testid="same-address">
      {same.map((h) => (
        <p key={h.id}>
          ⚠ {t('household.sameAddress', { name: h.headName, address: addressText(h, i18n) })}{' '}
          <Link href={`/households/${h.id}`}>{t('household.openExisting')}</Link>
        </p>
      ))}
      {isNew ? (
        <label class="choice">
          <input type="checkbox" checked={confirmed} onChange={() => onConfirm(!confirmed)} />
          <span>{t('household.createAnyway')}</span>
        </label>
      ) : null}
    </div>
  );
}

/**
 * On a household's own screen: other registrations of the same dwelling (a twin typed another
 * way), each a tap away — and for a coordinator, merging the twin into this one, which keeps
 * every visit, need, resident and check of both.
 */
export function TwinHouseholds({ household, coordinator }: { household: Household; coordinator: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const found = useSameAddress(household);
  const [merged, setMerged] = useState<string[]>([]);
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const twins = found.filter((h) => !merged.includes(h.id));
  if (twins.length === 0) return done ? <p role="status">✓ {done}</p> : null;
  return (
    <div class="notice notice-warn" data-testid="twins">
      {twins.map((h) => (
        <div key={h.id}>
          <p>
            ⚠ {t('household.twin', { name: h.headName, address: addressText(h, i18n) })}{' '}
            <Link href={`/households/${h.id}`}>{t('household.openExisting')}</Link>
          </p>
          {coordinator ? (
            <ConfirmButton
              label={t('household.mergeHere')}
              question={t('household.mergeConfirm', { name: h.headName })}
              onConfirm={async () => {
                const r = await mergeHouseholds(household.id, h.id);
                if (!r.ok) return setFailure(t(Object.values(r.errors)[0] ?? 'v.invalid'));
                setMerged((m) => [...m, h.id]);
                setDone(t('household.merged', { name: h.headName }));
                syncSoon();
              }}
            />
          ) : (
            <p class="hint">{t('household.twinAskCoordinator')}</p>
          )}
        </div>
      ))}
      {failure ? <p role="alert">{failure}</p> : null}
    </div>
  );
}
