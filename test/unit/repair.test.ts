/**
 * Repair-day logic: fee proposals per tier, money parsing, impact per category (fixed items
 * only, misc by weight), the day's summary, board search, and ticket numbers that never
 * collide between phones or after a lost counter.
 */
import fc from 'fast-check';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { LinliDb } from '../../src/data/db.ts';
import { newId } from '../../src/data/records.ts';
import { saveRepairTicket } from '../../src/data/repair-save.ts';
import { matchesSearch } from '../../src/app/ticket-search.ts';
import { TICKET_NUMBER_RE, type RepairTicket } from '../../src/shared/repair.ts';
import {
  fenToYuanString,
  isProposedCharge,
  parseYuan,
  proposedCharge,
  STANDARD_SERVICE_FEE_FEN,
  subsidyFor,
} from '../../src/shared/repair-fees.ts';
import {
  addImpact,
  emptyImpact,
  REPAIR_CATEGORIES,
  REPAIR_CATEGORY_KEYS,
  roundImpact,
  roundKg,
  ticketImpact,
  ticketImpactExact,
} from '../../src/shared/repair-impact.ts';
import { summarizeRepairs } from '../../src/shared/repair-summary.ts';
import { en } from '../../src/shared/i18n/en.ts';
import { zhCN } from '../../src/shared/i18n/zh-CN.ts';

const fenArb = fc.integer({ min: 0, max: 10_000_000 });

describe('fees', () => {
  it('proposes materials + service fee for standard, materials only for 低保, nothing for 特困', () => {
    expect(proposedCharge('standard', 1230)).toBe(1230 + STANDARD_SERVICE_FEE_FEN);
    expect(proposedCharge('lowIncome', 1230)).toBe(1230);
    expect(proposedCharge('waived', 1230)).toBe(0);
    expect(proposedCharge('waived', 0)).toBe(0);
  });

  it('charges no ¥5 service fee for an item not fixed unless the team says so; at intake and when fixed, as usual', () => {
    for (const outcome of ['repairable', 'endOfLife', 'unknown']) {
      expect(proposedCharge('standard', 300, { outcome })).toBe(300);
      expect(proposedCharge('standard', 300, { outcome, feeIfNotFixed: true })).toBe(300 + STANDARD_SERVICE_FEE_FEN);
      expect(proposedCharge('lowIncome', 300, { outcome, feeIfNotFixed: true })).toBe(300);
      expect(proposedCharge('waived', 300, { outcome, feeIfNotFixed: true })).toBe(0);
    }
    expect(proposedCharge('standard', 300, { outcome: null })).toBe(300 + STANDARD_SERVICE_FEE_FEN);
    expect(proposedCharge('standard', 300, { outcome: 'fixed' })).toBe(300 + STANDARD_SERVICE_FEE_FEN);
  });

  it('takes either proposal for an item not fixed without a reason (a phone may not have the setting yet), and nothing else', () => {
    const t = (outcome: string | null, feeFen: number) => ({ feeTier: 'standard' as const, materialsFen: 300, outcome, feeFen });
    expect(isProposedCharge(t('endOfLife', 300))).toBe(true);
    expect(isProposedCharge(t('endOfLife', 800))).toBe(true);
    expect(isProposedCharge(t('endOfLife', 500))).toBe(false);
    expect(isProposedCharge(t('fixed', 300))).toBe(false);
    expect(isProposedCharge(t(null, 800))).toBe(true);
  });

  it('the fund pays exactly the materials the resident was not charged', () => {
    fc.assert(
      fc.property(
        fenArb,
        fc.constantFrom('standard', 'lowIncome', 'waived') as fc.Arbitrary<'standard' | 'lowIncome' | 'waived'>,
        (materials, tier) => {
          const charge = proposedCharge(tier, materials);
          const subsidy = subsidyFor(materials, charge);
          expect(Number.isInteger(charge) && Number.isInteger(subsidy)).toBe(true);
          // materials are always covered, by the resident or by the fund, and never twice
          expect(Math.min(charge, materials) + subsidy).toBe(materials);
          if (tier === 'waived') expect(subsidy).toBe(materials);
          else expect(subsidy).toBe(0);
        },
      ),
    );
  });

  it('parses yuan to integer fen without floating point, and round-trips every amount', () => {
    expect(parseYuan('0.29')).toBe(29);
    expect(parseYuan('12.5')).toBe(1250);
    expect(parseYuan('¥ 3')).toBe(300);
    expect(parseYuan('８.０５')).toBe(805);
    expect(parseYuan('7元')).toBe(700);
    for (const bad of ['', '-1', '1.234', 'abc', '1e3', '1,5', '１２３４５６７８９０']) expect(parseYuan(bad)).toBeNull();
    fc.assert(
      fc.property(fenArb, (fen) => {
        expect(parseYuan(fenToYuanString(fen))).toBe(fen);
      }),
    );
  });
});

