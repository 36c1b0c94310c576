/**
 * Made for a 70-year-old's thumb (issue 25), the pure parts and the phone's saves behind the
 * screens: the intake's tiles (most used first, found by what people call things, a knife
 * its own problem), the team's grids and urgent department, the head as first resident,
 * residents found from the health tab, and "服务居民" counting people, not anonymous items.
 */
import fc from 'fast-check';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { FIRST_TILES, matchesCategory, rankCategories } from '../../src/app/category-rank.ts';
import { LinliDb } from '../../src/data/db.ts';
import { findResidents } from '../../src/data/health.ts';
import { createUrgentFollowUp, saveHealthCheck, recordConsent } from '../../src/data/health-save.ts';
import { saveHousehold } from '../../src/data/household-save.ts';
import { newId } from '../../src/data/records.ts';
import { teamSettings } from '../../src/data/team-settings.ts';
import { saveTeamSettings } from '../../src/data/team-settings-save.ts';
import { checkAccess } from '../../src/server/push-rules.ts';
import { en } from '../../src/shared/i18n/en.ts';
import { zhCN } from '../../src/shared/i18n/zh-CN.ts';
import { REPAIR_CATEGORY_KEYS, SELF_DESCRIBED_CATEGORIES } from '../../src/shared/repair-impact.ts';
import { summarizeRepairs } from '../../src/shared/repair-summary.ts';
import { REPAIR_TICKET_DEFAULTS } from '../../src/shared/record-defaults.ts';
import { READINGS } from '../../src/shared/health-rules.ts';
import { RECORDS } from '../../src/shared/registry.ts';
import { parseGridList } from '../../src/shared/team-settings.ts';

async function phone(role: 'volunteer' | 'coordinator' = 'coordinator') {
  const db = new LinliDb(`fit-${Math.random()}`, { indexedDB, IDBKeyRange });
  const teamId = newId();
  await db.setMeta('user', { id: newId(), username: 'u', name: '李姐', role, teamId, teamName: '队' });
  return { db, teamId };
}

const words = (locale: typeof zhCN | typeof en, k: (typeof REPAIR_CATEGORY_KEYS)[number]) => [
  locale[`cat.${k}`],
  ...locale[`catAlias.${k}`].split(/\s+/),
];

describe('the intake tiles', () => {
  it('puts the most used on this phone first, the rest in the usual order, every category once', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...REPAIR_CATEGORY_KEYS), fc.nat(50)), (use) => {
        const ranked = rankCategories(use);
        expect([...ranked].sort()).toEqual([...REPAIR_CATEGORY_KEYS].sort());
        for (let i = 1; i < ranked.length; i++) {
          const [a, b] = [use[ranked[i - 1]!] ?? 0, use[ranked[i]!] ?? 0];
          expect(a > b || (a === b && REPAIR_CATEGORY_KEYS.indexOf(ranked[i - 1]!) < REPAIR_CATEGORY_KEYS.indexOf(ranked[i]!))).toBe(true);
        }
      }),
    );
    // a new phone shows the usual first eight: 电风扇, 电饭煲…, 电水壶, 磨刀磨剪 among them
    expect(rankCategories({}).slice(0, FIRST_TILES)).toEqual(REPAIR_CATEGORY_KEYS.slice(0, FIRST_TILES));
    expect(rankCategories({ bicycle: 3 })[0]).toBe('bicycle');
  });

  it('finds a category by what a person calls the thing, in Chinese and English', () => {
    const find = (locale: typeof zhCN | typeof en, q: string) => REPAIR_CATEGORY_KEYS.filter((k) => matchesCategory(q, words(locale, k)));
    expect(find(zhCN, '电饭煲')).toEqual(['smallKitchen']);
    expect(find(zhCN, '高压锅')).toEqual(['smallKitchen']);
    expect(find(zhCN, '剪刀')).toContain('knife');
    expect(find(zhCN, '我家电饭锅坏了')).toContain('smallKitchen');
    expect(find(zhCN, '拉链')).toEqual(['clothing']);
    expect(find(en, 'rice cooker')).toEqual(['smallKitchen']);
    expect(find(en, 'Scissors')).toContain('knife');
    expect(find(zhCN, '')).toHaveLength(REPAIR_CATEGORY_KEYS.length);
    expect(find(zhCN, '火箭')).toEqual([]);
  });

  it('gives every category its alias words, and each self-described category its problem text, in both languages', () => {
    for (const k of REPAIR_CATEGORY_KEYS) {
      expect(zhCN[`catAlias.${k}`].trim()).not.toBe('');
      expect(en[`catAlias.${k}`].trim()).not.toBe('');
    }
    for (const k of SELF_DESCRIBED_CATEGORIES) {
      expect(zhCN[`catProblem.${k}`]).toBe('磨刀磨剪');
      expect(en[`catProblem.${k}`]).toBe('Sharpening');
    }
  });
});

