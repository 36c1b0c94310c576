/**
 * Repair categories and their impact factors: what a fixed item saved, by the Restart
 * Project's method that repair networks already report with (https://therestartproject.org/
 * — "Repair Impact Calculator", its published factors):
 *
 *   CO2e avoided  = category footprint (kg CO2e) × displacement factor 0.5, fixed items only
 *   waste avoided = category weight (kg), fixed items only
 *   misc. items   = estimated weight × 32.06679233 kg CO2e/kg (powered) or × 17.70147059
 *                   (unpowered) × 0.5
 *
 * Factors are grouped in versioned sets and each ticket stores the set it was judged with,
 * so totals can be recomputed when a set is revised without rewriting old tickets.
 * Category labels live in the message catalogues (`cat.<key>`); ORDS ids come from
 * `shared/data/ords/OpenRepairData_v0.3_Product_Categories.csv` (18 = Misc where ORDS has none).
 *
 * Sums are exact (`ImpactSum`, integer units of 1e-16 kg) and rounded once, half up to
 * 0.01 kg, by `roundKg`: the phone, the server, the exports and the paper add the same
 * tickets in different orders and groupings, and floating-point sums of 0.5 × 15.6 drift by
 * a last digit — enough to print 323.60 on one page and 323.61 on the next.
 */

export interface RepairCategory {
  /** ORDS v0.3 product_category_id. */
  ordsId: number;
  /** kg; null where the published table gives a footprint per item but no weight. */
  weightKg: number | null;
  /** kg CO2e of a new item; null for the miscellaneous categories (estimated from weight). */
  footprintKg: number | null;
  powered: boolean;
}

/** Most common at Chinese repair days first: the intake screen shows them in this order. */
export const REPAIR_CATEGORIES = {
  fan: { ordsId: 7, weightKg: 3.9, footprintKg: 15.6, powered: true },
  smallKitchen: { ordsId: 29, weightKg: 2.95, footprintKg: 30.9, powered: true },
  kettle: { ordsId: 14, weightKg: 1.25, footprintKg: 44.32, powered: true },
  knife: { ordsId: 18, weightKg: null, footprintKg: 1.57, powered: false },
  umbrella: { ordsId: 18, weightKg: null, footprintKg: 0.83, powered: false },
  clothing: { ordsId: 18, weightKg: 0.75, footprintKg: 20.32, powered: false },
  lamp: { ordsId: 15, weightKg: 2.68, footprintKg: 14.96, powered: true },
  radio: { ordsId: 23, weightKg: 2.06, footprintKg: 54.65, powered: true },
  mobile: { ordsId: 19, weightKg: 0.15, footprintKg: 50.51, powered: true },
  iron: { ordsId: 40, weightKg: 1.17, footprintKg: 11.0, powered: true },
  doorLock: { ordsId: 18, weightKg: null, footprintKg: 2.62, powered: false },
  watchClock: { ordsId: 35, weightKg: 1.3, footprintKg: 28.29, powered: true },
  bicycle: { ordsId: 18, weightKg: 15.1, footprintKg: 149.6, powered: false },
  hairBeauty: { ordsId: 9, weightKg: 0.67, footprintKg: 10.28, powered: true },
  decorativeLights: { ordsId: 3, weightKg: 0.46, footprintKg: 14.72, powered: true },
  toaster: { ordsId: 31, weightKg: 1.47, footprintKg: 8.13, powered: true },
  coffeeMaker: { ordsId: 36, weightKg: 1.28, footprintKg: 17.5, powered: true },
  vacuum: { ordsId: 34, weightKg: 6.8, footprintKg: 36.01, powered: true },
  powerTool: { ordsId: 24, weightKg: 1.65, footprintKg: 26.65, powered: true },
  sewingMachine: { ordsId: 27, weightKg: 8.6, footprintKg: 35.0, powered: true },
  furniture: { ordsId: 18, weightKg: 29.81, footprintKg: 67.13, powered: false },
  handTool: { ordsId: 18, weightKg: 0.93, footprintKg: 4.67, powered: false },
  miscPowered: { ordsId: 18, weightKg: null, footprintKg: null, powered: true },
  miscUnpowered: { ordsId: 18, weightKg: null, footprintKg: null, powered: false },
} as const satisfies Record<string, RepairCategory>;

export type RepairCategoryKey = keyof typeof REPAIR_CATEGORIES;
export const REPAIR_CATEGORY_KEYS = Object.keys(REPAIR_CATEGORIES) as [RepairCategoryKey, ...RepairCategoryKey[]];

/**
 * Categories that are their own problem (a knife is brought to be sharpened): the intake
 * need not ask, and records the category's problem text (`catProblem.*`) when left empty.
 */
export const SELF_DESCRIBED_CATEGORIES = ['knife'] as const satisfies readonly RepairCategoryKey[];

export function isSelfDescribed(key: string): key is (typeof SELF_DESCRIBED_CATEGORIES)[number] {
  return (SELF_DESCRIBED_CATEGORIES as readonly string[]).includes(key);
}