describe('impact (Restart Project method)', () => {
  const t = (over: Partial<Parameters<typeof ticketImpact>[0]>) => ({
    category: 'fan',
    outcome: 'fixed',
    weightKg: null,
    factorSet: 'restart-2026-1',
    ...over,
  });

  it('counts footprint × 0.5 and the category weight for a fixed item', () => {
    expect(ticketImpact(t({}))).toEqual({ co2eKg: 15.6 * 0.5, wasteKg: 3.9 });
    expect(ticketImpact(t({ category: 'kettle' }))).toEqual({ co2eKg: 44.32 * 0.5, wasteKg: 1.25 });
    // 0.785, one ticket's figure rounded once, half up
    expect(ticketImpact(t({ category: 'knife' }))).toEqual({ co2eKg: 0.79, wasteKg: 0 });
  });

  it('counts nothing for an item that was not fixed', () => {
    for (const outcome of ['repairable', 'endOfLife', 'unknown', null])
      expect(ticketImpact(t({ outcome }))).toEqual({ co2eKg: 0, wasteKg: 0 });
  });

  it('uses the estimated weight for misc items: × 32.07 powered, × 17.70 unpowered, × 0.5', () => {
    expect(ticketImpact(t({ category: 'miscPowered', weightKg: 2 }))).toEqual({ co2eKg: 2 * 32.07 * 0.5, wasteKg: 2 });
    expect(ticketImpact(t({ category: 'miscUnpowered', weightKg: 3 })).co2eKg).toBeCloseTo(3 * 17.7 * 0.5, 10);
    expect(ticketImpact(t({ category: 'miscUnpowered', weightKg: null }))).toEqual({ co2eKg: 0, wasteKg: 0 });
  });

  it('uses the Restart factors as published in the current set: 32.06679233 / 17.70147059 per kg, × 0.5', () => {
    const cur = (over: Partial<Parameters<typeof ticketImpact>[0]>) => t({ factorSet: 'restart-2026-2', ...over });
    // 2 kg × 32.06679233 × 0.5 = 32.06679233 → 32.07; 3 kg × 17.70147059 × 0.5 = 26.552205885 → 26.55
    expect(ticketImpact(cur({ category: 'miscPowered', weightKg: 2 }))).toEqual({ co2eKg: 32.07, wasteKg: 2 });
    expect(ticketImpact(cur({ category: 'miscUnpowered', weightKg: 3 }))).toEqual({ co2eKg: 26.55, wasteKg: 3 });
    // exact to the last published digit: 1e-16 kg units
    expect(ticketImpactExact(cur({ category: 'miscPowered', weightKg: 1 })).co2e).toBe(BigInt('160333961650000000'));
  });

  it('counts a fixed knife, umbrella or lock as waste avoided in the current set, and not in the first', () => {
    for (const [category, kg] of [
      ['knife', 0.2],
      ['umbrella', 0.4],
      ['doorLock', 0.5],
    ] as const) {
      expect(ticketImpact(t({ category, factorSet: 'restart-2026-2' })).wasteKg).toBe(kg);
      expect(ticketImpact(t({ category, factorSet: 'restart-2026-1' })).wasteKg).toBe(0);
    }
  });

  it('judges a ticket that names no factor set by the first set, the only one there was', () => {
    expect(ticketImpact(t({ category: 'miscPowered', weightKg: 2, factorSet: '' }))).toEqual({ co2eKg: 32.07, wasteKg: 2 });
    expect(ticketImpact(t({ category: 'knife', factorSet: '' })).wasteKg).toBe(0);
  });

  it('rounds once, half up: 323.605 kg prints 323.61 however it was summed', () => {
    const exact = BigInt('3236050000000000000'); // 323.605 kg in 1e-16 kg units
    expect(roundKg(exact)).toBe(323.61);
    expect(roundKg(exact - BigInt(1))).toBe(323.6);
    // 1 kg misc. under the first set: 16.035 exactly, half up
    const misc = t({ category: 'miscPowered', weightKg: 1 });
    expect(ticketImpact(misc).co2eKg).toBe(16.04);
    expect(summarizeRepairs([ticket({ category: 'miscPowered', weightKg: 1, outcome: 'fixed' })]).co2eKg).toBe(16.04);
  });

  it('sums to the same exact figure in any order and grouping (phone per ticket, server per group)', () => {
    const arb = fc.array(
      fc.record({
        category: fc.constantFrom(...REPAIR_CATEGORY_KEYS),
        outcome: fc.constantFrom('fixed', 'fixed', 'repairable', 'endOfLife', null),
        weightKg: fc.oneof(
          fc.constant(null),
          fc.integer({ min: 1, max: 50_000 }).map((g) => g / 1000),
        ),
        factorSet: fc.constantFrom('restart-2026-1', 'restart-2026-2'),
      }),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(arb, fc.integer(), (tickets, seed) => {
        const one = tickets.reduce((sum, x) => addImpact(sum, ticketImpactExact(x)), emptyImpact());
        const shuffled = [...tickets].sort((a, b) => ((JSON.stringify(a).length * seed) % 7) - ((JSON.stringify(b).length * seed) % 7));
        // grouped as the dashboard's SQL groups: equal tickets once, times their count
        const groups = new Map<string, { x: (typeof tickets)[number]; n: number }>();
        for (const x of shuffled) {
          const key = JSON.stringify(x);
          const g = groups.get(key);
          if (g) g.n++;
          else groups.set(key, { x, n: 1 });
        }
        const grouped = [...groups.values()].reduce((sum, g) => addImpact(sum, ticketImpactExact(g.x), g.n), emptyImpact());
        expect(grouped).toEqual(one);
        expect(roundImpact(grouped)).toEqual(roundImpact(one));
      }),
    );
  });

  it('gives every category a Chinese and an English label and an ORDS id in the v0.3 list', () => {
    for (const key of REPAIR_CATEGORY_KEYS) {
      expect(zhCN[`cat.${key}`]).toBeTruthy();
      expect(en[`cat.${key}`]).toBeTruthy();
      expect(REPAIR_CATEGORIES[key].ordsId).toBeGreaterThanOrEqual(1);
      expect(REPAIR_CATEGORIES[key].ordsId).toBeLessThanOrEqual(40);
    }
  });
});

