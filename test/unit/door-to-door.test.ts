import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressKey, findSameAddress, householdTerms, maskPhone, residentTerms, searchKey } from '../../src/shared/address.ts';
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
    const finds = (q: string) => terms.some((t) => t.startsWith(searchKey(q)));
    for (const q of ['王秀英', '秀英', '英', '5678', '138', '13812345678', 'a3', 'A3', '301', '3-2-301', '3栋2单元301', '3/2/301', '3-2'])
      expect(finds(q), q).toBe(true);
    for (const q of ['李', '9999', 'b3', '302', '4-2-301']) expect(finds(q), q).toBe(false);
    expect(residentTerms({ name: '张建国' })).toEqual(['张建国', '建国', '国']);
  });
});
