/**
 * The street office's report on paper (issue 24): a month of a team's work is pushed to the
 * real server, a coordinator whose browser is set to New York (the team is in Shanghai)
 * opens the report, and Chromium renders it to A4 PDF — read back with pdf.js, page by page:
 * the title, period, prepared by and printed-at on page 1 with the headline figures and the
 * signature and seal line; page numbers on every page; no app chrome; every chart's title on
 * the page its picture is on; nothing printed twice; no resident's name until the
 * coordinator asks for the attention list, and then the paper says it is internal. In
 * Chinese, then in English. Every time shown is Shanghai's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { encodeHlc } from '../../src/shared/hlc.ts';
import { SCHEMA_VERSION } from '../../src/shared/protocol.ts';
import { RECORD_DEFAULTS, type RecordType } from '../../src/shared/record-defaults.ts';
import { newId } from '../../src/data/records.ts';
import { createEvent, serverForFile, signIn, takeInItem } from './helpers.ts';

const TEAM = '东湖社区';
const server = serverForFile(TEAM);
const TEAM_ZONE = 'Asia/Shanghai';
const at = (day: string, hour = 10) => new Date(Date.parse(`${day}T00:00:00+08:00`) + hour * 3_600_000).toISOString();

/** A month of work, through the sync endpoint as a phone would send it. */
async function seed(base: string, user: { username: string; password: string }) {
  const deviceId = Array.from({ length: 16 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...user, deviceId }),
  });
  expect(login.status).toBe(200);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const signedIn = (await login.json()) as { user: { id: string; teamId: string }; device: { letter: string } };
  const me = signedIn.user;
  const ids: Record<string, string> = {};
  const id = (name: string) => (ids[name] ??= newId());
  let counter = 0;
  const rec = (type: RecordType, name: string, fields: Record<string, unknown>) => ({
    id: newId(),
    type,
    rowId: id(name),
    hlc: encodeHlc({ ms: Date.now(), counter: counter++, node: deviceId }),
    fields: { ...RECORD_DEFAULTS[type], id: id(name), teamId: me.teamId, createdBy: me.id, updatedAt: String(fields.createdAt), ...fields },
  });
  const visit = (name: string, hh: string, day: string, safety: Record<string, string>) =>
    rec('visit', name, { householdId: id(hh), at: at(day), createdAt: at(day), kind: 'routine', outcome: 'met', ...safety });
  const mutations = [
    rec('household', 'H1', {
      gridCode: 'A1',
      building: '3',
      room: '101',
      headName: '王秀英',
      createdAt: at('2026-09-01'),
      visitIntervalDays: 30,
    }),
    rec('household', 'H2', {
      gridCode: 'A1',
      building: '3',
      room: '102',
      headName: '赵德明',
      createdAt: at('2026-10-01'),
      visitIntervalDays: 7,
    }),
    visit('V1', 'H1', '2026-10-10', { gas: 'problem' }),
    visit('V3', 'H1', '2026-11-15', { wiring: 'problem' }),
    visit('V4', 'H1', '2026-11-25', { wiring: 'problem' }),
    visit('V5', 'H2', '2026-11-05', { smokeAlarm: 'problem' }),
    visit('V6', 'H2', '2026-11-20', { smokeAlarm: 'ok' }),
    rec('need', 'N1', { householdId: id('H1'), createdAt: at('2026-11-03'), description: '买菜', category: 'care', route: 'volunteers' }),
    rec('needLog', 'L1', {
      needId: id('N1'),
      at: at('2026-11-03'),
      createdAt: at('2026-11-03'),
      byName: '老李',
      action: 'created',
      status: 'open',
    }),
    rec('resident', 'R1', {
      householdId: id('H1'),
      name: '王秀英',
      consent: 'given',
      consentBy: 'self',
      consentByName: '王秀英',
      consentAt: at('2026-10-01'),
      createdAt: at('2026-10-01'),
    }),
    // 10:00 in Shanghai on 10 November is 21:00 on the 9th in New York
    rec('healthCheck', 'C2', {
      residentId: id('R1'),
      householdId: id('H1'),
      at: at('2026-11-10'),
      createdAt: at('2026-11-10'),
      level: 'abnormal',
      flags: ['pulse.high'],
      pulse: 108,
    }),
    rec('repairEvent', 'E1', { title: '修理日', date: '2026-11-21', site: '院子', status: 'open', createdAt: at('2026-11-21') }),
    ...[
      ['T1', 'fan', 'fixed'],
      ['T2', 'kettle', 'endOfLife'],
    ].map(([name, category, outcome], i) =>
      rec('repairTicket', name!, {
        eventId: id('E1'),
        number: `${signedIn.device.letter}-00${i + 1}`,
        category,
        problem: '坏了',
        status: 'done',
        outcome,
        feeTier: 'waived',
        factorSet: 'restart-2026-2',
        createdAt: at('2026-11-21'),
      }),
    ),
  ];
  const res = await fetch(`${base}/api/sync/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ deviceId, schemaVersion: SCHEMA_VERSION, mutations }),
  });
  const body = (await res.json()) as { acked: string[]; rejected: unknown[] };
  expect(body.rejected).toEqual([]);
  expect(body.acked).toHaveLength(mutations.length);
}

interface PdfPage {
  text: string;
  images: number;
}

async function pdfPages(pdf: Buffer): Promise<PdfPage[]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false }).promise;
  const pages: PdfPage[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    const text = content.items.map((it) => ('str' in it ? it.str : '')).join('');
    const ops = await page.getOperatorList();
    const images = ops.fnArray.filter((f) => f === OPS.paintImageXObject || f === OPS.paintInlineImageXObject).length;
    pages.push({ text: squash(text), images });
  }
  return pages;
}

/**
 * Text as compared: without spaces, and with the radicals a CJK font's glyphs map back to
 * (⼯ for 工, ⺠ for 民) read as the characters they were — NFKC for the Kangxi radicals,
 * the simplified ones by hand.
 */
const RADICALS: Record<string, string> = {
  戶: '户',
  '⺠': '民',
  '⻅': '见',
  '⻓': '长',
  '⻚': '页',
  '⻔': '门',
  '⻢': '马',
  '⻋': '车',
  '⻛': '风',
  '⻜': '飞',
  '⻉': '贝',
  '⻄': '西',
  '⻘': '青',
  '⻝': '食',
  '⻆': '角',
  '⻨': '麦',
  '⻩': '黄',
  '⻬': '齐',
  '⻮': '齿',
  '⻯': '龙',
  '⻥': '鱼',
  '⻦': '鸟',
  '⻙': '韦',
  '⻣': '骨',
  '⻊': '足',
  '⻈': '讠',
  '⻰': '龙',
};
const squash = (s: string) =>
  s
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[\u2e80-\u2eff戶]/g, (c) => RADICALS[c] ?? c);

/** The report for November, rendered to A4 once its charts are drawn. */
async function printNovember(
  page: Page,
  charts: number,
  name: string,
): Promise<{ pages: PdfPage[]; captions: string[]; chrome: string[] }> {
  // once the screen has chosen this month, the coordinator chooses November
  await expect(page.getByLabel(/^(月份|Month)$/)).not.toHaveValue('');
  await page.getByLabel(/^(月份|Month)$/).fill('2026-11');
  await expect(page.getByTestId('street-report')).toBeVisible();
  await expect(page.locator('.report-doc canvas')).toHaveCount(charts);
  const captions = await page.locator('.report-doc figure.chart-block figcaption').allTextContents();
  // the app's own header and section bar, as the screen shows them
  const chrome = (await page.locator('.app-header, .sections').allInnerTexts()).map(squash).filter(Boolean);
  expect(chrome.length).toBeGreaterThanOrEqual(2);
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
  // REPORT_PDF_DIR=/tmp/linli keeps the papers to look at
  if (process.env.REPORT_PDF_DIR) fs.writeFileSync(path.join(process.env.REPORT_PDF_DIR, `${name}.pdf`), pdf);
  return { pages: await pdfPages(pdf), captions, chrome };
}

function expectPaper(pages: PdfPage[], captions: string[], pageOf: (i: number, n: number) => string, chrome: string[]) {
  expect(pages.length).toBeGreaterThanOrEqual(2);
  pages.forEach((p, i) => expect(p.text, `page ${i + 1}'s number`).toContain(squash(pageOf(i + 1, pages.length))));
  for (const c of chrome) for (const p of pages) expect(p.text).not.toContain(squash(c));
  // each chart's title on the page its picture is on: as many pictures on a page as titles
  expect(captions.length).toBe(3);
  for (const c of captions) {
    const on = pages.filter((p) => p.text.includes(squash(c)));
    expect(on, `"${c}" printed once`).toHaveLength(1);
  }
  for (const [i, p] of pages.entries()) {
    const titles = captions.filter((c) => p.text.includes(squash(c))).length;
    expect(p.images, `page ${i + 1}: a picture for each chart title`).toBe(titles);
  }
}

