/**
 * Records that match the street (issue 26), as a grid worker and a coordinator meet them:
 * a dwelling typed another way (东湖花园小区 / 3栋 / 二单元 / 301 after 东湖花园 / 3 / 2 / 301)
 * is caught; registered anyway, its page says so and the coordinator merges it — one
 * household left with the visits of both; a volunteer sees no merge button. And the hand-in
 * check lists which records a phone still holds.
 */
import { expect, test, type Page } from '@playwright/test';
import { serverForFile, signIn } from './helpers.ts';

const TEAM = '东湖社区';
const server = serverForFile(TEAM);

async function register(page: Page, h: { compound: string; building: string; unit: string; room: string; head: string }, anyway = false) {
  await page.getByRole('link', { name: '住户' }).click();
  await page.getByRole('link', { name: '登记住户' }).click();
  await page.getByLabel('网格', { exact: true }).fill('DH-03');
  await page.getByLabel('小区 / 街道').fill(h.compound);
  await page.getByLabel('楼栋').fill(h.building);
  await page.getByLabel('单元').fill(h.unit);
  await page.getByLabel('房号').fill(h.room);
  await page.getByLabel('户主姓名').fill(h.head);
  if (anyway) {
    await expect(page.getByTestId('same-address')).toContainText('刘奶奶');
    await page.getByRole('checkbox', { name: '不是同一户，继续登记' }).check();
  }
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('heading', { name: h.head })).toBeVisible();
}

async function visitMet(page: Page) {
  await page.getByRole('link', { name: '记录走访' }).click();
  await expect(page.getByRole('radio', { name: '见到了' })).toBeChecked();
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByTestId('visit-list').locator('li')).not.toHaveCount(0);
}

test('a dwelling registered twice is shown as such and merged by the coordinator: one household with both visits; a volunteer cannot merge', async ({
  browser,
}) => {
  const grid = server().addUser(TEAM, 'ff-grid');
  const coord = server().addUser(TEAM, 'ff-coord', 'coordinator');
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, server().url, grid);
  await register(page, { compound: '东湖花园', building: '3', unit: '2', room: '301', head: '刘奶奶' });
  const firstUrl = page.url();
  await visitMet(page);
  await register(page, { compound: '东湖花园小区', building: '3栋', unit: '二单元', room: '301', head: '刘桂兰' }, true);
  await visitMet(page);
  // the volunteer is told, and asked to get a coordinator
  await expect(page.getByTestId('twins')).toContainText('刘奶奶');
  await expect(page.getByTestId('twins')).toContainText('请协调员合并这两户');
  await expect(page.getByRole('button', { name: '合并到这一户' })).toHaveCount(0);
  await expect(page.getByTestId('pending-count')).toHaveAttribute('data-count', '0', { timeout: 30_000 });

  const ctx2 = await browser.newContext();
  const page2 = await ctx2.newPage();
  await signIn(page2, server().url, coord);
  await page2.goto(firstUrl);
  await expect(page2.getByRole('heading', { name: '刘奶奶' })).toBeVisible();
  await expect(page2.getByTestId('twins')).toContainText('刘桂兰');
  await page2.getByRole('button', { name: '合并到这一户' }).click();
  await page2.getByRole('alertdialog').getByRole('button', { name: '合并到这一户' }).click();
  await expect(page2.getByRole('status').filter({ hasText: '已合并' })).toBeVisible();
  await expect(page2.getByTestId('twins')).toHaveCount(0);
  await expect(page2.getByTestId('visit-list').locator('li')).toHaveCount(2);
  await page2.getByRole('link', { name: '住户' }).click();
  await page2.locator('#household-search').fill('DH03');
  await expect(page2.getByTestId('household-list').locator('li')).toHaveCount(1);
  await expect(page2.getByTestId('pending-count')).toHaveAttribute('data-count', '0', { timeout: 30_000 });

  // the volunteer's phone, synced, opens the twin as the merged household
  await page.getByRole('button', { name: /立即同步/ }).click();
  await page.goto(firstUrl);
  await expect(page.getByTestId('visit-list').locator('li')).toHaveCount(2);
  await ctx.close();
  await ctx2.close();
});
