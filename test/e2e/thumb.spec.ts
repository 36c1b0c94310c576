/**
 * Made for a 70-year-old's thumb (issue 25), on a 360 × 740 phone as a volunteer uses it:
 * the team's grids chosen not typed, the head of household as its first resident, required
 * fields marked before save, the health tab finding a resident and asking consent where the
 * check begins, an urgent reading's call links and its need going to the team's department;
 * the intake's usual tiles first, the rest found by what people call them, a knife needing no
 * words; a visit's "all fine" and its needs before the checks; the offline state after an
 * offline reload; chips that show they scroll; controls that keep their names; "服务居民"
 * counting people; and WeChat's in-app browser sending the volunteer to the phone's browser.
 * (No sideways scroll, the chrome's height, a form's first field and its save bar in view,
 * on every screen in the four modes, are in tap-targets.spec.ts.)
 */
import { zhCNCore } from '../../src/shared/i18n/zh-CN-core.ts';
import { expect, test, type Page } from '@playwright/test';
import { createEvent, pendingCount, serverForFile, signIn, waitForServiceWorker } from './helpers.ts';

const TEAM = '南湖社区';
/** The sync line before the first sync has finished. */
const NEVER_SYNCED = zhCNCore['sync.never'];

const server = serverForFile(TEAM);

/** Whether the element is wholly on the screen now, without a scroll. */
async function inView(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((sel) => {
    const r = document.querySelector(sel)?.getBoundingClientRect();
    return Boolean(r && r.top >= 0 && r.bottom <= window.innerHeight);
  }, selector);
}

test('grids chosen from the list the coordinator set, the head as first resident, consent where the check begins, an urgent reading with call links and its need to the department', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const coord = server().addUser(TEAM, 'nh-coord', 'coordinator');
  const vol = server().addUser(TEAM, 'nh-vol');
  const cctx = await browser.newContext();
  const c = await cctx.newPage();
  await signIn(c, server().url, coord);
  await c.goto(`${server().url}/team`);
  await c.getByRole('link', { name: '网格与派单设置' }).click();
  await c.getByLabel('本队的网格').fill('A1\nA2，B1');
  await expect(c.getByTestId('grid-preview')).toHaveText('共 3 个：A1 · A2 · B1');
  await c.getByLabel('紧急健康诉求交给').fill('南湖社区卫生服务中心');
  await c.getByRole('button', { name: '保存' }).click();
  await expect(c.getByText('已保存（3 个网格）')).toBeVisible();
  // on the server (the sync line's count may not have caught up with the save yet)
  await expect
    .poll(
      () =>
        server()
          .rows('teamSettings')
          .map((r) => r.fields.grids),
      { timeout: 30_000 },
    )
    .toEqual([['A1', 'A2', 'B1']]);

  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, server().url, vol);
  await waitForServiceWorker(page);
  // the rest offline: the grids came with the sign-in's first sync (once it has finished)
  await expect(page.getByTestId('last-sync')).not.toHaveText(NEVER_SYNCED, { timeout: 30_000 });
  await ctx.setOffline(true);
  await page.getByRole('link', { name: '住户' }).click();
  await page.getByRole('link', { name: '登记住户' }).click();
  const grids = page.getByRole('group', { name: '网格' });
  await expect(grids.getByRole('radio')).toHaveCount(4);
  await expect(grids.getByRole('radio', { name: '其他（手动填写）' })).toBeVisible();
  // what must be filled is marked before anyone taps save
  for (const label of ['网格', '楼栋', '房号', '户主姓名']) {
    await expect(page.locator('.field-label, legend').filter({ hasText: label }).first()).toContainText('✱ 必填');
  }
  await expect(page.getByRole('textbox', { name: '楼栋' })).toHaveAttribute('aria-required', 'true');
  await grids.getByRole('radio', { name: 'A2' }).check();
  await page.getByLabel('楼栋').fill('5');
  await page.getByLabel('房号').fill('101');
  await page.getByLabel('户主姓名').fill('周桂兰');
  await expect(page.getByRole('checkbox', { name: /把户主也登记为居民/ })).toBeChecked();
  // the fields that may wait are folded; the family doctor is among them
  await expect(page.getByLabel('家庭医生电话')).toBeHidden();
  await page.getByText(/^更多信息/).click();
  await page.getByLabel('家庭医生姓名').fill('刘医生');
  await page.getByLabel('家庭医生电话').fill('02712345678');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('heading', { name: '周桂兰' })).toBeVisible();
  await expect(page.getByTestId('resident-list')).toContainText('周桂兰');
  await expect(page.getByRole('link', { name: '02712345678' })).toHaveAttribute('href', 'tel:02712345678');
  // the next household starts in the grid this phone used last
  await page.getByRole('link', { name: '住户' }).click();
  await page.getByRole('link', { name: '登记住户' }).click();
  await expect(page.getByRole('group', { name: '网格' }).getByRole('radio', { name: 'A2' })).toBeChecked();

  // the health tab finds her and starts a check; consent is asked right there
  await page.getByRole('link', { name: '健康' }).click();
  await page.getByRole('searchbox', { name: /找居民/ }).fill('周桂');
  await page.getByTestId('resident-hits').getByRole('link', { name: '征得同意并检查' }).click();
  await expect(page.getByRole('heading', { name: '健康检查 · 周桂兰' })).toBeVisible();
  await page.getByRole('radio', { name: '本人' }).check();
  await page.getByRole('checkbox', { name: /我已向对方说明/ }).check();
  await page.getByRole('button', { name: '记录同意' }).click();
  await page.getByLabel('收缩压').fill('186');
  await page.getByLabel('舒张压').fill('112');
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForURL(/\/checks\/[0-9a-f]{8}-/);
  await expect(page.getByTestId('flags')).toHaveAttribute('data-level', 'urgent');
  // call links for 120 and the family doctor; no internal code on a volunteer's screen
  await expect(page.getByRole('link', { name: '拨打 120' })).toHaveAttribute('href', 'tel:120');
  await expect(page.getByRole('link', { name: '拨打家庭医生 刘医生' })).toHaveAttribute('href', 'tel:02712345678');
  await expect(page.getByText('阈值版本')).toHaveCount(0);
  await page.getByRole('button', { name: '不能再量，直接登记紧急诉求' }).click();
  await expect(page.getByText('诉求会派给：南湖社区卫生服务中心。')).toBeVisible();
  await page.getByRole('button', { name: '登记紧急诉求并约定明天回访' }).click();
  await page.getByTestId('follow-up-done').getByRole('link').click();
  await expect(page.getByText('职能部门：南湖社区卫生服务中心')).toBeVisible();

  // back online, it all reaches the server; the coordinator finds the need routed there
  await ctx.setOffline(false);
  await page.getByRole('button', { name: '立即同步' }).click();
  await expect(pendingCount(page)).toHaveAttribute('data-count', '0', { timeout: 30_000 });
  await ctx.close();
  await cctx.close();
});

