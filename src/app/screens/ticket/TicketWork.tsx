/**
 * Working a ticket: the outcome (ORDS: fixed, repairable with its next step, end of life with
 * its barrier, unknown), notes, parts, who repaired it — and the fees. The charge follows the
 * fee tier's proposal until the volunteer changes it, with a reason. Another phone's edit
 * arriving by sync refreshes the form unless the volunteer is typing.
 */
import { useEffect, useState } from 'preact/hooks';
import { observeTeamSettings, saveRepairTicket, type FieldErrors, type RepairTicket } from '../../../data/index.ts';
import { fenToYuanString, isProposedCharge, parseYuan, proposedCharge, subsidyFor } from '../../../shared/repair-fees.ts';
import { Done } from '../../components/Alert.tsx';
import { FormFooter } from '../../components/FormFooter.tsx';
import { useFormSave } from '../../form-helpers.ts';
import { useI18n } from '../../i18n.tsx';
import { useDraft } from '../../use-draft.ts';
import { useObservable } from '../../use-observable.ts';
import { FeeFields } from './FeeFields.tsx';
import { fromTicket, type WorkDraft } from './work-draft.ts';
import { OutcomeFields } from './OutcomeFields.tsx';

export function TicketWork({ ticket }: { ticket: RepairTicket }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { draft, setDraft, dirty, setDirty } = useDraft(() => fromTicket(ticket), ticket, fromTicket, { follow: true });
  const { busy, errors, setErrors, failure, save } = useFormSave(i18n, setDirty);
  const [saved, setSaved] = useState('');
  // the charge follows the tier's proposal until the volunteer types one of their own
  const [chargeTouched, setChargeTouched] = useState(false);
  // whether an item not fixed pays the standard tier's service fee: the team's choice
  const feeIfNotFixed = useObservable(observeTeamSettings, [])?.serviceFeeIfNotFixed ?? false;
  useEffect(() => {
    if (!dirty) setChargeTouched(!isProposedCharge(ticket));
  }, [ticket, dirty]);
  // the team's rule may arrive while the volunteer is working the form: a charge that is still
  // one of the tier's proposals follows it. Never on opening a ticket (what was charged shows
  // as recorded), never a charge the volunteer typed.
  useEffect(() => {
    const m = parseYuan(draft.materials);
    const c = parseYuan(draft.charge);
    if (!dirty || chargeTouched || m === null || c === null) return;
    if (!isProposedCharge({ feeTier: draft.feeTier, materialsFen: m, outcome: draft.outcome, feeFen: c })) return;
    const charge = fenToYuanString(proposedCharge(draft.feeTier, m, { outcome: draft.outcome, feeIfNotFixed }));
    if (charge !== draft.charge) setDraft({ ...draft, charge });
  }, [feeIfNotFixed]);
  const materialsFen = parseYuan(draft.materials);
  const chargeFen = parseYuan(draft.charge);
  const proposal = materialsFen === null ? null : proposedCharge(draft.feeTier, materialsFen, { outcome: draft.outcome, feeIfNotFixed });
  const adjusted = chargeFen !== null && proposal !== null && chargeFen !== proposal;

  const update = (patch: Partial<WorkDraft>, touched = chargeTouched) => {
    const next = { ...draft, ...patch };
    if (!touched && ('feeTier' in patch || 'materials' in patch || 'outcome' in patch)) {
      const m = parseYuan(next.materials);
      if (m !== null) next.charge = fenToYuanString(proposedCharge(next.feeTier, m, { outcome: next.outcome, feeIfNotFixed }));
    }
    setDraft(next);
    setDirty(true);
    setSaved('');
  };

  function submit(e: Event) {
    e.preventDefault();
    const local: FieldErrors = {};
    if (materialsFen === null) local.materialsFen = 'v.money';
    if (chargeFen === null) local.feeFen = 'v.money';
    if (materialsFen === null || chargeFen === null) return setErrors(local);
    // recording an outcome finishes the repair
    const finished = draft.outcome !== null && (ticket.status === 'waiting' || ticket.status === 'repairing');
    const { materials: _m, charge: _c, ...work } = draft;
    const patch = {
      ...work,
      materialsFen,
      feeFen: chargeFen,
      subsidyFen: subsidyFor(materialsFen, chargeFen),
      feeReason: adjusted ? draft.feeReason : '',
    };
    save(
      () => saveRepairTicket({ id: ticket.id, eventId: ticket.eventId, ...patch, ...(finished ? { status: 'done' as const } : {}) }),
      () => (setErrors({}), setSaved(t('ticket.saved'))),
    );
  }

  return (
    <form onSubmit={submit} noValidate>
      <OutcomeFields ticket={ticket} draft={draft} errors={errors} onChange={update} />
      <FeeFields
        draft={draft}
        errors={errors}
        proposal={proposal}
        adjusted={adjusted}
        onChange={update}
        onCharge={(charge) => (setChargeTouched(true), update({ charge }, true))}
        onUseProposal={(charge) => (setChargeTouched(false), update({ charge }, false))}
      />
      <Done text={saved} />
      <FormFooter failure={failure} busy={busy} />
    </form>
  );
}