function ticket(over: Partial<RepairTicket>): RepairTicket {
  return {
    id: newId(),
    teamId: newId(),
    createdAt: '2026-11-22T02:00:00.000Z',
    createdBy: newId(),
    updatedAt: '2026-11-22T02:00:00.000Z',
    deleted: false,
    eventId: null,
    householdId: null,
    needId: null,
    mode: 'event',
    number: 'A-001',
    category: 'fan',
    item: '',
    brand: '',
    model: '',
    ageYears: null,
    weightKg: null,
    problem: '不转',
    residentName: '',
    residentPhone: '',
    status: 'waiting',
    outcome: null,
    barrier: null,
    nextStep: null,
    notes: '',
    partsUsed: '',
    repairedBy: '',
    feeTier: 'standard',
    materialsFen: 0,
    feeFen: 0,
    subsidyFen: 0,
    feeReason: '',
    factorSet: 'restart-2026-1',
    ...over,
  };
}

describe('event summary', () => {
  it('counts distinct residents, the fixed rate over judged items, fees and subsidies of collected items, CO2e of fixed ones', () => {
    const s = summarizeRepairs(
      [
        ticket({
          residentPhone: '138 0000 1111',
          residentName: '王阿姨',
          status: 'collected',
          outcome: 'fixed',
          feeFen: 800,
          subsidyFen: 0,
          repairedBy: '老李',
        }),
        ticket({ residentPhone: '13800001111', status: 'done', outcome: 'endOfLife', feeFen: 500, repairedBy: '老李' }),
        ticket({
          residentName: '张大爷',
          status: 'collected',
          outcome: 'fixed',
          category: 'kettle',
          feeFen: 0,
          subsidyFen: 300,
          repairedBy: '小陈',
        }),
        ticket({ status: 'repairing', outcome: null }),
        ticket({ status: 'waiting', outcome: 'unknown' }),
        ticket({ status: 'cancelled', residentName: '赵' }),
        ticket({ status: 'collected', outcome: 'fixed', deleted: true, feeFen: 9999 }),
      ],
      { volunteerCount: 0, volunteerHours: 12.5 },
    );
    expect(s.items).toBe(5);
    // same phone twice, 张大爷: two people; the two anonymous tickets may be theirs — "at least 2"
    expect(s.peopleServed).toBe(2);
    expect(s.peopleAtLeast).toBe(true);
    expect(s.fixed).toBe(2);
    expect(s.fixedRate).toBeCloseTo(2 / 3, 10);
    expect(s.co2eKg).toBeCloseTo(7.8 + 22.16, 10);
    expect(s.wasteKg).toBeCloseTo(3.9 + 1.25, 10);
    expect(s.feesFen).toBe(800);
    expect(s.subsidiesFen).toBe(300);
    expect(s.volunteers).toBe(2);
    expect(s.volunteerHours).toBe(12.5);
    expect(s.byStatus).toMatchObject({ collected: 2, done: 1, repairing: 1, waiting: 1, cancelled: 1 });
  });

  it('has no fixed rate before any outcome, and takes the event’s volunteer count when given', () => {
    const s = summarizeRepairs([ticket({})], { volunteerCount: 6, volunteerHours: 0 });
    expect(s.fixedRate).toBeNull();
    expect(s.volunteers).toBe(6);
  });
});

