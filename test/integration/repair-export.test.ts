/**
 * Repair reports on the real server (issue 3): an event's summary equals the phone's, the
 * ORDS export satisfies `shared/data/ords/tableschema.json` column for column and carries no
 * personal data, the full CSV opens in Excel/WPS and cannot inject formulas, and both
 * exports are the coordinator's alone and audited.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/data/records.ts';
import { asTicket } from '../../src/data/repair.ts';
import { eventSummary } from '../../src/data/event-summary.ts';
import { saveRepairEvent, saveRepairTicket } from '../../src/data/repair-save.ts';
import { summarizeRepairs } from '../../src/shared/repair-summary.ts';
import { BACKENDS, Device, HttpClient, startServer, type TestServer } from './harness.ts';

interface SchemaField {
  name: string;
  type: string;
  format?: string;
  constraints?: { pattern?: string; enum?: string; unique?: string };
}
const ORDS_SCHEMA = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../fixtures/ords/tableschema.json'), 'utf8')) as {
  resources: { schema: { fields: SchemaField[] } }[];
};
const ORDS_FIELDS = ORDS_SCHEMA.resources[0]!.schema.fields;

/** Checks every row against the Table Schema: column order, patterns, enums, types, uniqueness. */
function validateAgainstOrds(csv: string): Record<string, string>[] {
  const rows = parse(csv, { bom: true }) as string[][];
  const [header, ...body] = rows;
  expect(header).toEqual(ORDS_FIELDS.map((f) => f.name));
  const seen = new Map<string, Set<string>>();
  for (const row of body) {
    expect(row.length).toBe(ORDS_FIELDS.length);
    ORDS_FIELDS.forEach((f, i) => {
      const v = row[i]!;
      const optional = /Optional/.test((f as { description?: string }).description ?? '') || f.name === 'repair_barrier_if_end_of_life';
      if (v === '' && optional) return;
      const c = f.constraints ?? {};
      if (c.pattern) expect(v, `${f.name}=${v}`).toMatch(new RegExp(c.pattern));
      if (c.enum) {
        const allowed = c.enum
          .replace(/^\[|\]$/g, '')
          .split(',')
          .map((s) => s.trim());
        expect(allowed, `${f.name}=${v}`).toContain(v);
      }
      if (f.type === 'integer') expect(v, f.name).toMatch(/^-?\d+$/);
      if (f.type === 'number') expect(Number.isFinite(Number(v)), f.name).toBe(true);
      if (f.type === 'date') {
        expect(v, f.name).toMatch(/^\d{4}-\d\d-\d\d$/);
        expect(new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10)).toBe(v);
      }
      if (c.unique === 'true') {
        const s = seen.get(f.name) ?? new Set();
        expect(s.has(v), `${f.name} unique`).toBe(false);
        s.add(v);
        seen.set(f.name, s);
      }
    });
  }
  return body.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}

interface Err {
  error: { code: string; message: string };
}

