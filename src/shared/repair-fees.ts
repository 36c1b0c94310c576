/**
 * Repair fees, in integer fen. The tier decides what the app proposes:
 *
 * - standard (普通): materials plus a small service fee, below market price;
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

export function proposedCharge(tier: FeeTier, materialsFen: number): number {
  if (tier === 'waived') return 0;
  if (tier === 'lowIncome') return materialsFen;
  return materialsFen + STANDARD_SERVICE_FEE_FEN;
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
