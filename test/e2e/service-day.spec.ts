/**
 * A repair day's volunteer service, end to end (issue 21): 20 volunteers — 15 on the roster,
 * 5 students added on the spot with no signal — checked in by scanning their personal QR
 * codes (the camera is fed a video of five codes) and by tapping, checked out four hours
 * later, synced; the coordinator confirms everyone's hours, prints the five students'
 * certificates in one go (as a PDF) and a certificate's QR link verifies on the public page.
 *
 * The afternoon's four hours pass on the lead's phone by Playwright's clock; a page clock
 * does not reach a worker, so the lead's phone runs its saves on the page (no Worker — the
 * writer's own fallback), where the clock stamps them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../playwright.config.ts';
import { encodeHlc } from '../../src/shared/hlc.ts';
import { volunteerQrText } from '../../src/shared/hours.ts';
import { SCHEMA_VERSION } from '../../src/shared/protocol.ts';
import { createEvent, pendingCount, serverForFile, signIn, waitForServiceWorker } from './helpers.ts';
import { writeQrVideo } from './qr-video.ts';

const TEAM = '东湖社区志愿服务队';
const server = serverForFile(TEAM);

const REGULARS = [
  '张建国',
  '李秀英',
  '王志强',
  '刘桂兰',
  '陈国华',
  '杨明',
  '赵丽',
  '黄伟',
  '周强',
  '吴芳',
  '徐磊',
  '孙敏',
  '马军',
  '朱红',
  '胡斌',
];
/** Known ids for the roster, so the camera's video can hold their codes. */
const idOf = (i: number) => `0193a000-0000-7000-8000-${String(i + 1).padStart(12, '0')}`;
/** The four regulars who check in by showing their code; a fifth reads out his short code. */
const SCANNED = [0, 1, 2, 3];
const BY_SHORT_CODE = 4;
const STUDENTS = ['林小雨', '陈思远', '王梓涵', '李一诺', '张子轩'];
const SCHOOL = '东湖中学';

const video = writeQrVideo(
  path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'linli-cam-')), 'codes.y4m'),
  SCANNED.map((i) => volunteerQrText(idOf(i))),
);
test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      ...CHROMIUM_ARGS,
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ],
  },
  permissions: ['camera'],
});