describe.each(BACKENDS)('repair reports on $name', (backend) => {
  let server: TestServer;
  let teamId: string;
  let otherTeam: string;
  const coord = new HttpClient('');
  const volunteerDevice: { d?: Device } = {};
  const eventId = newId();
  const phoneState: { summary?: unknown } = {};

  beforeAll(async () => {
    server = await startServer(backend);
    teamId = await server.addTeam('东湖社区');
    otherTeam = await server.addTeam('西湖社区');
    const v = await server.addUser(teamId, 'xiu-vol');
    const c = await server.addUser(teamId, 'xiu-coord', 'coordinator');
    Object.assign(coord, new HttpClient(server.url));
    const login = await coord.json('/api/auth/login', { body: { username: c.username, password: c.password } });
    expect(login.status).toBe(200);

    const d = new Device(server);
    volunteerDevice.d = d;
    await d.signIn(v.username, v.password);
    expect(
      (
        await saveRepairEvent(
          { id: eventId, title: '秋季维修日', date: '2026-11-21', site: '3号楼前', status: 'open', volunteerCount: 5, volunteerHours: 20 },
          d.db,
        )
      ).ok,
    ).toBe(true);
    const take = async (over: Parameters<typeof saveRepairTicket>[0]) => {
      const r = await saveRepairTicket(over, d.db);
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      return r.record;
    };
    await take({
      id: newId(),
      eventId,
      category: 'fan',
      problem: '不转',
      residentName: '王秀英',
      residentPhone: '13800138000',
      brand: '美的',
      ageYears: 8,
      status: 'collected',
      outcome: 'fixed',
      feeTier: 'standard',
      materialsFen: 300,
      feeFen: 800,
    });
    await take({
      id: newId(),
      eventId,
      category: 'kettle',
      problem: '=HYPERLINK("http://evil")',
      residentName: '+张大爷',
      residentPhone: '13900000000',
      status: 'done',
      outcome: 'endOfLife',
      barrier: 'partsUnavailable',
    });
    await take({
      id: newId(),
      eventId,
      category: 'umbrella',
      problem: '伞骨断了，联系 138-0013-8000 取件',
      brand: '天堂 客服4008208820',
      status: 'collected',
      outcome: 'repairable',
      nextStep: 'comeBack',
      feeTier: 'waived',
      materialsFen: 200,
      feeFen: 0,
      subsidyFen: 200,
    });
    await take({
      id: newId(),
      eventId,
      category: 'miscUnpowered',
      weightKg: 1.5,
      problem: '椅子腿松',
      status: 'collected',
      outcome: 'fixed',
      feeTier: 'lowIncome',
      materialsFen: 150,
      feeFen: 150,
    });
    await take({ id: newId(), eventId, category: 'radio', problem: '没声音', status: 'cancelled' });
    await take({ id: newId(), eventId, category: 'lamp', problem: '不亮', status: 'waiting' });
    // another day, outside the export's range
    const later = newId();
    await saveRepairEvent({ id: later, title: '冬季维修日', date: '2026-12-20', site: '活动室', status: 'planned' }, d.db);
    await take({ id: newId(), eventId: later, category: 'fan', problem: '异响', status: 'waiting' });
    await d.syncUntilClean();
    phoneState.summary = await eventSummary(eventId, d.db);
  });
  afterAll(async () => {
    await volunteerDevice.d?.close();
    await server.stop();
  });

  it("gives an event's summary equal to the phone's", async () => {
    const res = await coord.json<{ summary: unknown }>(`/api/repair/events/${eventId}/summary`);
    expect(res.status).toBe(200);
    expect(res.body.summary).toEqual(phoneState.summary);
    expect(res.body.summary).toMatchObject({
      items: 5,
      // 王秀英 and 张大爷; the three items without a name or phone may be theirs: "at least 2"
      peopleServed: 2,
      peopleAtLeast: true,
      fixed: 2,
      volunteers: 5,
      volunteerHours: 20,
      feesFen: 950,
      subsidiesFen: 200,
    });
    const missing = await coord.json<Err>(`/api/repair/events/${newId()}/summary`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });

  it('dashboard: aggregates for a date range match the hand-computed figures and the event summary', async () => {
    const res = await coord.json<{ repairs: Record<string, unknown> }>('/api/dashboard?from=2026-11-01&to=2026-11-30');
    expect(res.status).toBe(200);
    const r = res.body.repairs as {
      co2eKg: number;
      wasteKg: number;
      days: unknown[];
      byCategory: { category: string; tickets: number; fixed: number }[];
    };
    expect(r).toMatchObject({
      tickets: 5,
      byStatus: { waiting: 1, repairing: 0, done: 1, collected: 3, cancelled: 1, noShow: 0 },
      byOutcome: { fixed: 2, repairable: 1, endOfLife: 1, unknown: 0, none: 1 },
      fixedRate: 0.5,
      feesFen: 950,
      subsidiesFen: 200,
    });
    // fan 15.60 × 0.5 + a 1.5 kg unpowered misc item × 17.70 × 0.5
    expect(r.co2eKg).toBeCloseTo(7.8 + 1.5 * 17.7 * 0.5, 1);
    expect(r.wasteKg).toBeCloseTo(3.9 + 1.5, 5);
    const summary = phoneState.summary as { co2eKg: number; wasteKg: number; fixedRate: number };
    expect(r.co2eKg).toBe(summary.co2eKg);
    expect(r.wasteKg).toBe(summary.wasteKg);
    expect(r.days).toEqual([{ day: '2026-11-21', tickets: 5, fixed: 2, co2eKg: r.co2eKg }]);
    expect(r.byCategory.find((c) => c.category === 'fan')).toEqual({ category: 'fan', tickets: 1, fixed: 1 });
    const december = await coord.json<{ repairs: { tickets: number; days: { day: string }[] } }>(
      '/api/dashboard?from=2026-12-01&to=2026-12-31',
    );
    expect(december.body.repairs.tickets).toBe(1);
    expect(december.body.repairs.days.map((d) => d.day)).toEqual(['2026-12-20']);
    const bad = await coord.json<Err>('/api/dashboard?from=2026-12-31&to=2026-12-01');
    expect(bad.status).toBe(400);
  });

  it('exports ORDS v0.3 rows that satisfy the schema file, with no personal data', async () => {
    const res = await coord.fetch('/api/export/repairs.ords.csv?from=2026-11-01&to=2026-11-30');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const csv = await res.text();
    const rows = validateAgainstOrds(csv);
    // cancelled items are not repair attempts; the December event is out of range
    expect(rows.length).toBe(5);
    expect(rows.map((r) => r.repair_status).sort()).toEqual(['End of life', 'Fixed', 'Fixed', 'Repairable', 'Unknown']);
    const fan = rows.find((r) => r.partner_product_category === 'Fan')!;
    expect(fan).toMatchObject({
      country: 'CHN',
      data_provider: 'Linli',
      product_category: 'Fan',
      product_category_id: '7',
      brand: '美的',
      product_age: '8',
      year_of_manufacture: '2018',
      event_date: '2026-11-21',
      group_identifier: '东湖社区',
    });
    const kettle = rows.find((r) => r.product_category === 'Kettle')!;
    expect(kettle.repair_barrier_if_end_of_life).toBe('Spare parts not available');
    expect(kettle.brand).toBe('Unknown');
    const umbrella = rows.find((r) => r.partner_product_category === 'Umbrella')!;
    expect(umbrella.product_category).toBe('Misc');
    // a phone number typed into free text is open data no longer: digits masked, the rest kept
    expect(umbrella.problem).toBe('伞骨断了，联系 ***-****-**** 取件');
    expect(umbrella.brand).toBe('天堂 客服**********');
    // formula-safe without changing what the cell reads as
    expect(kettle.problem).toBe('\u200b=HYPERLINK("http://evil")');
    expect(csv.charCodeAt(0)).not.toBe(0xfeff);
    for (const secret of ['王秀英', '13800138000', '138-0013-8000', '4008208820', '张大爷', '13900000000'])
      expect(csv).not.toContain(secret);
  });

  it('open data is safe: no cell of the ORDS export is a formula (brand, team name, a tab hiding an =), ID-card and phone numbers masked, ordinary text reads exactly as typed, rows valid', async () => {
    const hostileTeam = await server.addTeam("=cmd|' /C calc'!A0");
    const v = await server.addUser(hostileTeam, 'ords-vol');
    const c = await server.addUser(hostileTeam, 'ords-coord', 'coordinator');
    const d = new Device(server);
    await d.signIn(v.username, v.password);
    const ev = newId();
    expect((await saveRepairEvent({ id: ev, title: '十月', date: '2026-10-10', site: '院子', status: 'open' }, d.db)).ok).toBe(true);
    const ordinary = [
      '-插头松动',
      '+号键坏了',
      '@开关失灵',
      '不转了',
      '有异响',
      '220V 插座烧了',
      '3号楼 502 的电扇',
      '型号 FS40-13 不摇头',
      '2019年买的，刀口钝',
      '=号旋钮掉了',
    ];
    const hostile = [
      { brand: "=cmd|' /C calc'!A0", problem: '联系13800138000取件' },
      { brand: '\t=1+1', problem: '身份证 11010519491231002X 的老人' },
      { brand: '@SUM(A1)', problem: '座机 021-6234 5678，手机 +86 139 0000 1111' },
    ];
    for (const [i, t] of [...ordinary.map((problem) => ({ brand: '美的', problem })), ...hostile].entries()) {
      const r = await saveRepairTicket(
        { id: newId(), eventId: ev, category: i % 2 ? 'fan' : 'knife', ...t, status: 'collected', outcome: 'fixed' },
        d.db,
      );
      expect(r.ok, JSON.stringify(r)).toBe(true);
    }
    await d.syncUntilClean();
    const h = new HttpClient(server.url);
    await h.json('/api/auth/login', { body: { username: c.username, password: c.password } });
    const csv = await (await h.fetch('/api/export/repairs.ords.csv?from=2026-10-01&to=2026-10-31')).text();
    const rows = validateAgainstOrds(csv);
    expect(rows).toHaveLength(ordinary.length + hostile.length);
    for (const row of rows) for (const cell of Object.values(row)) expect(cell, cell).not.toMatch(/^[=+\-@\t\r]/);
    // ordinary text reads exactly as typed: untouched, or behind an invisible zero-width space
    const problems = rows.map((r) => r.problem);
    for (const text of ordinary) expect(problems).toContain(/^[=+\-@]/.test(text) ? `\u200b${text}` : text);
    expect(rows[0]!.group_identifier).toBe("\u200b=cmd|' /C calc'!A0");
    expect(problems).toContain('联系***********取件');
    expect(problems).toContain('身份证 ****************** 的老人');
    expect(problems).toContain('座机 ***-**** ****，手机 +** *** **** ****');
    const brands = new Set(rows.map((r) => r.brand));
    expect(brands).toContain("\u200b=cmd|' /C calc'!A0");
    expect(brands).toContain('\u200b@SUM(A1)');
    for (const secret of ['13800138000', '11010519491231002X', '6234 5678', '139 0000 1111']) expect(csv).not.toContain(secret);
    await d.close();
  });

  it('exports every ticket field with Chinese headers, a BOM, and formula-safe cells', async () => {
    const res = await coord.fetch('/api/export/repairs.csv?from=2026-11-21&to=2026-11-21');
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(Buffer.from(bytes), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.length).toBe(6);
    const fan = rows.find((r) => r['类别'] === '电风扇')!;
    expect(fan).toMatchObject({
      居民姓名: '王秀英',
      居民电话: '13800138000',
      状态: '已取回',
      结果: '已修好',
      '收费（元）': '8.00',
      '材料费（元）': '3.00',
    });
    const kettle = rows.find((r) => r['类别'] === '电水壶')!;
    expect(kettle['问题描述']).toBe('\u200b=HYPERLINK("http://evil")');
    expect(kettle['居民姓名']).toBe('\u200b+张大爷');
    // the coordinator's own spreadsheet keeps the phone number as typed
    expect(rows.find((r) => r['类别'] === '雨伞')!['问题描述']).toBe('伞骨断了，联系 138-0013-8000 取件');
    for (const row of rows) for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    // when each was taken in, in the team's calendar (Asia/Shanghai), never raw UTC
    const stored = (await server.db.selectFrom('record').select('fields').where('type', '=', 'repairTicket').execute()).map(
      (r) => JSON.parse(r.fields) as { createdAt: string; residentName: string },
    );
    const fanAt = stored.find((t) => t.residentName === '王秀英')!.createdAt;
    const local = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    }).format(new Date(fanAt));
    expect(fan['登记时间']).toBe(local);
    for (const row of rows) expect(row['登记时间']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
  });

  it('keeps exports to coordinators and admins, refuses bad ranges in words, and audits each export', async () => {
    const vol = new HttpClient(server.url);
    const v2 = await server.addUser(teamId, 'xiu-vol2');
    await vol.json('/api/auth/login', { body: { username: v2.username, password: v2.password } });
    for (const p of ['/api/export/repairs.ords.csv', '/api/export/repairs.csv']) {
      const anon = await new HttpClient(server.url).json<Err>(`${p}?from=2026-11-01&to=2026-11-30`);
      expect(anon.status).toBe(401);
      const forbidden = await vol.json<Err>(`${p}?from=2026-11-01&to=2026-11-30`);
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.error.code).toBe('forbidden');
      const otherTeamAsked = await coord.json<Err>(`${p}?from=2026-11-01&to=2026-11-30&team=${otherTeam}`);
      expect(otherTeamAsked.status).toBe(403);
      for (const q of ['', '?from=2026-11-01', '?from=2026-13-01&to=2026-11-30', '?from=2026-11-30&to=2026-11-01', '?from=x&to=y']) {
        const bad = await coord.json<Err>(`${p}${q}`, { headers: { 'accept-language': 'zh-CN' } });
        expect(bad.status, `${p}${q}`).toBe(400);
        expect(bad.body.error.code).toBe('validation');
        expect(bad.body.error.message).toMatch(/[\u4e00-\u9fff]/);
      }
    }
    const before = await server.db
      .selectFrom('audit')
      .select(['action', 'detail', 'user_id', 'team_id'])
      .where('team_id', '=', teamId)
      .execute();
    const exports = before.filter((a) => a.action.startsWith('export.repairs'));
    // two successful exports above, none of the refused ones
    expect(exports.map((a) => a.action).sort()).toEqual(['export.repairs', 'export.repairs.ords']);
    expect(JSON.parse(exports.find((a) => a.action === 'export.repairs.ords')!.detail)).toEqual({
      from: '2026-11-01',
      to: '2026-11-30',
      rows: 5,
    });

    const admin = await server.addUser(otherTeam, 'xiu-admin', 'admin');
    const adm = new HttpClient(server.url);
    await adm.json('/api/auth/login', { body: { username: admin.username, password: admin.password } });
    const res = await adm.fetch(`/api/export/repairs.ords.csv?from=2026-11-01&to=2026-11-30&team=${teamId}`);
    expect(res.status).toBe(200);
    expect(validateAgainstOrds(await res.text()).length).toBe(5);
  });

  it("never lets another team read an event's summary", async () => {
    const outsider = await server.addUser(otherTeam, 'xiu-outsider');
    const c = new HttpClient(server.url);
    await c.json('/api/auth/login', { body: { username: outsider.username, password: outsider.password } });
    expect((await c.json<Err>(`/api/repair/events/${eventId}/summary`)).status).toBe(404);
    expect((await c.json<Err>(`/api/repair/events/${eventId}/summary?team=${teamId}`)).status).toBe(403);
  });

  it('computes the same summary from the rows the server holds', async () => {
    const rows = await server.db
      .selectFrom('record')
      .select('fields')
      .where('type', '=', 'repairTicket')
      .where('team_id', '=', teamId)
      .execute();
    const tickets = rows.map((r) => asTicket(JSON.parse(r.fields))).filter((t) => t.eventId === eventId);
    expect(summarizeRepairs(tickets, { volunteerCount: 5, volunteerHours: 20 })).toEqual(phoneState.summary);
  });
});

describe('ORDS categories', () => {
  it('name each Linli category by the ORDS v0.3 list (test/fixtures/ords, copied from shared/data/ords)', async () => {
    const { REPAIR_CATEGORIES } = await import('../../src/shared/repair-impact.ts');
    const list = parse(fs.readFileSync(path.resolve(__dirname, '../fixtures/ords/OpenRepairData_v0.3_Product_Categories.csv'), 'utf8'), {
      columns: true,
    }) as { product_category_id: string; product_category: string }[];
    const byId = new Map(list.map((r) => [Number(r.product_category_id), r.product_category]));
    for (const [key, cat] of Object.entries(REPAIR_CATEGORIES)) expect(byId.has(cat.ordsId), key).toBe(true);
    const { ORDS_CATEGORY_NAMES } = await import('../../src/server/repair-report.ts');
    for (const [id, name] of Object.entries(ORDS_CATEGORY_NAMES)) expect(byId.get(Number(id))).toBe(name);
  });
});
