/** What the browser tests do the way a volunteer does it: through the screens. */
import { expect, test, type Page, type Worker } from '@playwright/test';
import { LinliServer } from './linli-server.ts';

export async function signIn(page: Page, baseUrl: string, user: { username: string; password: string }): Promise<void> {
  await page.goto(baseUrl);
  await page.getByLabel('用户名').fill(user.username);
  await page.getByLabel('密码').fill(user.password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('heading', { name: '维修活动' })).toBeVisible();
}

/**
 * Waits until the service worker is active — its install, which fills the precache, has
 * finished — and controls the page, so the shell and every screen open with no network.
 * (`waitForFunction` would take an async predicate's Promise as truthy at once.)
 */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller)), { timeout: 30_000 }).toBe(true);
}

export async function createEvent(page: Page, title: string, site: string): Promise<void> {
  await page.getByRole('link', { name: '邻里', exact: true }).click();
  await page.getByRole('link', { name: '新建活动' }).click();
  await page.getByLabel('活动名称').fill(title);
  await page.getByLabel('地点').fill(site);
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
}

export async function takeInItem(page: Page, category: string, problem: string): Promise<string> {
  await page.getByRole('link', { name: '登记物品' }).click();
  await page.getByRole('radio', { name: category, exact: true }).check();
  await page.getByLabel('问题描述').fill(problem);
  await page.getByRole('button', { name: '保存' }).click();
  const tag = page.getByTestId('ticket-number').locator('strong');
  await expect(tag).toHaveText(/^[A-Z]+-\d{3}$/);
  const number = (await tag.textContent()) ?? '';
  await page.getByRole('link', { name: '返回' }).click();
  return number;
}

/** Registers a household from the households tab, by the fewest fields the form asks for, and opens it. */
export async function registerHousehold(
  page: Page,
  h: { grid: string; building: string; unit?: string; room: string; head: string },
): Promise<void> {
  await page.getByRole('link', { name: '住户' }).click();
  await page.getByRole('link', { name: '登记住户' }).click();
  await page.getByLabel('网格', { exact: true }).fill(h.grid);
  await page.getByLabel('楼栋').fill(h.building);
  if (h.unit) await page.getByLabel('单元').fill(h.unit);
  await page.getByLabel('房号').fill(h.room);
  await page.getByLabel('户主姓名').fill(h.head);
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('heading', { name: h.head })).toBeVisible();
}

export function pendingCount(page: Page) {
  return page.getByTestId('pending-count');
}

/** The writer worker, where the page's saves run (src/data/writer-worker.ts); it starts once the first screen is up. */
export async function writerWorker(page: Page): Promise<Worker> {
  let found: Worker | undefined;
  await expect.poll(() => (found = page.workers().find((w) => w.url().includes('writer-worker')))).toBeTruthy();
  return found!;
}

/**
 * One real server for a spec file, with one team: started before the file's tests, stopped
 * and its data removed after. Returns the running server.
 */
export function serverForFile(team: string): () => LinliServer {
  let server: LinliServer | undefined;
  test.beforeAll(async () => {
    server = new LinliServer();
    await server.start();
    server.addTeam(team);
  });
  test.afterAll(async () => {
    await server?.stop();
    server?.cleanup();
  });
  return () => server!;
}