/** Categories whose impact comes from the volunteer's weight estimate. */
export function isMiscCategory(key: string): boolean {
  return key === 'miscPowered' || key === 'miscUnpowered';
}

export interface FactorSet {
  displacement: number;
  /** kg CO2e per kg for a miscellaneous item. */
  miscPoweredPerKg: number;
  miscUnpoweredPerKg: number;
  categories: Record<RepairCategoryKey, RepairCategory>;
}

/**
 * Weights Linli estimates for categories the Restart tables give no weight for (a kitchen
 * knife, a folding umbrella, a door lock), so a fixed one counts as waste avoided — decided
 * in issue 24; the first set counted them as 0 kg, and tickets judged with it keep that.
 */
const LINLI_WEIGHTS_KG = { knife: 0.2, umbrella: 0.4, doorLock: 0.5 } as const;

export const FACTOR_SETS = {
  /** Misc. factors rounded to 32.07 / 17.70; no weight for knives, umbrellas, locks. */
  'restart-2026-1': { displacement: 0.5, miscPoweredPerKg: 32.07, miscUnpoweredPerKg: 17.7, categories: REPAIR_CATEGORIES },
  /** The Restart factors as published, and Linli's weights for knives, umbrellas and locks. */
  'restart-2026-2': {
    displacement: 0.5,
    miscPoweredPerKg: 32.06679233,
    miscUnpoweredPerKg: 17.70147059,
    categories: {
      ...REPAIR_CATEGORIES,
      knife: { ...REPAIR_CATEGORIES.knife, weightKg: LINLI_WEIGHTS_KG.knife },
      umbrella: { ...REPAIR_CATEGORIES.umbrella, weightKg: LINLI_WEIGHTS_KG.umbrella },
      doorLock: { ...REPAIR_CATEGORIES.doorLock, weightKg: LINLI_WEIGHTS_KG.doorLock },
    },
  },
} as const satisfies Record<string, FactorSet>;
export type FactorSetVersion = keyof typeof FACTOR_SETS;
export const CURRENT_FACTOR_SET: FactorSetVersion = 'restart-2026-2';
/** The set a ticket that names none was judged with: the only one there was. */
export const FIRST_FACTOR_SET: FactorSetVersion = 'restart-2026-1';

/** An exact amount of kg, in units of 1e-16 kg. */
export interface ImpactSum {
  co2e: bigint;
  waste: bigint;
}

export interface Impact {
  co2eKg: number;
  wasteKg: number;
}

/** A decimal as an integer count of 10^-digits (weights to the milligram, factors to 1e-8 as published). */
function units(x: number, digits: number): bigint {
  const [whole, frac = ''] = Math.abs(x).toFixed(digits).split('.');
  return BigInt(whole! + frac);
}

const ZERO: ImpactSum = { co2e: BigInt(0), waste: BigInt(0) };

/** What one ticket avoided, exactly: zero unless it was fixed. */
export function ticketImpactExact(t: { category: string; outcome: string | null; weightKg: number | null; factorSet: string }): ImpactSum {
  if (t.outcome !== 'fixed') return ZERO;
  const set: FactorSet = FACTOR_SETS[t.factorSet as FactorSetVersion] ?? FACTOR_SETS[t.factorSet ? CURRENT_FACTOR_SET : FIRST_FACTOR_SET];
  const cat = set.categories[t.category as RepairCategoryKey];
  if (!cat) return ZERO;
  const displacement = units(set.displacement, 2); // 1e-2
  if (cat.footprintKg === null) {
    const weight = units(t.weightKg ?? 0, 6); // 1e-6
    const perKg = units(cat.powered ? set.miscPoweredPerKg : set.miscUnpoweredPerKg, 8); // 1e-8
    return { co2e: weight * perKg * displacement, waste: weight * BigInt(1e10) };
  }
  return {
    co2e: units(cat.footprintKg, 8) * displacement * BigInt(1e6),
    waste: units(cat.weightKg ?? 0, 8) * BigInt(1e8),
  };
}

export function addImpact(a: ImpactSum, b: ImpactSum, times = 1): ImpactSum {
  const k = BigInt(times);
  return { co2e: a.co2e + b.co2e * k, waste: a.waste + b.waste * k };
}

export function emptyImpact(): ImpactSum {
  return ZERO;
}

const HALF_CENTIKG = BigInt(5e13);
const CENTIKG = BigInt(1e14);

/** The one rounding of an exact sum: half up to 0.01 kg. */
export function roundKg(exact: bigint): number {
  return Number((exact + HALF_CENTIKG) / CENTIKG) / 100;
}

export function roundImpact(exact: ImpactSum): Impact {
  return { co2eKg: roundKg(exact.co2e), wasteKg: roundKg(exact.waste) };
}

/** What one ticket avoided, rounded once: zero unless it was fixed. */
export function ticketImpact(t: { category: string; outcome: string | null; weightKg: number | null; factorSet: string }): Impact {
  return roundImpact(ticketImpactExact(t));
}
