/** A ticket's outcome (ORDS: fixed, repairable and its next step, end of life and its barrier, unknown), what it saved, and the work done. */
import type { FieldErrors, RepairTicket } from '../../../data/index.ts';
import { REPAIR_BARRIERS, REPAIR_NEXT_STEPS, REPAIR_OUTCOMES } from '../../../shared/repair.ts';
import { ticketImpact } from '../../../shared/repair-impact.ts';
import { SelectField, TextField } from '../../components/Field.tsx';
import { useI18n } from '../../i18n.tsx';
import { Link } from '../../router.tsx';
import type { WorkDraft } from './work-draft.ts';

interface Props {
  ticket: RepairTicket;
  draft: WorkDraft;
  errors: FieldErrors;
  onChange: (patch: Partial<WorkDraft>) => void;
}

export function OutcomeFields({ ticket, draft, errors, onChange: update }: Props) {
  const { t, formatNumber } = useI18n();
  const impact = ticketImpact({ ...ticket, outcome: draft.outcome });
  const text = (k: 'notes' | 'partsUsed' | 'repairedBy', max: number, rows?: number) => (
    <TextField
      id={k}
      label={t(`ticket.${k}`)}
      error={errors[k]}
      optional
      value={draft[k]}
      onChange={(v) => update({ [k]: v })}
      max={max}
      rows={rows}
    />
  );
  return (
    <fieldset class="group">
      <legend>{t('ticket.outcomeTitle')}</legend>
      <div class="choice-row" role="radiogroup" aria-label={t('ticket.outcome')}>
        {REPAIR_OUTCOMES.map((o) => (
          <label key={o} class={`choice${draft.outcome === o ? ' chosen' : ''}`}>
            <input type="radio" name="outcome" value={o} checked={draft.outcome === o} onChange={() => update({ outcome: o })} />
            <span>{t(`outcome.${o}`)}</span>
          </label>
        ))}
      </div>
      {draft.outcome === 'endOfLife' ? (
        <SelectField
          id="barrier"
          label={t('ticket.barrier')}
          value={draft.barrier}
          options={REPAIR_BARRIERS}
          optionLabel={(b) => t(`barrier.${b}`)}
          onChange={(barrier) => update({ barrier })}
          error={errors.barrier}
          none={t('app.none')}
        />
      ) : null}
      {draft.outcome === 'repairable' ? (
        <SelectField
          id="nextStep"
          label={t('ticket.nextStep')}
          value={draft.nextStep}
          options={REPAIR_NEXT_STEPS}
          optionLabel={(s) => t(`nextStep.${s}`)}
          onChange={(nextStep) => update({ nextStep })}
          error={errors.nextStep}
          none={t('app.none')}
        />
      ) : null}
      {errors.weightKg ? (
        <p class="error" role="alert">
          ⚠ {t(errors.weightKg)} — <Link href={`/tickets/${ticket.id}/edit`}>{t('ticket.editIntake')}</Link>
        </p>
      ) : null}
      {draft.outcome === 'fixed' ? (
        <p class="hint" data-testid="ticket-impact">
          {t('ticket.impact', {
            co2e: t('summary.kgCo2e', { value: formatNumber(impact.co2eKg) }),
            waste: t('summary.kg', { value: formatNumber(impact.wasteKg) }),
          })}
        </p>
      ) : null}
      {text('notes', 2000, 2)}
      {text('partsUsed', 500)}
      {text('repairedBy', 100)}
    </fieldset>
  );
}
