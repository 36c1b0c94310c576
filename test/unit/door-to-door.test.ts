import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkAccess, checkReferences } from '../../src/server/push-rules.ts';
import {
  addressKey,
  findSameAddress,
  householdTerms,
  maskPhone,
  residentTerms,
  sameDwelling,
  searchKeys,
} from '../../src/shared/address.ts';
import { allowedSteps, ageBucket, NEED_STATUSES, NEED_STEPS, suggestedRoute, takeStep, type NeedStatus } from '../../src/shared/need.ts';
import { addDays, compareDue, daysBetween, dueState, localDay } from '../../src/shared/visit.ts';

const NOW = '2026-11-23T08:00:00.000Z';

describe('due dates', () => {
  it('a household never visited is due from the day it was registered', () => {
    expect(dueState({ registeredOn: '2026-11-01', intervalDays: 30, lastMetOn: null, followUpOn: null }, '2026-11-23')).toEqual({
      dueOn: '2026-11-01',
      overdueDays: 22,
      followUpDue: false,
      isDue: true,
    });
  });

  it('the interval counts from the last visit where someone was met, across month and year ends', () => {
    expect(
      dueState({ registeredOn: '2026-01-01', intervalDays: 14, lastMetOn: '2026-11-20', followUpOn: null }, '2026-11-23'),
    ).toMatchObject({
      dueOn: '2026-12-04',
      overdueDays: -11,
      isDue: false,
    });
    expect(addDays('2026-12-25', 7)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(daysBetween('2026-11-23', '2026-11-23')).toBe(0);
    // due on the day itself
    expect(dueState({ registeredOn: '2026-01-01', intervalDays: 7, lastMetOn: '2026-11-16', followUpOn: null }, '2026-11-23').isDue).toBe(
      true,
    );
  });

  it('a follow-up asked for makes a household due on its day, even inside the interval', () => {
    const d = dueState({ registeredOn: '2026-01-01', intervalDays: 30, lastMetOn: '2026-11-20', followUpOn: '2026-11-23' }, '2026-11-23');
    expect(d).toMatchObject({ followUpDue: true, isDue: true });
    expect(
      dueState({ registeredOn: '2026-01-01', intervalDays: 30, lastMetOn: '2026-11-20', followUpOn: '2026-11-24' }, '2026-11-23').isDue,
    ).toBe(false);
  });

  it('orders follow-ups first, then the longest overdue', () => {
    const a = dueState({ registeredOn: '2026-01-01', intervalDays: 30, lastMetOn: '2026-09-01', followUpOn: null }, '2026-11-23');
    const b = dueState({ registeredOn: '2026-01-01', intervalDays: 30, lastMetOn: '2026-10-01', followUpOn: null }, '2026-11-23');
    const c = dueState({ registeredOn: '2026-01-01', intervalDays: 30, lastMetOn: '2026-11-20', followUpOn: '2026-11-22' }, '2026-11-23');
    expect([b, a, c].sort(compareDue)).toEqual([c, a, b]);
  });

  it('a day is a calendar day in a given zone: just after midnight in Shanghai it is still yesterday in UTC', () => {
    const instant = '2026-11-23T16:12:00.000Z';
    expect(localDay(instant, 'Asia/Shanghai')).toBe('2026-11-24');
    expect(localDay(instant, 'UTC')).toBe('2026-11-23');
    expect(localDay(Date.parse('2026-11-23T15:59:59.999Z'), 'Asia/Shanghai')).toBe('2026-11-23');
  });

  it('addDays and daysBetween are inverse (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2090-01-01'), noInvalidDate: true }),
        fc.integer({ min: -4000, max: 4000 }),
        (d, n) => {
          const day = d.toISOString().slice(0, 10);
          return daysBetween(day, addDays(day, n)) === n;
        },
      ),
    );
  });
});

