/**
 * A new app version is offered — "new version ready, reload" — and never forced: while a
 * form holds unsaved input the offer waits, and the volunteer's typing is untouched.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { LinliServer } from './linli-server.ts';
import { signIn, waitForServiceWorker } from './helpers.ts';

let server: LinliServer;
test.beforeAll(async () => {
  const staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-dist-'));
  fs.cpSync('dist', staticDir, { recursive: true });
  server = new LinliServer({ staticDir });
  await server.start();
  server.addTeam('更新测试');
});
test.afterAll(async () => {
  await server.stop();
  server.cleanup();
  fs.rmSync(server.staticDir, { recursive: true, force: true });
});

test('a new version waits for the form to be saved, then reloads on request', async ({ page }) => {
  const user = server.addUser('更新测试', 'updater');
  await signIn(page, server.url, user);
  await waitForServiceWorker(page);

  await page.getByRole('link', { name: '新建活动' }).click();
  await page.getByLabel('活动名称').fill('没保存完的活动');

  // The next version of the app reaches the server, and the browser checks for it.
  fs.appendFileSync(path.join(server.staticDir, 'sw.js'), '\n// next version\n');
  await page.evaluate(async () => {
    await (await navigator.serviceWorker.getRegistration())!.update();
  });
  // (an async predicate in waitForFunction would pass at once: its Promise is truthy)
  await expect.poll(() => page.evaluate(async () => Boolean((await navigator.serviceWorker.getRegistration())?.waiting))).toBe(true);

  // Unsaved input: no offer, nothing reloaded, the typing is still there.
  await page.waitForTimeout(500);
  await expect(page.getByTestId('update-banner')).toHaveCount(0);
  await expect(page.getByLabel('活动名称')).toHaveValue('没保存完的活动');

  await page.getByLabel('地点').fill('5号楼');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('heading', { name: '没保存完的活动' })).toBeVisible();
  await expect(page.getByTestId('update-banner')).toBeVisible();
  await expect(page.getByTestId('update-banner')).toContainText('新版本已准备好');

  await page.getByRole('button', { name: '重新加载' }).click();
  await expect
    .poll(() =>
      page
        .evaluate(async () => {
          const reg = await navigator.serviceWorker.getRegistration();
          return Boolean(reg?.active && !reg.waiting && navigator.serviceWorker.controller);
        })
        // the reload this step asked for destroys the page's context mid-poll: not yet
        .catch(() => false),
    )
    .toBe(true);
  await expect(page.getByTestId('update-banner')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: '没保存完的活动' })).toBeVisible();
});