describe('board search', () => {
  const item = (over: Partial<RepairTicket>) => ({ ticket: ticket(over), sync: 'synced' as const });
  it('finds a ticket by its number however it is typed, by name, by phone digits', () => {
    const tk = item({ number: 'B-017', residentName: '王秀英', residentPhone: '138-0013-8000' });
    for (const q of ['B-017', 'b017', '17', 'b17', '王秀', '0013', '13800138000']) expect(matchesSearch(tk, q)).toBe(true);
    for (const q of ['C-017', 'a17', '李', '999']) expect(matchesSearch(tk, q)).toBe(false);
  });
});

describe('ticket numbers', () => {
  async function phone(letter: string) {
    const db = new LinliDb(`num-${letter}-${Math.random()}`, { indexedDB, IDBKeyRange });
    await db.setMeta('user', { id: newId(), username: 'u', name: '志愿者', role: 'volunteer', teamId: newId(), teamName: '队' });
    await db.setMeta('deviceLetter', letter);
    return db;
  }

  it('never collide at one event: phones with their own letters, in any interleaving, even after a counter is lost', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ phone: fc.integer({ min: 0, max: 2 }), loseCounter: fc.boolean() }), { minLength: 1, maxLength: 40 }),
        async (ops) => {
          const eventId = newId();
          const phones = await Promise.all(['A', 'B', 'C'].map(phone));
          const numbers: string[] = [];
          for (const op of ops) {
            const db = phones[op.phone]!;
            // e.g. storage cleared of the counter row but not the tickets: the index recounts
            if (op.loseCounter) await db.meta.where('key').startsWith('ticketCounter:').delete();
            const r = await saveRepairTicket({ id: newId(), eventId, category: 'fan', problem: '不转' }, db);
            if (!r.ok) throw new Error(JSON.stringify(r.errors));
            numbers.push(r.record.number);
          }
          for (const n of numbers) expect(n).toMatch(TICKET_NUMBER_RE);
          expect(new Set(numbers).size).toBe(numbers.length);
          // and each phone counts up from 1 without gaps
          for (const letter of ['A', 'B', 'C']) {
            const mine = numbers.filter((n) => n.startsWith(`${letter}-`)).map((n) => Number(n.slice(2)));
            expect(mine).toEqual(mine.map((_, i) => i + 1));
          }
          await Promise.all(phones.map((p) => p.delete()));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('keeps the number when the ticket is edited', async () => {
    const db = await phone('D');
    const id = newId();
    const first = await saveRepairTicket({ id, eventId: newId(), category: 'kettle', problem: '漏水' }, db);
    const again = await saveRepairTicket({ id, eventId: first.ok ? first.record.eventId : null, problem: '漏水，底座松' }, db);
    expect(first.ok && again.ok && again.record.number === first.record.number).toBe(true);
  });

  it('refuses a charge that differs from the proposal without a reason, in words, and saves nothing', async () => {
    const db = await phone('E');
    const id = newId();
    const r = await saveRepairTicket(
      { id, eventId: newId(), category: 'fan', problem: '不转', feeTier: 'waived', materialsFen: 500, feeFen: 300 },
      db,
    );
    expect(r).toEqual({ ok: false, errors: { feeReason: 'v.feeReason' } });
    expect(await db.repairTicket.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
    const ok = await saveRepairTicket(
      {
        id,
        eventId: null,
        category: 'fan',
        problem: '不转',
        feeTier: 'waived',
        materialsFen: 500,
        feeFen: 300,
        feeReason: '居民坚持付一点',
      },
      db,
    );
    expect(ok.ok).toBe(true);
  });
});
