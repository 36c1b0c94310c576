/** What the browser tests do the way a volunteer does it: through the screens. */
import { expect, type Page } from '@playwright/test';

export async function signIn(page: Page, baseUrl: string, user: { username: string; password: string }): Promise<void> {
  await page.goto(baseUrl);
  await page.getByLabel('用户名').fill(user.username);
  await page.getByLabel('密码').fill(user.password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('heading', { name: '维修活动' })).toBeVisible();
}

/** Waits until the service worker controls the page, so the shell is precached for offline. */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.waitForFunction(async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    return Boolean(reg?.active && navigator.serviceWorker.controller);
  }, undefined, { timeout: 30_000 });
  // the precache is complete once the worker is active; give the cache writes a moment
  await page.waitForFunction(async () => (await caches.keys()).some((k) => k.includes('precache')));
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
  await page.getByLabel('类别').fill(category);
  await page.getByLabel('问题描述').fill(problem);
  await page.getByRole('button', { name: '保存' }).click();
  const tag = page.getByTestId('ticket-number').locator('strong');
  await expect(tag).toHaveText(/^[A-Z]+-\d{3}$/);
  const number = (await tag.textContent()) ?? '';
  await page.getByRole('link', { name: '返回' }).click();
  return number;
}

export function pendingCount(page: Page) {
  return page.getByTestId('pending-count');
}
