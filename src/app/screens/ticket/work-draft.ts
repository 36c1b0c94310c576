/** What the ticket's work form edits: the outcome and the work done, and the fees as typed (yuan, not yet fen). */
import type { RepairTicket } from '../../../data/index.ts';
import type { RepairBarrier, RepairNextStep, RepairOutcome } from '../../../shared/repair.ts';
import { fenToYuanString, type FeeTier } from '../../../shared/repair-fees.ts';

export interface WorkDraft {
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

export function fromTicket(tk: RepairTicket): WorkDraft {
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
