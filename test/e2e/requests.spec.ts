/**
 * 点单 → 派单 → 接单 → 评单 end to end (issue 22): a resident's family member asks for a
 * small wish on the team's page — 360 px, WeChat's in-app browser, no service worker, no
 * script at all; the coordinator accepts it with no signal (registering the household from
 * what was typed) and it syncs; a volunteer claims it on the wish board and resolves it; the
 * resident sees each step on the status link and evaluates; the evaluation reaches the
 * need's history on the coordinator's phone.
 */
import { expect, test, type Page } from '@playwright/test';
import { pendingCount, serverForFile, signIn, waitForServiceWorker } from './helpers.ts';

const TEAM = '南湖社区';
const server = serverForFile(TEAM);
const WECHAT_UA =
  'Mozilla/5.0 (Linux; Android 10; V2001A Build/QP1A.190711.020; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/86.0.4240.99 XWEB/4313 MMWEBSDK/20220805 Mobile Safari/537.36 MMWEBID/1234 MicroMessenger/8.0.27.2220(0x28001B53) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64';

async function steps(page: Page, link: string): Promise<string[]> {
  await page.goto(link);
  return page.locator('[data-testid="status-lines"] li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-step') ?? ''));
}

test('a resident asks on a plain page inside WeChat; accepted offline, claimed, resolved; the resident follows each step and evaluates', async ({
  browser,
}) => {
  const coordCtx = await browser.newContext();
  const c = await coordCtx.newPage();
  await signIn(c, server().url, server().addUser(TEAM, 'coordQ', 'coordinator'));
  await waitForServiceWorker(c);
  await c.goto(`${server().url}/requests`);
  await expect(c.getByTestId('ask-closed')).toBeVisible();
  await c.getByRole('button', { name: '开放点单页面' }).click();
  const askUrl = (await c.getByTestId('ask-url').textContent())!;
  await expect(c.getByTestId('ask-qr')).toHaveAttribute('data-text', askUrl);
  // open on the server (the sync line's count may lag the save by a moment)
  await expect
    .poll(
      () =>
        server()
          .rows('teamSettings')
          .map((t) => t.fields.askOpen),
      { timeout: 30_000 },
    )
    .toEqual([true]);

  // the resident's grandson, far away, in WeChat: no service worker, 360 px
  const resCtx = await browser.newContext({ userAgent: WECHAT_UA, serviceWorkers: 'block', viewport: { width: 360, height: 740 } });
  const r = await resCtx.newPage();
  const scripts: string[] = [];
  r.on('response', (res) => {
    if (res.request().resourceType() === 'script') scripts.push(res.url());
  });
  await r.goto(askUrl);
  await expect(r.getByRole('heading', { name: '南湖社区 · 居民点单' })).toBeVisible();
  expect(await r.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  // large text: the page's base size is 20 px
  expect(await r.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('20px');
  await r.getByLabel('需要什么帮助').selectOption({ label: '微心愿' });
  await r.getByLabel('楼栋').fill('5');
  await r.getByLabel('单元').fill('1');
  await r.getByLabel('门牌号').fill('302');
  await r.getByLabel('怎么称呼您').fill('陈奶奶');
  await r.getByLabel('联系电话').fill('1391234');
  await r.getByLabel('具体说说').fill('奶奶想要一台收音机听戏');
  await r.getByRole('button', { name: '提交' }).click();
  // a clear error in words, what was typed kept
  await expect(r.getByText('请填写 11 位手机号')).toBeVisible();
  await expect(r.getByLabel('具体说说')).toHaveValue('奶奶想要一台收音机听戏');
  await r.getByLabel('联系电话').fill('139 1234 5678');
  await r.getByRole('button', { name: '提交' }).click();
  await expect(r.getByRole('heading', { name: '✓ 已收到您的点单' })).toBeVisible();
  const spoken = (await r.getByTestId('ask-code').textContent())!;
  expect(spoken).toMatch(/^\d{6}$/);
  const statusLink = new URL((await r.getByTestId('ask-status-link').getAttribute('href'))!, askUrl).href;
  expect(scripts).toEqual([]);
  expect(await steps(r, statusLink)).toEqual(['received']);
  await r.getByRole('link', { name: 'English' }).click();
  await expect(r.getByText('Received')).toBeVisible();

  // the coordinator, in the courtyard with no signal: accepted, the household registered from what was typed
  await c.getByRole('button', { name: '立即同步' }).click();
  const card = c.getByTestId('request').filter({ hasText: '陈奶奶' });
  await expect(card).toHaveAttribute('data-code', spoken, { timeout: 30_000 });
  await coordCtx.setOffline(true);
  await server().stop();
  await expect(card.getByRole('radio', { name: '按居民填写的地址登记为新住户' })).toBeChecked();
  await card.getByLabel('网格').fill('B2');
  await card.getByRole('button', { name: '✓ 受理并转为诉求' }).click();
  await expect(c.getByTestId('answered').locator('[data-status="accepted"]')).toContainText('陈奶奶');
  await server().start();
  await coordCtx.setOffline(false);
  await c.getByRole('button', { name: '立即同步' }).click();
  await expect
    .poll(
      () =>
        server()
          .rows('request')
          .map((q) => q.fields.status),
      { timeout: 30_000 },
    )
    .toEqual(['accepted']);
  await expect(pendingCount(c)).toHaveAttribute('data-count', '0', { timeout: 30_000 });
  expect(
    server()
      .rows('household')
      .map((h) => h.fields),
  ).toEqual([expect.objectContaining({ building: '5', room: '302', headName: '陈奶奶', gridCode: 'B2' })]);
  expect(await steps(r, statusLink)).toEqual(['received', 'accepted']);

  // a volunteer claims it on the wish board and sees it through
  const volCtx = await browser.newContext();
  const v = await volCtx.newPage();
  await signIn(v, server().url, server().addUser(TEAM, 'volQ'));
  await v.getByRole('link', { name: '走访' }).click();
  await v.getByRole('link', { name: '🎁 微心愿' }).click();
  const wish = v.getByTestId('open-wishes').getByTestId('wish');
  await expect(wish).toContainText('奶奶想要一台收音机听戏', { timeout: 30_000 });
  await wish.getByRole('button', { name: '我来认领' }).click();
  await expect(v.getByRole('link', { name: '去办理' })).toBeVisible();
  // claimed: assigned and taken on at once, each with its date on the resident's page (once synced)
  await expect.poll(() => steps(r, statusLink), { timeout: 30_000 }).toEqual(['received', 'accepted', 'assigned', 'inProgress']);
  await v.getByRole('link', { name: '去办理' }).click();
  await v.getByRole('button', { name: '办结' }).click();
  await v.getByLabel('处理结果').fill('送去一台旧收音机，调好了戏曲频道');
  await v.getByRole('button', { name: '办结' }).last().click();
  await expect
    .poll(() => steps(r, statusLink), { timeout: 30_000 })
    .toEqual(['received', 'accepted', 'assigned', 'inProgress', 'resolved']);
  await expect(r.getByText('送去一台旧收音机')).toBeVisible();
  // nothing of the household or the volunteer on the resident's page
  await expect(r.locator('body')).not.toContainText('139');
  await expect(r.locator('body')).not.toContainText('volQ');

  // 评单
  await r.getByLabel('满意', { exact: true }).check();
  await r.getByLabel('想说的话').fill('谢谢小伙子');
  await r.getByRole('button', { name: '提交评价' }).click();
  await expect(r.getByText('谢谢您的评价！')).toBeVisible();
  await expect(r.getByTestId('evaluated')).toContainText('满意');
  // the coordinator's phone: the evaluation in the need's history
  await c.getByRole('button', { name: '立即同步' }).click();
  await c.getByTestId('answered').getByRole('link', { name: '查看诉求' }).click();
  await expect(c.getByText('谢谢小伙子')).toBeVisible({ timeout: 30_000 });
  await Promise.all([coordCtx.close(), resCtx.close(), volCtx.close()]);
});
