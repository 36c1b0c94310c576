/**
 * Repair fees, in integer fen. The tier decides what the app proposes:
 *
 * - standard (普通): materials plus a small service fee, below market price (for an item
 *   not fixed, by the team's setting: `serviceFeeApplies`);
 * - low income (低保): materials only;
 * - waived (特困): nothing; the community fund pays the materials.
 *
 * Whatever the resident does not pay of the materials, the fund pays: that is the subsidy.
 * A volunteer may charge something else, with a reason.
 */

export const FEE_TIERS = ['standard', 'lowIncome', 'waived'] as const;
export type FeeTier = (typeof FEE_TIERS)[number];

/** The standard tier's service fee on top of materials: ¥5. */
export const STANDARD_SERVICE_FEE_FEN = 500;

export interface ChargeContext {
  /** The ticket's outcome; null before it has one (at intake). */
  outcome?: string | null;
  /** The team's setting `serviceFeeIfNotFixed`. */
  feeIfNotFixed?: boolean;
}

/**
 * Whether the standard tier's ¥5 service fee applies (decided in issue 24): to an item fixed
 * or not yet judged; to one that was not fixed — repairable later, past repair, unknown —
 * only where the team's settings say so. By default a resident pays for the materials used
 * but no service fee for an item that could not be fixed (修不好不收服务费).
 */
export function serviceFeeApplies({ outcome = null, feeIfNotFixed = false }: ChargeContext = {}): boolean {
  return outcome === null || outcome === 'fixed' || feeIfNotFixed;
}

export function proposedCharge(tier: FeeTier, materialsFen: number, ctx: ChargeContext = {}): number {
  if (tier === 'waived') return 0;
  if (tier === 'lowIncome') return materialsFen;
  return materialsFen + (serviceFeeApplies(ctx) ? STANDARD_SERVICE_FEE_FEN : 0);
}

/**
 * A charge needs no reason when it is the tier's proposal — for an item not fixed, with or
 * without the service fee: the team's setting may have changed since a phone, offline,
 * last heard it, and a ticket saved under either is never refused for it.
 */
export function isProposedCharge(t: { feeTier: FeeTier; materialsFen: number; outcome: string | null; feeFen: number }): boolean {
  return [true, false].some(
    (feeIfNotFixed) => t.feeFen === proposedCharge(t.feeTier, t.materialsFen, { outcome: t.outcome, feeIfNotFixed }),
  );
}

/** The fund covers the part of the materials the resident was not charged. */
export function subsidyFor(materialsFen: number, chargedFen: number): number {
  return Math.max(0, materialsFen - chargedFen);
}

/**
 * "12.5" / "12.50" / "¥12" / "１２" → 1250 fen; null for anything that is not a non-negative
 * amount with at most two decimals. Never through floating point, so 0.29 stays 29 fen.
 */
export function parseYuan(input: string): number | null {
  const s = input
    .trim()
    .replace(/[０-９．]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/^[¥￥]\s*/, '')
    .replace(/\s*元$/, '');
  const m = /^(\d{1,9})(?:\.(\d{0,2}))?$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** 1250 → "12.50": the plain form used in inputs and CSV cells. */
export function fenToYuanString(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