test('the street office report prints on A4 as the office expects, in Chinese and in English, in the team’s calendar', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const coord = server().addUser(TEAM, 'li', 'coordinator');
  await seed(server().url, coord);
  const ctx = await browser.newContext({ timezoneId: 'America/New_York', viewport: { width: 1000, height: 900 } });
  const page = await ctx.newPage();
  await signIn(page, server().url, coord);
  await page.goto(`${server().url}/report`);
  await expect(page.getByRole('heading', { name: '给街道的工作报告' })).toBeVisible();

  const zh = await printNovember(page, 3, 'report-zh');
  const first = zh.pages[0]!.text;
  for (const s of [
    '东湖社区志愿服务工作报告',
    '统计期间',
    '编制人',
    'li',
    '打印时间',
    '对比上期',
    '主要指标',
    '本期',
    '上期',
    '服务居民人次',
    '负责人签字',
    '盖章',
    '本报告不含居民个人信息',
  ])
    expect(first, s).toContain(squash(s));
  expect(first).not.toContain('明细');
  expectPaper(zh.pages, zh.captions, (i, n) => `第 ${i} 页，共 ${n} 页`, [...zh.chrome, '打印 / 存为 PDF', '附上需要关注的居民名单（含']);
  const all = zh.pages.map((p) => p.text).join('');
  expect(all).not.toContain('王秀英');
  expect(all).not.toContain('赵德明');
  expect(all.split('未办结诉求已等了多久').length - 1).toBe(1);
  expect(all).toContain(squash('本报告不含需要关注的居民名单'));

  // printed at: Shanghai's clock, not New York's
  const madeAt = Number(await page.getByTestId('printed-at').getAttribute('data-made-at'));
  const inZone = (zone: string) =>
    new Intl.DateTimeFormat('zh-CN', { dateStyle: 'medium', timeStyle: 'short', timeZone: zone }).format(madeAt);
  await expect(page.getByTestId('printed-at')).toHaveText(inZone(TEAM_ZONE));
  expect(inZone(TEAM_ZONE)).not.toBe(inZone('America/New_York'));
  expect(first).toContain(squash(inZone(TEAM_ZONE)));

  // asked for: the attention list, with the reading's time in Shanghai, and the paper says it is internal
  await page.getByRole('checkbox', { name: /附上需要关注的居民名单/ }).check();
  await expect(page.getByTestId('personal-note')).toContainText('内部使用');
  await expect(page.getByTestId('attention-list')).toContainText('王秀英');
  await expect(page.getByTestId('attention-list')).toContainText('2026年11月10日 10:00');
  const inside = await printNovember(page, 3, 'report-zh-internal');
  expect(inside.pages[0]!.text).toContain(squash('内部使用：本报告附有居民姓名、住址和健康情况，不得外传。'));
  expect(inside.pages.map((p) => p.text).join('')).toContain('王秀英');

  // the dashboard's attention list too follows the team's calendar
  await page.goto(`${server().url}/dashboard`);
  await expect(page.getByLabel('开始日期')).not.toHaveValue('');
  await page.getByLabel('开始日期').fill('2026-11-01');
  await page.getByLabel('结束日期').fill('2026-11-30');
  await expect(page.getByTestId('attention-list')).toContainText('2026年11月10日 10:00');

  // in English
  await page.evaluate(() => localStorage.setItem('linli.locale', 'en'));
  await page.goto(`${server().url}/report`);
  await expect(page.getByRole('heading', { name: 'Report for the street office' })).toBeVisible();
  const en = await printNovember(page, 3, 'report-en');
  for (const s of [
    '东湖社区: volunteer service report',
    'Period:',
    'Prepared by',
    'Printed',
    'Headline figures',
    'This period',
    'Previous period',
    'Signed:',
    '(Seal)',
  ])
    expect(en.pages[0]!.text, s).toContain(squash(s));
  expectPaper(en.pages, en.captions, (i, n) => `Page ${i} of ${n}`, [...en.chrome, 'Print / save as PDF']);
  expect(en.pages.map((p) => p.text).join('')).not.toContain('王秀英');
  await ctx.close();
});