/** The coordinator registers the team's regulars (as their own phone would have, earlier). */
async function seedRoster(base: string, user: { username: string; password: string }) {
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...user, deviceId: '00000000000000aa' }),
  });
  expect(login.status).toBe(200);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const at = new Date().toISOString();
  const mutations = REGULARS.map((name, i) => ({
    id: `0193a000-0000-7000-9000-${String(i + 1).padStart(12, '0')}`,
    type: 'volunteer',
    rowId: idOf(i),
    hlc: encodeHlc({ ms: Date.now(), counter: i, node: '00000000000000aa' }),
    fields: {
      id: idOf(i),
      name,
      phone: `1390000${String(1000 + i)}`,
      org: '',
      volunteerNumber: '',
      userId: null,
      notes: '',
      createdAt: at,
      updatedAt: at,
    },
  }));
  const push = await fetch(`${base}/api/sync/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ deviceId: '00000000000000aa', schemaVersion: SCHEMA_VERSION, mutations }),
  });
  expect(((await push.json()) as { acked: string[] }).acked).toHaveLength(REGULARS.length);
}

const sheetRow = (page: Page, name: string) => page.getByTestId('sheet-row').filter({ hasText: name });

test('20 volunteers checked in by QR code and by tap with no signal, out four hours later, synced, confirmed; five students’ certificates printed and verified', async ({
  page,
  context,
  browser,
}) => {
  const coordinator = server().addUser(TEAM, 'coordS', 'coordinator');
  await seedRoster(server().url, coordinator);
  const lead = server().addUser(TEAM, 'leadS');

  // the lead's phone: its saves on the page, its clock at the afternoon's start
  await context.addInitScript(() => Object.defineProperty(window, 'Worker', { value: undefined, configurable: true }));
  await context.clock.install({ time: Date.now() - 4.5 * 3_600_000 });
  await signIn(page, server().url, lead);
  await waitForServiceWorker(page);
  await page.getByRole('button', { name: '立即同步' }).click();
  await expect(pendingCount(page)).toHaveAttribute('data-count', '0');

  // no signal in the courtyard
  await context.setOffline(true);
  await server().stop();
  await createEvent(page, '周六修理日', '东湖社区活动室');
  await page.getByRole('link', { name: '志愿者签到/签退' }).click();
  await expect(page.getByTestId('sheet-row')).toHaveCount(REGULARS.length);

  // five students for the afternoon, added and checked in on the spot
  await page.getByText(/添加志愿者/).click();
  for (const [i, name] of STUDENTS.entries()) {
    await page.getByRole('textbox', { name: '姓名' }).fill(name);
    await page.getByRole('textbox', { name: '手机号' }).fill(`1370000${2000 + i}`);
    await page.getByRole('textbox', { name: '学校或单位' }).fill(SCHOOL);
    await page.getByRole('button', { name: '添加并签到' }).click();
    await expect(sheetRow(page, name)).toHaveAttribute('data-state', 'in');
  }

  // ten regulars by a tap on their name
  for (const i of REGULARS.keys()) {
    if (SCANNED.includes(i) || i === BY_SHORT_CODE) continue;
    await sheetRow(page, REGULARS[i]!).getByRole('button', { name: '签到', exact: true }).click();
    await expect(sheetRow(page, REGULARS[i]!)).toHaveAttribute('data-state', 'in');
  }

  // four by showing their code to the lead's camera (BarcodeDetector where the browser has it, else jsQR)
  test.info().annotations.push({
    type: 'decoder',
    description: (await page.evaluate(() => 'BarcodeDetector' in window)) ? 'BarcodeDetector' : 'jsQR',
  });
  await page.getByText('扫码签到').click();
  await expect(page.getByTestId('scanner-video')).toBeVisible();
  for (const i of SCANNED) await expect(sheetRow(page, REGULARS[i]!)).toHaveAttribute('data-state', 'in', { timeout: 60_000 });
  await expect(page.getByTestId('scan-outcome')).toContainText('已签到');
  // one whose phone will not show a code reads out the short code on his 我的服务 page
  await page.getByLabel('或输入签到短码').fill(idOf(BY_SHORT_CODE).replace(/-/g, '').slice(-6).toLowerCase());
  await page.getByRole('button', { name: '用短码签到' }).click();
  await expect(page.getByTestId('scan-outcome')).toHaveText(`✓ ${REGULARS[BY_SHORT_CODE]} 已签到`);
  await expect(sheetRow(page, REGULARS[BY_SHORT_CODE]!)).toHaveAttribute('data-state', 'in');
  // a code not Linli's is said so
  await page.getByLabel('或输入签到短码').fill('hello');
  await page.getByRole('button', { name: '用短码签到' }).click();
  await expect(page.getByText('这不是邻里的签到码')).toBeVisible();
  await expect(page.getByTestId('sheet-summary')).toContainText('已签到 20 人 · 仍在场 20 人');
  await page.getByText('扫码签到').click();

  // four hours later, everyone checks out
  await context.clock.fastForward('04:00:00');
  for (const name of [...REGULARS, ...STUDENTS]) {
    await sheetRow(page, name).getByRole('button', { name: '签退', exact: true }).click();
    await expect(sheetRow(page, name)).toHaveAttribute('data-state', 'left');
  }
  await expect(page.getByTestId('sheet-summary')).toContainText('已签到 20 人 · 仍在场 0 人 · 共 80 小时');
  // a closed tab loses nothing
  await page.reload();
  await expect(page.getByTestId('sheet-summary')).toContainText('已签到 20 人 · 仍在场 0 人 · 共 80 小时');

  // back in signal: one attendance each on the server
  await server().start();
  await context.setOffline(false);
  await page.getByRole('button', { name: '立即同步' }).click();
  await expect(pendingCount(page)).toHaveAttribute('data-count', '0', { timeout: 30_000 });
  const attendance = server().rows('attendance');
  expect(attendance).toHaveLength(20);
  expect(new Set(attendance.map((a) => a.fields.volunteerId)).size).toBe(20);
  expect(server().rows('volunteer')).toHaveLength(20);

  // the coordinator confirms everyone's hours
  const coordCtx = await browser.newContext();
  const c = await coordCtx.newPage();
  await signIn(c, server().url, coordinator);
  await c.goto(`${server().url}/team/hours`);
  // first the team's points rule: 10 points an hour, from the start of the year
  await expect(c.getByTestId('points-rule')).toHaveText('还没有积分规则：确认的时长暂不计积分。');
  await c.getByText('设定新的积分规则…').click();
  await c.getByLabel('每小时积分').fill('10');
  await c.getByLabel('起始日期').fill(`${new Date().getFullYear() - 1}-01-01`);
  await c.getByRole('button', { name: '保存积分规则' }).click();
  await expect(c.getByTestId('points-rule')).toContainText('每小时 10 分');
  const awaiting = c.getByTestId('awaiting-list').getByRole('button', { name: /^确认 4 小时/ });
  await expect(awaiting).toHaveCount(20, { timeout: 30_000 });
  for (let left = 20; left > 0; left--) {
    await awaiting.first().click();
    await expect(awaiting).toHaveCount(left - 1);
  }
  await expect(c.getByText('没有待确认的时长。')).toBeVisible();
  await expect.poll(() => server().rows('serviceRecord').length, { timeout: 30_000 }).toBe(20);
  const confirmed = server().rows('serviceRecord');
  expect(confirmed).toHaveLength(20);
  expect(confirmed.every((r) => r.fields.hours === 4 && r.fields.computedHours === 4)).toBe(true);
  // the points are the server's: 4 h × 10
  expect(confirmed.every((r) => r.fields.points === 40)).toBe(true);

  // a student spends 30 of her 40 points at the charity shop
  await c.getByRole('combobox', { name: '志愿者' }).selectOption({ label: '林小雨 · 余 40 分' });
  await c.getByLabel('兑换积分').fill('30');
  await c.getByLabel('兑换物品').fill('文具一套');
  await c.getByRole('button', { name: '登记兑换' }).click();
  await expect(c.getByRole('status').filter({ hasText: '已登记：林小雨 兑换 30 分' })).toBeVisible();
  await expect(c.getByTestId('hours-row').filter({ hasText: '林小雨' }).getByTestId('balance')).toHaveText('10');
  // more than she has left is refused on the phone, in words
  await c.getByRole('combobox', { name: '志愿者' }).selectOption({ label: '林小雨 · 余 10 分' });
  await c.getByLabel('兑换积分').fill('20');
  await c.getByLabel('兑换物品').fill('大米');
  await c.getByRole('button', { name: '登记兑换' }).click();
  await expect(c.getByText('积分不足：这次兑换会使余额低于 0')).toBeVisible();

  // the school's five, printed in one go
  await c.getByLabel('学校或单位').selectOption({ label: SCHOOL });
  await expect(c.getByTestId('hours-row')).toHaveCount(5);
  await c.getByRole('button', { name: /全选有时长的人（5）/ }).click();
  await c.getByRole('button', { name: '为所选 5 人出具证明' }).click();
  const certificates = c.getByTestId('certificate');
  await expect(certificates).toHaveCount(5);
  for (const name of STUDENTS) await expect(certificates.filter({ hasText: name })).toContainText('累计服务时长 4 小时');
  await expect(certificates.first()).toContainText(TEAM);
  await expect(certificates.first().getByTestId('cert-qr')).toBeVisible();
  await expect(certificates.first().getByText('盖章处')).toBeVisible();
  // on the phone's 360 px screen too, before it is printed: nothing scrolls sideways
  expect(await c.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  const pdf = await c.pdf({ format: 'A4', printBackground: true });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  // one A4 page per certificate
  expect(pdf.toString('latin1').match(/\/Type\s*\/Page\b/g)).toHaveLength(5);
  await expect.poll(() => server().rows('certificate').length, { timeout: 30_000 }).toBe(5);
  expect(
    server()
      .rows('redemption')
      .map((r) => r.fields.points),
  ).toEqual([30]);

  // its QR code's link verifies: valid, the organisation, the name masked, the hours
  const first = certificates.filter({ hasText: '林小雨' });
  const qrUrl = await first.getByTestId('cert-qr').getAttribute('data-text');
  expect(qrUrl).toMatch(/\/verify\/ZM\d{4}[0-9A-Z]{10}$/);
  const v = await coordCtx.newPage();
  await v.goto(qrUrl!);
  await expect(v.getByTestId('verify-result')).toHaveAttribute('data-valid', 'true');
  await expect(v.getByTestId('verify-org')).toHaveText(TEAM);
  await expect(v.getByTestId('verify-name')).toHaveText('林*雨');
  await expect(v.getByTestId('verify-hours')).toHaveText('4 小时');
  await expect(v.locator('body')).not.toContainText('1370000');
  await coordCtx.close();
});

test('where the browser has BarcodeDetector, the scan uses it and the jsQR decoder is never fetched', async ({ page, context }) => {
  // a stand-in for the platform's detector (Chrome on Android has one; Debian's Chromium does not): it reads what the test holds up
  await context.addInitScript(() => {
    (window as unknown as { BarcodeDetector: unknown }).BarcodeDetector = class {
      detect(): Promise<{ rawValue: string }[]> {
        const held = (window as unknown as { heldCode?: string }).heldCode;
        return Promise.resolve(held ? [{ rawValue: held }] : []);
      }
    };
  });
  const fetched: string[] = [];
  page.on('request', (r) => fetched.push(r.url()));
  await signIn(page, server().url, server().addUser(TEAM, 'leadBD'));
  await createEvent(page, '周日修理日', '东湖社区活动室');
  await page.getByRole('link', { name: '志愿者签到/签退' }).click();
  await page.getByText(/添加志愿者/).click();
  await page.getByRole('textbox', { name: '姓名' }).fill('扫码测试');
  await page.getByRole('button', { name: '添加并签到' }).click();
  const row = sheetRow(page, '扫码测试');
  await row.getByRole('button', { name: '签退', exact: true }).click();
  await expect(row).toHaveAttribute('data-state', 'left');
  await page.getByRole('button', { name: '立即同步' }).click();
  await expect(pendingCount(page)).toHaveAttribute('data-count', '0', { timeout: 30_000 });
  const id = server()
    .rows('volunteer')
    .find((v) => v.fields.name === '扫码测试')!.row_id;
  await page.getByText('扫码签到').click();
  await expect(page.getByTestId('scanner-video')).toBeVisible();
  await page.evaluate((text) => ((window as unknown as { heldCode: string }).heldCode = text), volunteerQrText(id));
  await expect(row).toHaveAttribute('data-state', 'in');
  await expect(page.getByTestId('scan-outcome')).toHaveText('✓ 扫码测试 已签到');
  expect(fetched.filter((u) => /jsQR/i.test(u))).toEqual([]);
});