describe('need transitions (the double closed loop)', () => {
  const need = (status: NeedStatus, route: 'department' | 'volunteers' = 'volunteers', department = '') => ({ status, route, department });

  it('walks open → assigned → in progress → resolved, then reopens', () => {
    let s: NeedStatus = 'open';
    const a = takeStep(need(s), { step: 'assigned', assignee: '李阿姨' }, NOW);
    expect(a).toEqual({ ok: true, to: 'assigned', fields: { status: 'assigned', assignee: '李阿姨' } });
    s = 'assigned';
    expect(takeStep(need(s), { step: 'accepted' }, NOW)).toMatchObject({ ok: true, to: 'inProgress' });
    s = 'inProgress';
    expect(takeStep(need(s), { step: 'resolved', note: '已送药上门' }, NOW)).toEqual({
      ok: true,
      to: 'resolved',
      fields: { status: 'resolved', resolution: '已送药上门', resolvedAt: NOW },
    });
    expect(takeStep(need('resolved'), { step: 'reopened' }, NOW)).toMatchObject({
      ok: true,
      to: 'open',
      fields: { evaluation: null, resolvedAt: null },
    });
  });

  it('refuses illegal jumps with a message key, and every step off its list', () => {
    expect(takeStep(need('open'), { step: 'resolved', note: 'x' }, NOW)).toEqual({ ok: false, error: 'v.needStep' });
    expect(takeStep(need('open'), { step: 'accepted' }, NOW)).toEqual({ ok: false, error: 'v.needStep' });
    expect(takeStep(need('resolved'), { step: 'assigned', assignee: 'x' }, NOW)).toEqual({ ok: false, error: 'v.needStep' });
    for (const status of NEED_STATUSES) {
      for (const step of NEED_STEPS) {
        const result = takeStep(need(status, 'department', '民政科'), { step, assignee: '某人', note: '原因' }, NOW);
        expect(result.ok, `${status} → ${step}`).toBe(allowedSteps(status).includes(step));
      }
    }
  });

  it('asks for an assignee, a resolution, a reason; a department route assigns to its department by default', () => {
    expect(takeStep(need('open'), { step: 'assigned', assignee: '  ' }, NOW)).toEqual({ ok: false, error: 'v.assigneeRequired' });
    expect(takeStep(need('open', 'department', '街道民政科'), { step: 'assigned' }, NOW)).toMatchObject({
      ok: true,
      fields: { assignee: '街道民政科' },
    });
    expect(takeStep(need('inProgress'), { step: 'resolved', note: '' }, NOW)).toEqual({ ok: false, error: 'v.resolutionRequired' });
    expect(takeStep(need('assigned'), { step: 'closed' }, NOW)).toEqual({ ok: false, error: 'v.reasonRequired' });
  });

  it('suggests the department route for policy matters only; buckets ages', () => {
    expect(suggestedRoute('policy')).toBe('department');
    expect(suggestedRoute('medical')).toBe('volunteers');
    expect([0, 2, 3, 7, 8, 30, 31].map(ageBucket)).toEqual(['d0to2', 'd0to2', 'd3to7', 'd3to7', 'd8to30', 'd8to30', 'd31plus']);
  });
});

