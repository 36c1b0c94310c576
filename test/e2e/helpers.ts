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

/** The writer worker, where the page's saves run (src/data/writer-worker.ts); it starts just after sign-in, or at a signed-in volunteer's first touch. */
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

/** A household whose head is registered as its first resident on the same form, from the households tab; ends on the resident. */
export async function household(page: Page, head: string, room: string) {
  await page.getByRole('link', { name: '住户' }).click();
  await page.getByRole('link', { name: '登记住户' }).click();
  await page.getByLabel('网格', { exact: true }).fill('C2');
  await page.getByLabel('楼栋').fill('7');
  await page.getByLabel('房号').fill(room);
  await page.getByLabel('户主姓名').fill(head);
  await expect(page.getByRole('checkbox', { name: /把户主也登记为居民/ })).toBeChecked();
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('heading', { name: head })).toBeVisible();
  await page.getByTestId('resident-list').getByText(head).click();
  await expect(page.getByRole('heading', { name: head })).toBeVisible();
}

/** Consent recorded for the open resident by a family member, after the form insists on the explanation. */
export async function consent(page: Page) {
  await expect(page.getByRole('link', { name: '新检查' })).toHaveCount(0);
  await expect(page.getByText('没有有效的同意，不能记录检查')).toBeVisible();
  await page.getByRole('radio', { name: '家属' }).check();
  await page.getByLabel('同意人姓名').fill('孙女 陈静');
  await page.getByRole('button', { name: '记录同意' }).click();
  await expect(page.getByText('请先向对方说明并勾选')).toBeVisible();
  await page.getByRole('checkbox', { name: /我已向对方说明/ }).check();
  await page.getByRole('button', { name: '记录同意' }).click();
  await expect(page.getByTestId('consent-state')).toContainText('孙女 陈静');
}

/** A check with these readings (by label) for the open resident; ends on the check, judged `expectLevel`. */
export async function check(page: Page, readings: Record<string, string>, expectLevel: string) {
  await page.getByRole('link', { name: '新检查' }).click();
  for (const [label, value] of Object.entries(readings)) await page.getByLabel(label).fill(value);
  if (readings['血糖']) await page.getByRole('radio', { name: '空腹' }).check();
  await page.getByRole('button', { name: '保存' }).click();
  // the result screen opens once the save has committed (the form's own live preview also shows flags)
  await page.waitForURL(/\/checks\/[0-9a-f]{8}-/);
  await expect(page.getByTestId('flags')).toHaveAttribute('data-level', expectLevel);
}