describe("the team's grids and urgent department", () => {
  it('reads a typed list one grid per line or comma, trimmed, each once, in order', () => {
    expect(parseGridList(' A1\nA2，B1, A1 \n\n、C3')).toEqual(['A1', 'A2', 'B1', 'C3']);
    expect(parseGridList('  \n ')).toEqual([]);
  });

  it('refuses a list with a grid twice, a blank one or too many; a coordinator sets it, a volunteer cannot', () => {
    const { partial } = RECORDS.teamSettings;
    expect(partial.safeParse({ grids: ['A1', 'A2'] }).success).toBe(true);
    expect(partial.safeParse({ grids: ['A1', 'A1'] }).success).toBe(false);
    expect(partial.safeParse({ grids: [' A1'] }).success).toBe(false);
    expect(partial.safeParse({ grids: Array.from({ length: 61 }, (_, i) => `G${i}`) }).success).toBe(false);
    const team = newId();
    expect(checkAccess('teamSettings', team, team, 'volunteer')).toEqual({ code: 'forbidden' });
    expect(checkAccess('teamSettings', newId(), team, 'coordinator')).toEqual({ code: 'forbidden' });
    expect(checkAccess('teamSettings', team, team, 'coordinator')).toBeNull();
  });

  it('sends the urgent medical need from a check to the department the coordinator set, else to the volunteers', async () => {
    for (const department of ['社区卫生服务中心', '']) {
      const { db, teamId } = await phone();
      expect((await saveTeamSettings({ grids: ['A1'], urgentDepartment: ` ${department} ` }, db)).ok).toBe(true);
      expect(await teamSettings(db, teamId)).toMatchObject({ grids: ['A1'], urgentDepartment: department });
      const householdId = newId();
      const residentId = newId();
      await saveHousehold(
        { id: householdId, gridCode: 'A1', building: '3', room: '301', headName: '王秀英', headResidentId: residentId },
        db,
      );
      await recordConsent(residentId, 'self', '', db);
      const checkId = newId();
      const readings = Object.fromEntries(READINGS.map((k) => [k, null])) as Record<(typeof READINGS)[number], null>;
      const saved = await saveHealthCheck(
        { id: checkId, residentId, ...readings, systolic: 200, diastolic: 125, glucoseContext: null },
        db,
      );
      expect(saved.ok).toBe(true);
      const r = await createUrgentFollowUp(checkId, '血压很高', '紧急', [], db);
      expect(r.ok).toBe(true);
      const need = await db.need.get((r as { needId: string }).needId);
      expect(need).toMatchObject(department ? { route: 'department', department } : { route: 'volunteers', department: '' });
      db.close();
    }
  });

  it('lets no volunteer change them on the phone either', async () => {
    const { db } = await phone('volunteer');
    expect(await saveTeamSettings({ grids: ['A1'], urgentDepartment: '' }, db)).toEqual({ ok: false, errors: { form: 'error.forbidden' } });
    expect(await db.teamSettings.count()).toBe(0);
    db.close();
  });
});

