/**
 * A ticket's fees: the tier — 普通 (materials + ¥5), 低保 (materials only), 特困 (free; the
 * community fund pays the materials) — the materials, the proposal it makes, the charge (a
 * different one needs a reason) and the subsidy that follows.
 */
import type { FieldErrors } from '../../../data/index.ts';
import { FEE_TIERS, fenToYuanString, parseYuan, subsidyFor } from '../../../shared/repair-fees.ts';
import { TextField } from '../../components/Field.tsx';
import { useI18n } from '../../i18n.tsx';
import type { WorkDraft } from './work-draft.ts';

interface Props {
  draft: WorkDraft;
  errors: FieldErrors;
  proposal: number | null;
  adjusted: boolean;
  onChange: (patch: Partial<WorkDraft>) => void;
  onCharge: (charge: string) => void;
  onUseProposal: (charge: string) => void;
}

export function FeeFields({ draft, errors, proposal, adjusted, onChange, onCharge, onUseProposal }: Props) {
  const { t, formatMoney } = useI18n();
  const materialsFen = parseYuan(draft.materials);
  const chargeFen = parseYuan(draft.charge);
  return (
    <fieldset class="group">
      <legend>{t('ticket.feesTitle')}</legend>
      <div class="choice-col" role="radiogroup" aria-label={t('ticket.feeTier')}>
        {FEE_TIERS.map((tier) => (
          <label key={tier} class={`choice${draft.feeTier === tier ? ' chosen' : ''}`}>
            <input type="radio" name="feeTier" value={tier} checked={draft.feeTier === tier} onChange={() => onChange({ feeTier: tier })} />
            <span>{t(`feeTier.${tier}`)}</span>
          </label>
        ))}
      </div>
      <TextField
        id="materialsFen"
        label={t('ticket.materials')}
        error={errors.materialsFen}
        inputMode="decimal"
        value={draft.materials}
        onChange={(materials) => onChange({ materials })}
        max={12}
      />
      {proposal !== null ? (
        <p class="hint" data-testid="fee-proposal">
          {t('ticket.proposed', { amount: formatMoney(proposal) })}{' '}
          {adjusted ? (
            <button type="button" class="secondary small" onClick={() => onUseProposal(fenToYuanString(proposal))}>
              {t('ticket.useProposed')}
            </button>
          ) : null}
        </p>
      ) : null}
      <TextField
        id="feeFen"
        label={t('ticket.charge')}
        error={errors.feeFen}
        inputMode="decimal"
        value={draft.charge}
        onChange={onCharge}
        max={12}
      />
      {adjusted ? (
        <TextField
          id="feeReason"
          label={t('ticket.feeReason')}
          error={errors.feeReason}
          value={draft.feeReason}
          onChange={(feeReason) => onChange({ feeReason })}
          max={200}
        />
      ) : null}
      {materialsFen !== null && chargeFen !== null ? (
        <p class="hint" data-testid="fee-subsidy">
          {t('ticket.subsidy', { amount: formatMoney(subsidyFor(materialsFen, chargeFen)) })}
        </p>
      ) : null}
    </fieldset>
  );
}
