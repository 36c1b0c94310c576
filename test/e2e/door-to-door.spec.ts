/**
 * Door to door (issue 4) as a grid worker lives it, with no network for page or service
 * worker: register a household with two residents (the same-address warning catches a second
 * registration), record a visit with two needs, route one to a department and assign the
 * other, reload offline — everything is there — then sync by itself, and a second phone of
 * the team finds it all by searching a resident's name.
 */
import { expect, test, type Page } from '@playwright/test';
import { pendingCount, serverForFile, signIn, waitForServiceWorker } from './helpers.ts';

const TEAM = '东湖社区';
const server = serverForFile(TEAM);

async function fillAddress(page: Page) {
  await page.getByLabel('网格', { exact: true }).fill('A3');
  await page.getByLabel('楼栋').fill('3栋');
  await page.getByLabel('单元').fill('2');
  await page.getByLabel('房号').fill('301');
}

async function addResident(page: Page, name: string, sex: '男' | '女', year: string) {
  await page.getByRole('link', { name: '添加居民' }).click();
  await page.getByLabel('姓名').fill(name);
  await page.getByRole('radio', { name: sex }).check();
  await page.getByLabel('出生年份').fill(year);
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByTestId('resident-list')).toContainText(name);
}

test('offline: a household, two residents, a visit with two needs routed and assigned; reload; sync; a second phone sees it all', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const grid = server().addUser(TEAM, 'zhao');
  const other = server().addUser(TEAM, 'qian');
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, server().url, grid);
  await waitForServiceWorker(page);

  await ctx.setOffline(true);
  await server().stop();

  await page.getByRole('link', { name: '住户' }).click();
  await expect(page.getByRole('heading', { name: '住户' })).toBeVisible();
  await page.getByRole('link', { name: '登记住户' }).click();
  await fillAddress(page);
  await page.getByLabel('户主姓名').fill('王秀英');
  await page.getByLabel('联系电话').fill('13812345678');
  await page.getByRole('checkbox', { name: '独居' }).check();
  await page.getByRole('checkbox', { name: '随迁' }).check();
  // the dialect waits under "more"; the two residents are added by hand below
  await page.getByText(/^更多信息/).click();
  await page.getByLabel('家乡方言').fill('温州话');
  await page.getByRole('checkbox', { name: /把户主也登记为居民/ }).uncheck();
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('heading', { name: '王秀英' })).toBeVisible();
  await expect(page.getByText('13812345678')).toBeVisible();

  await addResident(page, '王秀英', '女', '1942');
  await addResident(page, '李建华', '男', '1940');

  // the same dwelling typed another way is caught before a duplicate is made
  await page.getByRole('link', { name: '住户' }).click();
  await page.getByRole('link', { name: '登记住户' }).click();
  await page.getByLabel('网格', { exact: true }).fill('A3');
  await page.getByLabel('楼栋').fill('3');
  await page.getByLabel('单元').fill('2单元');
  await page.getByLabel('房号').fill('301室');
  await expect(page.getByTestId('same-address')).toContainText('王秀英');
  await page.getByLabel('户主姓名').fill('重复登记');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('heading', { name: '登记住户' })).toBeVisible();
  await page.getByTestId('same-address').getByRole('link', { name: '打开已登记的这户' }).click();
  await expect(page.getByRole('heading', { name: '王秀英' })).toBeVisible();

  // the visit, with two needs
  await page.getByRole('link', { name: '记录走访' }).click();
  await page.getByRole('radio', { name: '见到了' }).check();
  await page
    .getByRole('group', { name: '燃气' })
    .getByRole('radio', { name: /有隐患/ })
    .check();
  await page.getByLabel('看到的情况').fill('老人腿脚不便，燃气软管老化');
  await page.getByRole('button', { name: '添加诉求' }).click();
  const first = page.getByRole('group', { name: '诉求 1' });
  await first.getByRole('radio', { name: '政策/补贴' }).check();
  await expect(first.getByRole('radio', { name: '职能部门' })).toBeChecked();
  await first.getByLabel('具体情况').fill('申请高龄津贴');
  await first.getByLabel('职能部门名称').fill('街道民政科');
  await page.getByRole('button', { name: '添加诉求' }).click();
  const second = page.getByRole('group', { name: '诉求 2' });
  await second.getByRole('radio', { name: '就医' }).check();
  await second.getByRole('radio', { name: /紧急/ }).check();
  await second.getByLabel('具体情况').fill('需要陪同去医院复查');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByTestId('visit-list')).toContainText('老人腿脚不便');
  await expect(page.getByTestId('need-list').locator('li')).toHaveCount(2);

  // route one to its department, assign the other to a volunteer
  await page.getByTestId('need-list').getByText('申请高龄津贴').click();
  await page.getByRole('button', { name: '派单' }).click();
  await expect(page.getByLabel('派给谁（姓名或部门）')).toHaveValue('街道民政科');
  await page.getByRole('button', { name: '派单' }).last().click();
  await expect(page.getByTestId('need-status')).toContainText('已派单');
  await page.getByRole('link', { name: '王秀英' }).click();
  await page.getByTestId('need-list').getByText('需要陪同去医院复查').click();
  await page.getByRole('button', { name: '派单' }).click();
  await page.getByLabel('派给谁（姓名或部门）').fill('志愿者刘敏');
  await page.getByRole('button', { name: '派单' }).last().click();
  await expect(page.getByTestId('need-status')).toContainText('已派单');
  await expect(page.getByTestId('need-history')).toContainText('派单');
  await expect(page.getByTestId('need-history')).toContainText('志愿者刘敏');

  // reload with no network: all of it is on the phone
  const needUrl = page.url();
  await page.reload();
  await expect(page.getByTestId('need-status')).toContainText('已派单');
  await page.goto(needUrl.replace(/\/needs\/.*/, '/households'));
  await page.getByLabel('搜索姓名、电话、地址或网格').fill('3-2-301');
  await page.getByTestId('household-list').getByText('王秀英').click();
  await expect(page.getByTestId('resident-list').locator('li')).toHaveCount(2);
  await expect(page.getByTestId('need-list')).toContainText('街道民政科');
  await expect(page.getByTestId('need-list')).toContainText('志愿者刘敏');
  await expect(page.getByTestId('visit-list').locator('[data-sync="pending"]')).toHaveCount(1);
  await expect(pendingCount(page)).not.toHaveAttribute('data-count', '0');
  expect(server().rows()).toHaveLength(0);

  // the network returns: it syncs by itself, exactly once
  await server().start();
  await ctx.setOffline(false);
  await expect(pendingCount(page)).toHaveAttribute('data-count', '0', { timeout: 60_000 });
  await expect(page.getByTestId('visit-list').locator('[data-sync="synced"]')).toHaveCount(1);
  expect(server().rows('household')).toHaveLength(1);
  expect(
    server()
      .rows('resident')
      .map((r) => r.fields.name)
      .sort(),
  ).toEqual(['李建华', '王秀英']);
  expect(server().rows('visit')).toHaveLength(1);
  const needs = server().rows('need');
  expect(needs.map((n) => [n.fields.route, n.fields.status, n.fields.assignee]).sort()).toEqual([
    ['department', 'assigned', '街道民政科'],
    ['volunteers', 'assigned', '志愿者刘敏'],
  ]);
  expect(
    server()
      .rows('needLog')
      .map((l) => l.fields.action)
      .sort(),
  ).toEqual(['assigned', 'assigned', 'created', 'created']);

  // a second phone of the team finds the household by a resident's name
  const ctx2 = await browser.newContext();
  const page2 = await ctx2.newPage();
  await signIn(page2, server().url, other);
  await page2.getByRole('link', { name: '住户' }).click();
  await page2.getByLabel('搜索姓名、电话、地址或网格').fill('建华');
  await expect(page2.getByTestId('household-list')).toContainText('138****5678');
  await page2.getByTestId('household-list').getByText('王秀英').click();
  await expect(page2.getByTestId('resident-list').locator('li')).toHaveCount(2);
  await expect(page2.getByTestId('need-list').locator('li')).toHaveCount(2);
  await expect(page2.getByTestId('visit-list')).toContainText('燃气');
  await expect(page2.getByText('温州话')).toBeVisible();
  await ctx.close();
  await ctx2.close();
});