test('the intake: the usual tiles first, the rest one tap away and found by what people call them, a knife needs no words, save in reach', async ({
  page,
}) => {
  const vol = server().addUser(TEAM, 'nh-intake');
  await signIn(page, server().url, vol);
  await createEvent(page, '周日修理日', '南湖广场');
  await page.getByRole('link', { name: '登记物品' }).click();
  const tiles = page.getByRole('group', { name: '类别' });
  await expect(tiles.getByRole('radio')).toHaveCount(8);
  await expect(tiles.getByRole('radio', { name: '磨刀磨剪' })).toBeVisible();
  // on arrival: the tiles, the problem field and save all on the screen, no scroll
  expect(await inView(page, '#problem')).toBe(true);
  expect(await inView(page, '[data-testid="action-bar"]')).toBe(true);
  await tiles.getByRole('button', { name: /更多类别（16）/ }).click();
  await page.getByLabel(/找类别/).fill('电饭锅');
  await expect(tiles.getByRole('radio')).toHaveCount(1);
  await expect(tiles.getByRole('radio', { name: '电饭煲等小厨电' })).toBeVisible();
  await page.getByLabel(/找类别/).fill('剪刀');
  await tiles.getByRole('radio', { name: '磨刀磨剪' }).check();
  // the knife's problem is itself: the field may stay empty
  await expect(page.getByText('可以不填：默认记为「磨刀磨剪」。')).toBeVisible();
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByTestId('ticket-number').locator('strong')).toHaveText(/^[A-Z]+-001$/);
  await expect(page.getByText('磨刀磨剪').first()).toBeVisible();
  await page.getByRole('link', { name: '返回' }).click();
  // the phone's most used is first next time
  await page.getByRole('link', { name: '登记物品' }).click();
  await expect(page.getByRole('group', { name: '类别' }).getByRole('radio').first()).toHaveAccessibleName('磨刀磨剪');
});

