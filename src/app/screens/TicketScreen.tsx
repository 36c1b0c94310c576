/**
 * One ticket as the repair table works it: the number large for the paper tag, the next step
 * in one tap (take it, finish, collected, cancelled, no-show), and the outcome and fees form.
 * The charge follows the fee tier's proposal until the volunteer changes it, with a reason.
 */
import { useEffect, useState } from 'preact/hooks';
import {
  observeSession,
  observeTicket,
  saveRepairTicket,
  syncSoon,
  type FieldErrors,
  type RepairTicket,
  type TicketDraft,
} from '../../data/index.ts';
import {
  REPAIR_BARRIERS,
  REPAIR_NEXT_STEPS,
  REPAIR_OUTCOMES,
  type RepairBarrier,
  type RepairNextStep,
  type RepairOutcome,
  type TicketStatus,
} from '../../shared/repair.ts';
import { FEE_TIERS, fenToYuanString, parseYuan, proposedCharge, subsidyFor, type FeeTier } from '../../shared/repair-fees.ts';
import { ticketImpact } from '../../shared/repair-impact.ts';
import { Field } from '../components/Field.tsx';
import { FormFooter } from '../components/FormFooter.tsx';
import { SyncBadge } from '../components/SyncBadge.tsx';
import { failureMessage, measureSave, useDirty } from '../form-helpers.ts';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { useObservable } from '../use-observable.ts';

interface WorkDraft {
  outcome: RepairOutcome | null;
  barrier: RepairBarrier | null;
  nextStep: RepairNextStep | null;
  notes: string;
  partsUsed: string;
  repairedBy: string;
  feeTier: FeeTier;
  materials: string;
  charge: string;
  feeReason: string;
}

function fromTicket(tk: RepairTicket): WorkDraft {
  return {
    outcome: tk.outcome,
    barrier: tk.barrier,
    nextStep: tk.nextStep,
    notes: tk.notes,
    partsUsed: tk.partsUsed,
    repairedBy: tk.repairedBy,
    feeTier: tk.feeTier,
    materials: fenToYuanString(tk.materialsFen),
    charge: fenToYuanString(tk.feeFen),
    feeReason: tk.feeReason,
  };
}

/** The one-tap moves from each status. */
const NEXT: Record<
  TicketStatus,
  {
    to: TicketStatus;
    label: 'ticket.take' | 'ticket.markDone' | 'ticket.markCollected' | 'ticket.cancel' | 'ticket.markNoShow' | 'ticket.reopen';
    primary?: boolean;
  }[]
> = {
  waiting: [
    { to: 'repairing', label: 'ticket.take', primary: true },
    { to: 'noShow', label: 'ticket.markNoShow' },
    { to: 'cancelled', label: 'ticket.cancel' },
  ],
  repairing: [
    { to: 'done', label: 'ticket.markDone', primary: true },
    { to: 'waiting', label: 'ticket.reopen' },
  ],
  done: [{ to: 'collected', label: 'ticket.markCollected', primary: true }],
  collected: [],
  cancelled: [{ to: 'waiting', label: 'ticket.reopen' }],
  noShow: [{ to: 'waiting', label: 'ticket.reopen' }],
};

