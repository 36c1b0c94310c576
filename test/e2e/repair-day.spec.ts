/**
 * A repair day in the courtyard (issue 3): two phones at the same event with no network take
 * in 10 items each — 20 distinct paper-tag numbers — and work some of them (outcome, fee
 * tier, collected); when the network returns both sync, and the server's event summary is
 * the one each phone shows. At day end the coordinator downloads the ORDS file, sees both
 * phones handed in, and revokes one as lost: it is asked to sign in again and keeps its records.
 */
import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { createEvent, pendingCount, serverForFile, signIn, takeInItem, waitForServiceWorker } from './helpers.ts';

const TEAM = '西湖社区';
const server = serverForFile(TEAM);

/** The summary panel's raw figures, keyed like the server's JSON. */
async function phoneSummary(page: Page): Promise<Record<string, string>> {
  const panel = page.getByTestId('event-summary');
  await expect(panel).toBeVisible();
  return panel
    .locator('[data-summary]')
    .evaluateAll((els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-summary'), e.getAttribute('data-value')])));
}

async function openTicket(page: Page, number: string) {
  await page.getByLabel('搜索编号、姓名或电话').fill(number);
  await page.getByTestId('ticket-list').getByText(number, { exact: true }).click();
  await expect(page.getByTestId('ticket-number').locator('strong')).toHaveText(number);
}

test('two phones offline at one event: 20 distinct numbers, worked tickets, the same summary on both phones and the server; then the coordinator exports, checks the hand-in and revokes a lost phone', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const wang = server().addUser(TEAM, 'wang');
  const li = server().addUser(TEAM, 'li');
  const ctxA = await browser.newContext();
  const ctxB = await browser.newContext();
  const a = await ctxA.newPage();
  const b = await ctxB.newPage();

  await signIn(a, server().url, wang);
  await waitForServiceWorker(a);
  await createEvent(a, '冬季维修日', '社区广场');
  await expect(pendingCount(a)).toHaveAttribute('data-count', '0', { timeout: 30_000 });
  const eventPath = new URL(a.url()).pathname;

  await signIn(b, server().url, li);
  await waitForServiceWorker(b);
  await b.getByRole('link', { name: /冬季维修日/ }).click();
  await expect(b.getByRole('heading', { name: '冬季维修日' })).toBeVisible();

  // The courtyard has no signal: neither page nor service worker reaches the server.
  await ctxA.setOffline(true);
  await ctxB.setOffline(true);
  await server().stop();

  const numbers: string[] = [];
  for (let i = 1; i <= 10; i++) {
    numbers.push(await takeInItem(a, i % 2 ? '电风扇' : '电水壶', `A 第${i}件`));
    numbers.push(await takeInItem(b, i % 3 ? '雨伞' : '台灯灯具', `B 第${i}件`));
  }
  expect(new Set(numbers).size).toBe(20);
  const letters = new Set(numbers.map((n) => n.split('-')[0]));
  expect(letters.size).toBe(2);

  // Phone A repairs its first fan for a 低保 resident: materials only, then collected.
  await openTicket(a, numbers[0]!);
  await a.getByRole('button', { name: '我来修' }).click();
  await expect(a.getByTestId('ticket-status')).toHaveText('维修中');
  await a.getByRole('radio', { name: '已修好' }).check();
  await a.getByRole('radio', { name: /低保/ }).check();
  await a.getByLabel('材料费（元）').fill('5');
  await expect(a.getByLabel('收费（元）')).toHaveValue('5.00');
  await expect(a.getByTestId('fee-subsidy')).toContainText('0.00');
  await a.getByRole('button', { name: '保存' }).click();
  await expect(a.getByTestId('ticket-status')).toHaveText('已完成');
  await a.getByRole('button', { name: '居民已取回' }).click();
  await expect(a.getByTestId('ticket-status')).toHaveText('已取回');

  // Phone B cannot save an umbrella; a 特困 resident's materials go to the fund.
  await openTicket(b, numbers[1]!);
  await b.getByRole('radio', { name: '无法修复' }).check();
  await b.getByLabel('无法修复的原因').selectOption({ label: '太旧太破' });
  await b.getByRole('radio', { name: /特困/ }).check();
  await b.getByLabel('材料费（元）').fill('2.5');
  await expect(b.getByLabel('收费（元）')).toHaveValue('0.00');
  // a charge different from the proposal needs a reason
  await b.getByLabel('收费（元）').fill('1');
  await b.getByRole('button', { name: '保存' }).click();
  await expect(b.getByText('收费和建议金额不同，请写明原因')).toBeVisible();
  await b.getByLabel('调整收费的原因').fill('居民坚持付一元');
  await b.getByRole('button', { name: '保存' }).click();
  await expect(b.getByTestId('ticket-status')).toHaveText('已完成');
  await b.getByRole('button', { name: '居民已取回' }).click();
  await expect(b.getByTestId('ticket-status')).toHaveText('已取回');

  await a.goto(`${server().url}${eventPath}`);
  await b.goto(`${server().url}${eventPath}`);
  const offlineA = await phoneSummary(a);
  expect(offlineA.items).toBe('10');

  // The network returns; each phone syncs by itself, then once more to pull the other's.
  await server().start();
  await ctxA.setOffline(false);
  await ctxB.setOffline(false);
  await expect(pendingCount(a)).toHaveAttribute('data-count', '0', { timeout: 60_000 });
  await expect(pendingCount(b)).toHaveAttribute('data-count', '0', { timeout: 60_000 });
  for (const p of [a, b]) {
    await p.getByRole('button', { name: '立即同步' }).click();
    await expect(pendingCount(p)).toHaveAttribute('data-count', '0');
  }
  const tickets = server().rows('repairTicket');
  expect(tickets).toHaveLength(20);
  expect(tickets.map((t) => t.fields.number).sort()).toEqual([...numbers].sort());

  const eventId = eventPath.split('/').pop()!;
  const fromServer = await a.evaluate(async (id) => {
    const res = await fetch(`/api/repair/events/${id}/summary`);
    return ((await res.json()) as { summary: Record<string, unknown> }).summary;
  }, eventId);
  expect(fromServer).toMatchObject({ items: 20, fixed: 1, endOfLife: 1, feesFen: 600, subsidiesFen: 150 });
  const want = Object.fromEntries(
    Object.entries(fromServer)
      .filter(([, v]) => typeof v !== 'object' || v === null)
      .map(([k, v]) => [k, String(v)]),
  );
  for (const p of [a, b]) {
    await expect(p.getByTestId('ticket-list').locator('li')).not.toHaveCount(0);
    await expect.poll(async () => (await phoneSummary(p)).items).toBe('20');
    const shown = await phoneSummary(p);
    for (const [k, v] of Object.entries(shown)) expect(v, k).toBe(want[k]);
  }
  // Volunteers have no export screen; the coordinator downloads the day's ORDS file.
  await a.goto(server().url);
  await expect(a.getByRole('heading', { name: '维修活动' })).toBeVisible();
  await expect(a.getByRole('link', { name: /导出数据/ })).toHaveCount(0);
  const zhou = server().addUser(TEAM, 'zhou', 'coordinator');
  const ctxC = await browser.newContext({ acceptDownloads: true });
  const c = await ctxC.newPage();
  await signIn(c, server().url, zhou);
  await c.getByRole('link', { name: /导出数据/ }).click();
  await c.getByLabel('开始日期').fill('2000-01-01');
  await c.getByLabel('结束日期').fill('2099-12-31');
  const [download] = await Promise.all([
    c.waitForEvent('download'),
    c
      .getByRole('link', { name: /下载 CSV/ })
      .nth(1)
      .click(),
  ]);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  expect(csv.split('\n')[0]).toBe(
    'id,data_provider,country,partner_product_category,product_category,product_category_id,brand,year_of_manufacture,product_age,repair_status,repair_barrier_if_end_of_life,group_identifier,event_date,problem',
  );
  expect(csv.trim().split('\n')).toHaveLength(21);

  // The day's dashboard: the same figures as the server's summary, charts, and the A4 report.
  await c.goto(`${server().url}/`);
  await c.getByRole('link', { name: /今日报表/ }).click();
  const dash = c.getByTestId('dashboard-repairs');
  await expect(dash.locator('[data-summary="tickets"]')).toHaveAttribute('data-value', '20');
  for (const k of ['feesFen', 'subsidiesFen', 'co2eKg', 'fixedRate'])
    await expect(dash.locator(`[data-summary="${k}"]`)).toHaveAttribute('data-value', String(fromServer[k]));
  await expect(dash.locator('canvas[role="img"]')).toHaveCount(1);
  await c.emulateMedia({ media: 'print' });
  await expect(c.locator('.print-only')).toContainText(TEAM);
  await expect(c.getByRole('button', { name: /打印报告/ })).toBeHidden();
  const pdf = await c.pdf({ format: 'A4' });
  expect(pdf.byteLength).toBeGreaterThan(10_000);
  await c.emulateMedia({ media: 'screen' });

  // Day end: the hand-in check shows both phones handed in today; li's phone is then "lost".
  await c.goto(`${server().url}/`);
  await c.getByRole('link', { name: /队伍与设备/ }).click();
  const handIn = c.getByTestId('hand-in');
  await expect(handIn.locator('li')).toHaveCount(3);
  for (const letter of letters) await expect(handIn.locator(`li[data-letter="${letter}"]`)).toContainText('今天已交齐');
  const liPhone = handIn.locator('li').filter({ hasText: '(li)' });
  await liPhone.getByRole('button', { name: '手机丢了：撤销登录' }).click();
  await liPhone.getByRole('alertdialog').getByRole('button', { name: '手机丢了：撤销登录' }).click();
  await expect(c.getByRole('status').filter({ hasText: '已撤销' })).toContainText('已撤销 1 个登录');
  await expect(liPhone).toContainText('已退出登录');
  // the revoked phone is asked to sign in again at its next sync, and keeps what it had
  await b.getByRole('button', { name: '立即同步' }).click();
  await expect(b.getByText('需要重新登录才能上传')).toBeVisible();
  expect(server().rows('repairTicket')).toHaveLength(20);
  await ctxA.close();
  await ctxB.close();
  await ctxC.close();
});