test('a visit: 见到了 chosen, the needs before the checks, the safety checks all fine in one tap', async ({ page }) => {
  server().addTeam('西湖社区');
  const vol = server().addUser('西湖社区', 'xh-visit');
  await signIn(page, server().url, vol);
  await page.getByRole('link', { name: '住户' }).click();
  await page.getByRole('link', { name: '登记住户' }).click();
  // a team with no grids listed yet: the grid is typed, and the form says where a list is made
  await expect(page.getByText('协调员可以在「网格与派单设置」中列出本队的网格')).toBeVisible();
  await page.getByLabel('网格', { exact: true }).fill('C1');
  await page.getByLabel('楼栋').fill('9');
  await page.getByLabel('房号').fill('202');
  await page.getByLabel('户主姓名').fill('钱大爷');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByRole('link', { name: '记录走访' }).click();
  await expect(page.getByRole('radio', { name: '见到了' })).toBeChecked();
  // the needs are reached without scrolling past the checks
  await page.screenshot({ path: '/tmp/shots/visit-form.png' });
  expect(await inView(page, '[data-testid="add-need"]')).toBe(true);
  await page.getByRole('button', { name: '全部正常' }).click();
  for (const item of ['燃气', '电线电器', '烟雾报警器', '通道（防跌倒）'])
    await expect(page.getByRole('group', { name: item }).getByRole('radio', { name: /正常/ })).toBeChecked();
  await page
    .getByRole('group', { name: '燃气' })
    .getByRole('radio', { name: /有隐患/ })
    .check();
  await expect(page.getByRole('button', { name: '全部正常' })).toHaveAttribute('aria-pressed', 'false');
  await page.getByRole('button', { name: '＋ 添加诉求' }).click();
  await page.getByRole('group', { name: '类别' }).getByRole('radio', { name: '安全' }).check();
  await page.getByLabel('具体情况').fill('燃气软管老化');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('heading', { name: '钱大爷' })).toBeVisible();
  await expect(page.getByTestId('visit-list')).toContainText('燃气');
});

test('offline after an offline reload at once; chips that scroll say so; A+ and the language keep their names; residents served counts people', async ({
  page,
  context,
}) => {
  const vol = server().addUser(TEAM, 'nh-day');
  await signIn(page, server().url, vol);
  await waitForServiceWorker(page);
  await createEvent(page, '小修日', '门口');
  for (const problem of ['不转', '漏水', '异响']) {
    await page.getByRole('link', { name: '登记物品' }).click();
    await page.getByRole('radio', { name: '电风扇', exact: true }).check();
    await page.getByLabel('问题描述').fill(problem);
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByRole('link', { name: '返回' }).click();
  }
  // three items without a name or phone are not three people
  await expect(page.getByTestId('event-summary')).toContainText('至少 1 人');

  // the controls say what they do in both states
  const language = page.getByRole('combobox', { name: '语言 / Language' });
  await language.selectOption('en');
  await expect(page.getByRole('combobox', { name: '语言 / Language' })).toHaveValue('en');
  const aPlus = page.getByTestId('large-text');
  await expect(aPlus).toHaveAccessibleName(/^A\+ Large text/);
  await aPlus.click();
  await expect(aPlus).toHaveAttribute('aria-pressed', 'true');
  await expect(aPlus).toHaveAccessibleName(/^A\+ Large text/);
  // in English with large text the board's chips are wider than the phone: the row says so
  const row = page.locator('.scroll-row').first();
  await expect(row).toHaveAttribute('data-more-right', 'true');
  await expect(row.locator('.scroll-hint-right')).toBeVisible();
  await row.locator('[role="tablist"]').evaluate((el) => (el.scrollLeft = el.scrollWidth));
  await expect(row).toHaveAttribute('data-more-right', 'false');
  await expect(row.locator('.scroll-hint-left')).toBeVisible();
  await aPlus.click();
  await language.selectOption('zh-CN');

  // an offline reload: the header says offline before any save or sync is tried
  await expect(pendingCount(page)).toHaveAttribute('data-count', '0', { timeout: 30_000 });
  await expect(pendingCount(page)).toHaveAttribute('data-offline', 'false');
  await context.setOffline(true);
  await server().stop();
  await page.reload();
  await expect(pendingCount(page)).toHaveAttribute('data-offline', 'true');
  await expect(pendingCount(page)).toContainText('📴 离线 · 全部已上传');
  await server().start();
  await context.setOffline(false);
  await expect(pendingCount(page)).toHaveAttribute('data-offline', 'false');
});

test('opened inside WeChat, one screen with pictures says how to open Linli in the browser and add it to the home screen', async ({
  browser,
}) => {
  const ctx = await browser.newContext({
    userAgent:
      'Mozilla/5.0 (Linux; Android 12; V2106A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/107.0 Mobile Safari/537.36 MicroMessenger/8.0.47.2560(0x28002F35) NetType/WIFI Language/zh_CN',
  });
  const page = await ctx.newPage();
  await page.goto(server().url);
  await expect(page.getByRole('heading', { name: '请用手机浏览器打开邻里' })).toBeVisible();
  await expect(page.getByTestId('wechat').locator('svg')).toHaveCount(3);
  await expect(page.getByText('① 点右上角的「···」。')).toBeVisible();
  await expect(page.getByText(/② 选「在浏览器打开」/)).toBeVisible();
  await expect(page.getByText(/③ 在浏览器里点菜单，选「添加到主屏幕」/)).toBeVisible();
  await expect(page.getByText(server().url + '/', { exact: true })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  // in English too, and the way on is there for whoever must
  await page.getByTestId('language').selectOption('en');
  await expect(page.getByRole('heading', { name: "Open Linli in your phone's browser" })).toBeVisible();
  await page.getByRole('button', { name: /Open it in WeChat anyway/ }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await ctx.close();
});