describe('same address', () => {
  const h = (id: string, building: string, unit: string, room: string, compound = '', deleted = false) => ({
    id,
    compound,
    building,
    unit,
    room,
    deleted,
  });

  it('treats different spellings of one dwelling as the same', () => {
    expect(addressKey(h('a', '3栋', '2单元', '301室'))).toBe(addressKey(h('b', '3', '2', '301')));
    expect(addressKey(h('a', '３号楼', '二单元'.replace('二', '2'), '０３０１'))).toBe(addressKey(h('b', '03', '2', '301')));
    expect(addressKey(h('a', '3', '2', '301', '东湖小区'))).toBe(addressKey(h('b', '3', '2', '301', '东湖')));
  });

  it('tells different dwellings apart', () => {
    expect(addressKey(h('a', '3', '2', '301'))).not.toBe(addressKey(h('b', '3', '2', '302')));
    expect(addressKey(h('a', '3', '2', '301'))).not.toBe(addressKey(h('b', '3', '1', '301')));
    expect(addressKey(h('a', '3', '2', '301', '东湖'))).not.toBe(addressKey(h('b', '3', '2', '301', '西湖')));
  });

  it('reads the spellings the street uses as one dwelling: stacked compound words, markers, Chinese numerals, 2-301, no compound', () => {
    const dh = h('a', '3', '2', '301', '东湖花园');
    expect(addressKey(h('b', '3栋', '二单元', '301', '东湖花园小区'))).toBe(addressKey(dh));
    expect(addressKey(h('b', '三栋', '2', '三零一室', '东湖'))).toBe(addressKey(dh));
    expect(addressKey(h('b', '3号楼', '', '2-301', '东湖社区'))).toBe(addressKey(dh));
    expect(addressKey(h('b', '3幢', '', '2单元301户', '东湖家属院'))).toBe(addressKey(dh));
    expect(addressKey(h('b', '第3座', '2门', '三百零一', ' 东湖园 '))).toBe(addressKey(dh));
    expect(sameDwelling(h('b', '3', '2', '301', ''), dh)).toBe(true);
    expect(findSameAddress(h('new', '3栋', '二单元', '301', '东湖花园小区'), [dh]).map((x) => x.id)).toEqual(['a']);
    expect(findSameAddress(h('new', '3', '', '2-301'), [dh]).map((x) => x.id)).toEqual(['a']);
    // a compound that is nothing but a compound word keeps its name
    expect(addressKey(h('b', '1', '', '1', '花园'))).not.toBe(addressKey(h('c', '1', '', '1', '')));
    expect(addressKey(h('b', '十二栋', '', '一〇一', ''))).toBe(addressKey(h('c', '12', '', '101', '')));
  });

  // how a volunteer may write each number: as digits (full-width too, with leading zeros), in
  // Chinese, with its marker or without
  const CN = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
  const spell = (n: number, markers: string[]) =>
    fc
      .tuple(fc.constantFrom<'digits' | 'wide' | 'zero' | 'chinese'>('digits', 'wide', 'zero', 'chinese'), fc.constantFrom('', ...markers))
      .map(([how, marker]) => {
        const digits = String(n);
        const body =
          how === 'digits'
            ? digits
            : how === 'wide'
              ? digits.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))
              : how === 'zero'
                ? `0${digits}`
                : [...digits].map((d) => CN[Number(d)]).join('');
        return body + marker;
      });
  const dwelling = fc.record({
    compound: fc.constantFrom('东湖', '西湖', '幸福', '阳光'),
    building: fc.integer({ min: 1, max: 40 }),
    unit: fc.integer({ min: 1, max: 9 }),
    room: fc.integer({ min: 101, max: 3204 }),
  });
  const written = (d: { compound: string; building: number; unit: number; room: number }) =>
    fc
      .tuple(
        fc.constantFrom('', '小区', '花园', '花园小区', '社区', '苑', '家属院'),
        spell(d.building, ['栋', '号楼', '幢', '座', '号']),
        spell(d.unit, ['单元']),
        spell(d.room, ['室', '户', '号']),
        fc.boolean(),
      )
      .map(([suffix, building, unit, room, unitInRoom]) =>
        unitInRoom ? h('x', building, '', `${unit}-${room}`, d.compound + suffix) : h('x', building, unit, room, d.compound + suffix),
      );

  it('gives every way of writing a dwelling the same key (property)', () => {
    fc.assert(
      fc.property(
        dwelling.chain((d) => fc.tuple(written(d), written(d))),
        ([a, b]) => addressKey(a) === addressKey(b) && sameDwelling(a, b),
      ),
      { numRuns: 500 },
    );
  });

  it('keeps dwellings that differ in any number or in the compound apart, however written (property)', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(dwelling, dwelling)
          .filter(([d1, d2]) => JSON.stringify(d1) !== JSON.stringify(d2))
          .chain(([d1, d2]) => fc.tuple(written(d1), written(d2))),
        ([a, b]) => !sameDwelling(a, b) && addressKey(a) !== addressKey(b),
      ),
      { numRuns: 200 },
    );
    expect(sameDwelling(h('a', '3', '2', '301'), h('b', '3', '2', '302'))).toBe(false);
    expect(sameDwelling(h('a', '3', '2', '301', '东湖'), h('b', '3', '2', '301', '西湖'))).toBe(false);
    expect(sameDwelling(h('a', '3', '2', '301'), h('b', '3', '', '2301'))).toBe(false);
    expect(sameDwelling(h('a', '3', '2', '301'), h('b', '32', '', '301'))).toBe(false);
  });

  it('finds the existing households at the same address, not itself, not deleted ones', () => {
    const all = [h('a', '3栋', '2单元', '301'), h('b', '3', '2', '302'), h('c', '3', '2', '301', '', true)];
    expect(findSameAddress(h('new', '3', '2', '301室'), all).map((x) => x.id)).toEqual(['a']);
    expect(findSameAddress(h('a', '3', '2', '301'), all, 'a')).toEqual([]);
    expect(findSameAddress(h('new', '', '', ''), all)).toEqual([]);
  });
});