export default function TicketScreen({ id, fresh }: { id: string; fresh: boolean }) {
  const i18n = useI18n();
  const { t, formatMoney, formatNumber } = i18n;
  const current = useObservable(() => observeTicket(id), [id]);
  const session = useObservable(observeSession, []);
  const [draft, setDraft] = useState<WorkDraft | null>(null);
  const [chargeTouched, setChargeTouched] = useState(false);
  const [dirty, setDirty] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState('');
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  useDirty(dirty);

  // Another phone's edit arriving by sync refreshes the form unless the volunteer is typing.
  useEffect(() => {
    if (current && !dirty) {
      setDraft(fromTicket(current.ticket));
      setChargeTouched(current.ticket.feeFen !== proposedCharge(current.ticket.feeTier, current.ticket.materialsFen));
    }
  }, [current, dirty]);

  if (current === undefined || (current && !draft))
    return (
      <main class="screen" aria-busy="true">
        {t('app.loading')}
      </main>
    );
  if (current === null || !draft)
    return (
      <main class="screen">
        <p>{t('ticket.notFound')}</p>
      </main>
    );
  const { ticket, sync } = current;
  const back = ticket.eventId ? `/events/${ticket.eventId}` : '/';

  const materialsFen = parseYuan(draft.materials);
  const chargeFen = parseYuan(draft.charge);
  const proposal = materialsFen === null ? null : proposedCharge(draft.feeTier, materialsFen);
  const adjusted = chargeFen !== null && proposal !== null && chargeFen !== proposal;

  const update = (patch: Partial<WorkDraft>) => {
    const next = { ...draft, ...patch };
    if (!chargeTouched && ('feeTier' in patch || 'materials' in patch)) {
      const m = parseYuan(next.materials);
      if (m !== null) next.charge = fenToYuanString(proposedCharge(next.feeTier, m));
    }
    setDraft(next);
    setDirty(true);
  };

  async function save(patch: TicketDraft, after?: () => void) {
    if (busy) return;
    const submittedAt = performance.now();
    setBusy(true);
    setFailure('');
    try {
      const result = await saveRepairTicket(patch);
      if (!result.ok) {
        setErrors(result.errors);
        return false;
      }
      measureSave(submittedAt);
      setErrors({});
      syncSoon();
      after?.();
      return true;
    } catch (err) {
      setFailure(failureMessage(err, i18n));
      return false;
    } finally {
      setBusy(false);
    }
  }

  function move(to: TicketStatus) {
    const patch: TicketDraft = { id: ticket.id, eventId: ticket.eventId, status: to };
    // Taking a ticket puts the volunteer's name on it, unless someone is already named.
    if (to === 'repairing' && !ticket.repairedBy && session?.user) patch.repairedBy = session.user.name;
    void save(patch, () => setNotice(t('ticket.statusSaved', { status: t(`ticket.status.${to}`) })));
  }

  async function submit(e: Event) {
    e.preventDefault();
    if (!draft) return;
    const local: FieldErrors = {};
    if (materialsFen === null) local.materialsFen = 'v.money';
    if (chargeFen === null) local.feeFen = 'v.money';
    if (Object.keys(local).length > 0 || materialsFen === null || chargeFen === null) {
      setErrors(local);
      return;
    }
    const finished = draft.outcome !== null && (ticket.status === 'waiting' || ticket.status === 'repairing');
    const ok = await save({
      id: ticket.id,
      eventId: ticket.eventId,
      outcome: draft.outcome,
      barrier: draft.barrier,
      nextStep: draft.nextStep,
      notes: draft.notes,
      partsUsed: draft.partsUsed,
      repairedBy: draft.repairedBy,
      feeTier: draft.feeTier,
      materialsFen,
      feeFen: chargeFen,
      subsidyFen: subsidyFor(materialsFen, chargeFen),
      feeReason: adjusted ? draft.feeReason : '',
      // recording an outcome finishes the repair
      ...(finished ? { status: 'done' as const } : {}),
    });
    if (ok) {
      setDirty(false);
      setNotice(t('ticket.saved'));
    }
  }

  const impact = ticketImpact({ ...ticket, outcome: draft.outcome });
  return (
    <main class="screen">
      <Link href={back} class="back">
        ‹ {t('app.back')}
      </Link>
      <div class="ticket-tag" data-testid="ticket-number">
        <span class="ticket-tag-label">{t('ticket.number')}</span>
        <strong>{ticket.number}</strong>
        <span class="hint">{t('ticket.numberHint')}</span>
        <SyncBadge sync={sync} />
      </div>
      {fresh && ticket.eventId ? (
        <Link href={`/events/${ticket.eventId}/tickets/new`} class="button primary take-next">
          ＋ {t('ticket.takeNext')}
        </Link>
      ) : null}
      <h1>
        {t(`cat.${ticket.category}`)}
        {ticket.item ? ` · ${ticket.item}` : ''}
        {ticket.mode === 'home' ? ` · ${t('ticket.homeRepair')}` : ''}
      </h1>
      <p class="card-problem">{ticket.problem}</p>
      {ticket.residentName || ticket.residentPhone ? (
        <p>
          {ticket.residentName} {ticket.residentPhone}
        </p>
      ) : null}
      <p>
        <Link href={`/tickets/${id}/edit`}>{t('ticket.editIntake')}</Link>
      </p>

      <section aria-labelledby="actions-h">
        <h2 id="actions-h">
          {t('ticket.status')}：
          <span class={`status status-${ticket.status}`} data-testid="ticket-status">
            {t(`ticket.status.${ticket.status}`)}
          </span>
        </h2>
        <div class="form-actions">
          {NEXT[ticket.status].map((n) => (
            <button key={n.to} type="button" class={n.primary ? 'primary' : 'secondary'} disabled={busy} onClick={() => move(n.to)}>
              {t(n.label)}
            </button>
          ))}
        </div>
        {notice ? (
          <p class="notice" role="status">
            ✓ {notice}
          </p>
        ) : null}
      </section>

      <form onSubmit={submit} noValidate>
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
            <Field id="barrier" label={t('ticket.barrier')} error={errors.barrier} optional>
              {(a) => (
                <select
                  {...a}
                  value={draft.barrier ?? ''}
                  onChange={(e) => update({ barrier: ((e.target as HTMLSelectElement).value || null) as RepairBarrier | null })}
                >
                  <option value="">{t('app.none')}</option>
                  {REPAIR_BARRIERS.map((b) => (
                    <option key={b} value={b}>
                      {t(`barrier.${b}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : null}
          {draft.outcome === 'repairable' ? (
            <Field id="nextStep" label={t('ticket.nextStep')} error={errors.nextStep} optional>
              {(a) => (
                <select
                  {...a}
                  value={draft.nextStep ?? ''}
                  onChange={(e) => update({ nextStep: ((e.target as HTMLSelectElement).value || null) as RepairNextStep | null })}
                >
                  <option value="">{t('app.none')}</option>
                  {REPAIR_NEXT_STEPS.map((s) => (
                    <option key={s} value={s}>
                      {t(`nextStep.${s}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : null}
          {errors.weightKg ? (
            <p class="error" role="alert">
              ⚠ {t(errors.weightKg)} — <Link href={`/tickets/${id}/edit`}>{t('ticket.editIntake')}</Link>
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
          <Field id="notes" label={t('ticket.notes')} error={errors.notes} optional>
            {(a) => (
              <textarea
                {...a}
                value={draft.notes}
                onInput={(e) => update({ notes: (e.target as HTMLTextAreaElement).value })}
                rows={2}
                maxLength={2000}
              />
            )}
          </Field>
          <Field id="partsUsed" label={t('ticket.partsUsed')} error={errors.partsUsed} optional>
            {(a) => (
              <input
                {...a}
                value={draft.partsUsed}
                onInput={(e) => update({ partsUsed: (e.target as HTMLInputElement).value })}
                maxLength={500}
              />
            )}
          </Field>
          <Field id="repairedBy" label={t('ticket.repairedBy')} error={errors.repairedBy} optional>
            {(a) => (
              <input
                {...a}
                value={draft.repairedBy}
                onInput={(e) => update({ repairedBy: (e.target as HTMLInputElement).value })}
                maxLength={100}
              />
            )}
          </Field>
        </fieldset>

        <fieldset class="group">
          <legend>{t('ticket.feesTitle')}</legend>
          <div class="choice-col" role="radiogroup" aria-label={t('ticket.feeTier')}>
            {FEE_TIERS.map((tier) => (
              <label key={tier} class={`choice${draft.feeTier === tier ? ' chosen' : ''}`}>
                <input
                  type="radio"
                  name="feeTier"
                  value={tier}
                  checked={draft.feeTier === tier}
                  onChange={() => update({ feeTier: tier })}
                />
                <span>{t(`feeTier.${tier}`)}</span>
              </label>
            ))}
          </div>
          <Field id="materialsFen" label={t('ticket.materials')} error={errors.materialsFen}>
            {(a) => (
              <input
                {...a}
                inputMode="decimal"
                value={draft.materials}
                onInput={(e) => update({ materials: (e.target as HTMLInputElement).value })}
                maxLength={12}
              />
            )}
          </Field>
          {proposal !== null ? (
            <p class="hint" data-testid="fee-proposal">
              {t('ticket.proposed', { amount: formatMoney(proposal) })}{' '}
              {adjusted ? (
                <button
                  type="button"
                  class="secondary small"
                  onClick={() => {
                    setChargeTouched(false);
                    update({ charge: fenToYuanString(proposal) });
                  }}
                >
                  {t('ticket.useProposed')}
                </button>
              ) : null}
            </p>
          ) : null}
          <Field id="feeFen" label={t('ticket.charge')} error={errors.feeFen}>
            {(a) => (
              <input
                {...a}
                inputMode="decimal"
                value={draft.charge}
                onInput={(e) => {
                  setChargeTouched(true);
                  update({ charge: (e.target as HTMLInputElement).value });
                }}
                maxLength={12}
              />
            )}
          </Field>
          {adjusted ? (
            <Field id="feeReason" label={t('ticket.feeReason')} error={errors.feeReason}>
              {(a) => (
                <input
                  {...a}
                  value={draft.feeReason}
                  onInput={(e) => update({ feeReason: (e.target as HTMLInputElement).value })}
                  maxLength={200}
                />
              )}
            </Field>
          ) : null}
          {materialsFen !== null && chargeFen !== null ? (
            <p class="hint" data-testid="fee-subsidy">
              {t('ticket.subsidy', { amount: formatMoney(subsidyFor(materialsFen, chargeFen)) })}
            </p>
          ) : null}
        </fieldset>
        <FormFooter failure={failure} busy={busy} />
      </form>
    </main>
  );
}
