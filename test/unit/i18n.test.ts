import { describe, expect, it } from 'vitest';
import { REPAIR_TICKET_DEFAULTS } from '../../src/shared/record-defaults.ts';
import { ERROR_CODES } from '../../src/shared/errors.ts';
import { en } from '../../src/shared/i18n/en.ts';
import { CATALOGUES, describeIssues, pickLocale, translate } from '../../src/shared/i18n/index.ts';
import { zhCN } from '../../src/shared/i18n/zh-CN.ts';
import { repairEventSchema, repairTicketSchema } from '../../src/shared/repair.ts';

describe('catalogues', () => {
  it('have exactly the same keys in zh-CN and en', () => {
    const zh = Object.keys(zhCN).sort();
    const english = Object.keys(en).sort();
    expect(english.filter((k) => !zh.includes(k))).toEqual([]);
    expect(zh.filter((k) => !english.includes(k))).toEqual([]);
  });

  it('have no empty message and the same {slots} in both languages', () => {
    for (const key of Object.keys(zhCN) as (keyof typeof zhCN)[]) {
      expect(zhCN[key].trim(), key).not.toBe('');
      expect(en[key].trim(), key).not.toBe('');
      const slots = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(slots(en[key]), key).toEqual(slots(zhCN[key]));
    }
  });

  it('have a message for every API error code', () => {
    for (const code of ERROR_CODES) {
      expect(Object.hasOwn(zhCN, `error.${code}`), code).toBe(true);
    }
  });

  it('fill slots', () => {
    expect(translate('zh-CN', 'sync.pending', { count: 3 })).toBe('3 条未上传');
    expect(translate('en', 'sync.pending', { count: 3 })).toBe('3 to upload');
  });

  it('pick the language from Accept-Language, Chinese by default', () => {
    expect(pickLocale('en-GB,en;q=0.9')).toBe('en');
    expect(pickLocale('zh-CN,zh;q=0.9')).toBe('zh-CN');
    expect(pickLocale(undefined)).toBe('zh-CN');
    expect(Object.keys(CATALOGUES)).toEqual(['zh-CN', 'en']);
  });
});

describe('schema validation messages', () => {
  const base = {
    id: '0190a000-0000-7000-8000-000000000001',
    teamId: '0190a000-0000-7000-8000-000000000002',
    createdAt: '2026-11-22T08:00:00.000Z',
    createdBy: '0190a000-0000-7000-8000-000000000003',
    updatedAt: '2026-11-22T08:00:00.000Z',
    deleted: false,
  };

  it('accept a complete event', () => {
    expect(
      repairEventSchema.safeParse({
        ...base,
        title: '秋季维修日',
        date: '2026-11-22',
        site: '3号楼前',
        status: 'open',
        kind: 'repair',
        volunteerCount: 4,
        volunteerHours: 16,
      }).success,
    ).toBe(true);
  });

  it('explain an empty title and an impossible date in both languages', () => {
    const r = repairEventSchema.safeParse({
      ...base,
      title: '  ',
      date: '2026-02-30',
      site: '3号楼前',
      status: 'open',
      kind: 'repair',
      volunteerCount: 0,
      volunteerHours: 0,
    });
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(describeIssues('zh-CN', r.error.issues)).toBe('title：必填; date：不是有效的日期，应为 年-月-日，如 2026-05-01');
    expect(describeIssues('en', r.error.issues)).toBe('title: Required; date: Not a real date: use year-month-day, e.g. 2026-05-01');
  });

  it('name unknown fields and wrong types', () => {
    // the defaults (shared with the phone) and the team's and author's fields make a valid ticket
    const ticket = { ...REPAIR_TICKET_DEFAULTS, ...base, number: 'B-017', category: 'fan', item: '台扇', problem: '不转' };
    expect(repairTicketSchema.safeParse(ticket).success).toBe(true);
    const r = repairTicketSchema.safeParse({ ...ticket, problem: '', feeFen: 1.5, extra: 1 });
    expect(r.success).toBe(false);
    if (r.success) return;
    const zh = describeIssues('zh-CN', r.error.issues);
    const english = describeIssues('en', r.error.issues);
    expect(zh).toContain('不认识的字段：extra');
    expect(english).toContain('Unknown field: extra');
    expect(english).toContain('problem: Required');
    expect(english).toContain('feeFen: Must be a whole number');
    expect(zh).toContain('feeFen：应为整数');
  });

  it('refuse a malformed ticket number and phone', () => {
    const r = repairTicketSchema.safeParse({ number: 'b17', residentPhone: 'call me' });
    expect(r.success).toBe(false);
    if (r.success) return;
    const text = describeIssues(
      'en',
      r.error.issues.filter((i) => ['number', 'residentPhone'].includes(String(i.path[0]))),
    );
    expect(text).toBe('number: Use letter-number, e.g. B-017; residentPhone: A phone number may hold only digits, spaces, + and -');
  });
});

describe('the first screen’s strings ship with it', () => {
  // what App, the event list and the bars render before the rest of the Chinese arrives
  const FIRST_SCREEN = [
    'src/app/App.tsx',
    'src/app/screens/EventsScreen.tsx',
    'src/app/components/SyncBar.tsx',
    'src/app/components/SyncBadge.tsx',
    'src/app/components/UpdateBanner.tsx',
  ];

  it('every key they use — literal, or a `prefix.${…}` family — is in the core catalogue', async () => {
    const fs = await import('node:fs');
    const { zhCNCore } = await import('../../src/shared/i18n/zh-CN-core.ts');
    const core = Object.keys(zhCNCore);
    for (const file of FIRST_SCREEN) {
      const src = fs.readFileSync(file, 'utf8');
      for (const [, key] of src.matchAll(/\bt\('([\w.]+)'/g)) expect(core, `${file}: ${key}`).toContain(key);
      for (const [, prefix] of src.matchAll(/\bt\(`([\w.]+)\$\{/g))
        expect(
          core.some((k) => k.startsWith(prefix!)),
          `${file}: ${prefix}…`,
        ).toBe(true);
      for (const [, key] of src.matchAll(/key: '([\w.]+)'/g)) expect(core, `${file}: ${key}`).toContain(key);
    }
  });
});