describe('phones in lists and search words', () => {
  it('masks a mobile number as 138****5678 and short ones to their last two digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('138 1234 5678')).toBe('138****5678');
    expect(maskPhone('+86 138 1234 5678')).toBe('138****5678');
    expect(maskPhone('0086 13812345678')).toBe('138****5678');
    expect(maskPhone('010-6512 3456')).toBe('010****3456');
    expect(maskPhone('12345')).toBe('***45');
    expect(maskPhone('')).toBe('');
  });

  it('never shows the middle of a number (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^1[3-9]\d{9}$/), (phone) => {
        const masked = maskPhone(phone);
        // the digits in positions 4–7 are replaced, whatever they are (they may repeat elsewhere)
        return (
          masked === `${phone.slice(0, 3)}****${phone.slice(7)}` && masked.slice(3, 7) === '****' && masked.replace(/\D/g, '').length === 7
        );
      }),
    );
  });

  it('finds a household by any part of the name, phone ending or start, grid code, room, building-unit-room', () => {
    const terms = householdTerms({
      headName: '王秀英',
      phone: '13812345678',
      gridCode: 'A3',
      compound: '',
      building: '3栋',
      unit: '2单元',
      room: '301',
    });
    const finds = (q: string) => terms.some((t) => searchKeys(q).some((k) => t.startsWith(k)));
    for (const q of [
      '王秀英',
      '秀英',
      '英',
      '5678',
      '138',
      '13812345678',
      'a3',
      'A3',
      '301',
      '3-2-301',
      '3栋2单元301',
      '3/2/301',
      '三栋二单元301',
      '3-2',
    ])
      expect(finds(q), q).toBe(true);
    for (const q of ['李', '9999', 'b3', '302', '4-2-301']) expect(finds(q), q).toBe(false);
    expect(residentTerms({ name: '张建国' })).toEqual(['张建国', '建国', '国']);
  });

  it('finds a grid code without its hyphens, spaces or case', () => {
    const terms = householdTerms({ headName: '王秀英', phone: '', gridCode: 'dh-03', compound: '', building: '3', unit: '', room: '301' });
    const finds = (q: string) => terms.some((t) => searchKeys(q).some((k) => t.startsWith(k)));
    for (const q of ['dh-03', 'DH03', 'dh 03', 'Dh-03', 'ＤＨ０３', 'dh']) expect(finds(q), q).toBe(true);
    expect(finds('dh04')).toBe(false);
  });
});

describe('merging households on the server (push rules)', () => {
  const id = '0190a0a0-0000-7000-8000-000000000001';
  const other = '0190a0a0-0000-7000-8000-000000000002';
  it('only a coordinator (or an admin) may merge, never a household into itself; saving a household that merges nothing needs no role', () => {
    expect(checkAccess('household', id, 'team', 'volunteer', { mergedInto: other, deleted: true })).toEqual({ code: 'forbidden' });
    expect(checkAccess('household', id, 'team', 'coordinator', { mergedInto: other, deleted: true })).toBeNull();
    expect(checkAccess('household', id, 'team', 'admin', { mergedInto: other })).toBeNull();
    expect(checkAccess('household', id, 'team', 'coordinator', { mergedInto: id })).toMatchObject({ code: 'validation' });
    expect(checkAccess('household', id, 'team', 'volunteer', { mergedInto: null, headName: '王' })).toBeNull();
  });

  it('a merge goes only into a household still there: the later of two crossed merges is refused with the reason, no circle', () => {
    const live = { teamId: 'team', type: 'household', fields: { deleted: false } };
    const gone = { teamId: 'team', type: 'household', fields: { deleted: true, mergedInto: id } };
    expect(checkReferences('household', 'team', { mergedInto: other, deleted: true }, () => live)).toBeNull();
    expect(checkReferences('household', 'team', { mergedInto: other, deleted: true }, () => gone)).toEqual({
      code: 'validation',
      detail: 'v.mergeTarget',
    });
    expect(checkReferences('household', 'team', { mergedInto: other }, () => ({ ...live, teamId: 'elsewhere' }))).toEqual({
      code: 'forbidden',
    });
  });
});