test('an item not fixed is proposed materials only, until the team’s settings charge the ¥5 service fee for it too', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const coord = server().addUser(TEAM, 'wang', 'coordinator');
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, server().url, coord);
  await createEvent(page, '周六修理日', '院子');
  const number = await takeInItem(page, '电水壶', '不热');
  await page.getByText(number).click();
  await page.getByRole('radio', { name: '无法修复' }).check();
  await page.getByLabel('无法修复的原因').selectOption({ label: '太旧太破' });
  await page.getByRole('radio', { name: /普通/ }).check();
  await page.getByLabel('材料费（元）').fill('3');
  // the default: no service fee for an item that could not be fixed
  await expect(page.getByLabel('收费（元）')).toHaveValue('3.00');
  await page.getByRole('radio', { name: '已修好' }).check();
  await expect(page.getByLabel('收费（元）')).toHaveValue('8.00');
  await page.getByRole('radio', { name: '无法修复' }).check();
  await expect(page.getByLabel('收费（元）')).toHaveValue('3.00');
  const ticketUrl = page.url();

  // the team decides otherwise, and the settings say what a fixed knife, umbrella or lock counts
  await page.goto(`${server().url}/team/settings`);
  const rule = page.getByRole('checkbox', { name: /没修好的物品也收普通档/ });
  await expect(rule).not.toBeChecked();
  await expect(page.getByText(/刀具、雨伞、门锁修好后，分别按 0.2、0.4、0.5 公斤/)).toBeVisible();
  await rule.check();
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText(/已保存（0 个网格）/)).toBeVisible();
  await page.goto(ticketUrl);
  await page.getByRole('radio', { name: '无法修复' }).check();
  await page.getByLabel('材料费（元）').fill('3');
  await expect(page.getByLabel('收费（元）')).toHaveValue('8.00');
  // a charge the volunteer set, with its reason, opens again as recorded, whatever the rule proposes
  await page.getByLabel('收费（元）').fill('10');
  await page.getByLabel('调整收费的原因').fill('另配了一根电源线');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已保存' })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('收费（元）')).toHaveValue('10.00');
  await ctx.close();
});