describe('a household and its residents', () => {
  it("registers the head as the household's first resident in the same save, once however often it is saved", async () => {
    const { db } = await phone('volunteer');
    const id = newId();
    const headResidentId = newId();
    const draft = { id, gridCode: 'A1', building: '3', room: '301', headName: '王秀英', phone: '13812345678', headResidentId };
    expect((await saveHousehold(draft, db)).ok).toBe(true);
    expect((await saveHousehold(draft, db)).ok).toBe(true);
    const residents = await db.resident.where('householdId').equals(id).toArray();
    expect(residents.map((r) => [r.id, r.name, r.phone])).toEqual([[headResidentId, '王秀英', '13812345678']]);
    // both on their way to the server
    expect(new Set((await db.outbox.toArray()).map((m) => m.type))).toEqual(new Set(['household', 'resident']));
    // without the option, no resident
    const other = newId();
    await saveHousehold({ id: other, gridCode: 'A1', building: '3', room: '302', headName: '李建华' }, db);
    expect(await db.resident.where('householdId').equals(other).count()).toBe(0);
    // a household the form refuses writes no resident either
    const bad = newId();
    expect(
      (await saveHousehold({ id: bad, gridCode: '', building: '3', room: '303', headName: '赵', headResidentId: newId() }, db)).ok,
    ).toBe(false);
    expect(await db.resident.where('householdId').equals(bad).count()).toBe(0);
    db.close();
  });

  it('finds residents from the health tab by name or address, consented or not', async () => {
    const { db } = await phone('volunteer');
    const h = newId();
    const head = newId();
    await saveHousehold({ id: h, gridCode: 'A1', building: '3栋', room: '301', headName: '王秀英', headResidentId: head }, db);
    await recordConsent(head, 'self', '', db);
    const byName = await findResidents('王秀', db);
    expect(byName.map((x) => [x.resident.name, x.consentActive])).toEqual([['王秀英', true]]);
    expect((await findResidents('3栋301', db)).map((x) => x.resident.id)).toEqual([head]);
    expect(await findResidents('  ', db)).toEqual([]);
    expect(await findResidents('张', db)).toEqual([]);
    db.close();
  });
});

describe('residents served on a repair day', () => {
  const ticket = (p: Partial<typeof REPAIR_TICKET_DEFAULTS> = {}) => ({
    ...REPAIR_TICKET_DEFAULTS,
    id: newId(),
    status: 'waiting' as const,
    ...p,
  });

  it('counts six anonymous items as at least one person, not six', () => {
    const s = summarizeRepairs(Array.from({ length: 6 }, () => ticket()));
    expect(s).toMatchObject({ items: 6, peopleServed: 1, peopleAtLeast: true });
    expect(summarizeRepairs([])).toMatchObject({ peopleServed: 0, peopleAtLeast: false });
    expect(
      summarizeRepairs([
        ticket({ residentName: '张' }),
        ticket({ residentPhone: '138 0000 1111' }),
        ticket({ residentPhone: '13800001111' }),
      ]),
    ).toMatchObject({
      peopleServed: 2,
      peopleAtLeast: false,
    });
  });

  it('never counts more people than items, nor fewer than the distinct named ones; anonymous items only make it "at least"', () => {
    const who = fc.option(fc.constantFrom('张', '李', '王'), { nil: '' });
    fc.assert(
      fc.property(fc.array(who, { maxLength: 30 }), (names) => {
        const s = summarizeRepairs(names.map((residentName) => ticket({ residentName })));
        const named = new Set(names.filter(Boolean)).size;
        expect(s.peopleServed).toBeLessThanOrEqual(s.items);
        expect(s.peopleServed).toBe(named > 0 ? named : names.length > 0 ? 1 : 0);
        expect(s.peopleAtLeast).toBe(names.some((n) => !n));
      }),
    );
  });
});
