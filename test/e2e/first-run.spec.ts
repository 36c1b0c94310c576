/**
 * First visit, language, refused records and signing out — the foundation's other promises,
 * in Chromium through the screens.
 */
import { expect, test } from '@playwright/test';
import { LinliServer } from './linli-server.ts';
import { createEvent, pendingCount, signIn, waitForServiceWorker } from './helpers.ts';

let server: LinliServer;
test.beforeAll(async () => {
  server = new LinliServer();
  await server.start();
});
test.afterAll(async () => {
  await server.stop();
  server.cleanup();
});

test('first visit with an empty database: the setup page creates the team and its coordinator, then refuses a second setup', async ({
  page,
}) => {
  await page.goto(server.url);
  await expect(page.getByRole('heading', { name: '首次设置' })).toBeVisible();
  await page.getByLabel('服务队 / 社区名称').fill('东湖社区');
  await page.getByLabel('协调员用户名').fill('coord');
  await page.getByLabel('协调员姓名').fill('王主任');
  await page.getByLabel('密码（至少 8 位）').fill('short');
  await page.getByLabel('再输入一次密码').fill('short');
  await page.getByRole('button', { name: '创建并登录' }).click();
  await expect(page.getByText('太短了')).toBeVisible();
  await page.getByLabel('密码（至少 8 位）').fill('a-long-secret');
  await page.getByLabel('再输入一次密码').fill('a-long-secrex');
  await page.getByRole('button', { name: '创建并登录' }).click();
  await expect(page.getByText('两次输入的密码不一致')).toBeVisible();
  await page.getByLabel('再输入一次密码').fill('a-long-secret');
  await page.getByRole('button', { name: '创建并登录' }).click();
  await expect(page.getByRole('heading', { name: '维修活动' })).toBeVisible();
  const res = await page.request.post(`${server.url}/api/setup`, {
    data: { teamName: '别的', username: 'another', name: '别人', password: 'a-long-secret' },
  });
  expect(res.status()).toBe(409);
});

test('the UI switches to English and back, and remembers the choice', async ({ page }) => {
  const user = server.addUser('东湖社区', 'lang');
  await signIn(page, server.url, user);
  await page.getByTestId('language').selectOption('en');
  await expect(page.getByRole('heading', { name: 'Repair events' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Repair events' })).toBeVisible();
  await page.getByRole('button', { name: /Large text/ }).click();
  await expect(page.locator('html')).toHaveClass(/large-text/);
  await page.getByTestId('language').selectOption('zh-CN');
  await expect(page.getByRole('heading', { name: '维修活动' })).toBeVisible();
});

test('a record the server refuses is listed with the reason in Chinese, and the rest still sync', async ({ page }) => {
  const user = server.addUser('东湖社区', 'refused');
  await signIn(page, server.url, user);
  await waitForServiceWorker(page);
  await createEvent(page, '周六维修', '广场');
  await expect(pendingCount(page)).toHaveAttribute('data-count', '0', { timeout: 30_000 });
  // A mutation the app's own validation would never produce, slipped into the outbox.
  await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('linli');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const tx = db.transaction('outbox', 'readwrite');
    tx.objectStore('outbox').add({
      id: '0190a000-0000-7000-8000-00000000dead',
      type: 'repairEvent',
      rowId: '0190a000-0000-7000-8000-00000000beef',
      hlc: `${String(Date.now()).padStart(15, '0')}-0000-0000000000000001`,
      fields: { date: '2026-02-30' },
      createdAt: Date.now(),
    });
    await new Promise((res) => (tx.oncomplete = res));
    db.close();
  });
  await createEvent(page, '周日维修', '广场');
  await page.getByRole('button', { name: /立即同步/ }).click();
  await expect(page.getByText('1 条被服务器退回')).toBeVisible({ timeout: 30_000 });
  await expect(pendingCount(page)).toHaveAttribute('data-count', '0');
  await page.getByRole('link', { name: '1 条被服务器退回' }).click();
  await expect(page.getByTestId('failed-list')).toContainText('不是有效的日期，应为 年-月-日');
  expect(
    server
      .rows('repairEvent')
      .map((r) => r.fields.title)
      .sort(),
  ).toEqual(['周六维修', '周日维修']);
  await page.getByRole('button', { name: '知道了，移除' }).click();
  await expect(page.getByText('没有被退回的记录。')).toBeVisible();
});

test('signing out with records not yet uploaded asks first and never deletes them', async ({ page, context }) => {
  const user = server.addUser('东湖社区', 'leaver');
  await signIn(page, server.url, user);
  await waitForServiceWorker(page);
  await context.setOffline(true);
  await server.stop();
  await createEvent(page, '离线活动', '楼下');
  await expect(pendingCount(page)).toHaveAttribute('data-count', '1');
  await page.getByRole('link', { name: '同步与存储' }).first().click();
  await page.getByTestId('sign-out').click();
  await expect(page.getByText('还有 1 条记录没有上传')).toBeVisible();
  await page.getByRole('button', { name: '直接退出（记录保留在手机上）' }).click();
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
  // Back online and signed in again: the record is still there and goes to the server.
  await server.start();
  await context.setOffline(false);
  await signIn(page, server.url, user);
  await expect(page.getByText('离线活动')).toBeVisible();
  await expect(pendingCount(page)).toHaveAttribute('data-count', '0', { timeout: 60_000 });
  expect(server.rows('repairEvent').some((r) => r.fields.title === '离线活动')).toBe(true);
});
