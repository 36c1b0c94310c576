/**
 * The server is the authority (issue 20), where a screen shows it: a check entered by mistake
 * is never rewritten, only hidden with a reason — offered to whoever recorded it and not to
 * another volunteer, kept on the server with its reason; and a phone whose app judged a
 * reading differently is told, in the refused list, to update the app.
 */
import { expect, test, type Page } from '@playwright/test';
import { DEFAULT_THRESHOLDS_VERSION } from '../../src/shared/health.ts';
import { check, consent, household, pendingCount, serverForFile, signIn, waitForServiceWorker } from './helpers.ts';

const TEAM = '西山社区';
const server = serverForFile(TEAM);

const idFromUrl = (page: Page) => /\/([0-9a-f-]{36})$/.exec(new URL(page.url()).pathname)?.[1] ?? '';

test('a check entered by mistake: its recorder hides it with a reason, another volunteer is not offered it, the server keeps it hidden with the reason', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const nurse = server().addUser(TEAM, 'lin');
  const other = server().addUser(TEAM, 'he');
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, server().url, nurse);
  await waitForServiceWorker(page);
  await household(page, '吴奶奶', '303');
  await consent(page);
  const residentUrl = page.url();
  await check(page, { 收缩压: '152', 舒张压: '94' }, 'abnormal');
  const checkUrl = page.url();
  const checkId = idFromUrl(page);
  await expect(pendingCount(page)).toHaveAttribute('data-count', '0', { timeout: 30_000 });

  // another volunteer of the team sees the check, and is not offered to delete it
  const ctx2 = await browser.newContext();
  const page2 = await ctx2.newPage();
  await signIn(page2, server().url, other);
  await page2.goto(checkUrl);
  await expect(page2.getByTestId('flags')).toHaveAttribute('data-level', 'abnormal');
  await expect(page2.getByRole('button', { name: '删除（录错了）' })).toHaveCount(0);

  // its recorder: the reason is asked for, then the check leaves the lists
  await page.getByRole('button', { name: '删除（录错了）' }).click();
  await expect(page.getByText('已记录的内容不会被改动')).toBeVisible();
  await page.getByRole('button', { name: '确认删除' }).click();
  await expect(page.locator(`#hide-${checkId}-error`)).toContainText('删除已记录的内容需要说明原因');
  await page.getByLabel('删除原因').fill('袖带没绑好，已重测');
  await page.getByRole('button', { name: '确认删除' }).click();
  await page.waitForURL(residentUrl);
  await expect(page.getByText('还没有检查记录。')).toBeVisible();
  await expect(page.getByTestId('check-table')).toHaveCount(0);
  await page.getByRole('button', { name: /立即同步/ }).click();
  await expect(pendingCount(page)).toHaveAttribute('data-count', '0', { timeout: 30_000 });

  // on the server: kept, hidden, with the reason, the readings as recorded
  const stored = server()
    .rows('healthCheck')
    .find((r) => r.row_id === checkId);
  expect(stored?.fields).toMatchObject({
    systolic: 152,
    diastolic: 94,
    level: 'abnormal',
    deleted: true,
    deletedReason: '袖带没绑好，已重测',
  });
  // and gone from the other volunteer's lists once it syncs
  await page2.getByRole('button', { name: /立即同步/ }).click();
  await page2.goto(residentUrl);
  await expect(page2.getByRole('heading', { name: '吴奶奶' })).toBeVisible();
  await expect(page2.getByText('还没有检查记录。')).toBeVisible();
  await ctx.close();
  await ctx2.close();
});

test('an app that judged a reading differently is told to update: the check is listed as refused in words, and stored nowhere', async ({
  page,
}) => {
  const nurse = server().addUser(TEAM, 'ma');
  await signIn(page, server().url, nurse);
  await waitForServiceWorker(page);
  await household(page, '郑爷爷', '404');
  await consent(page);
  const residentId = idFromUrl(page);
  await expect(pendingCount(page)).toHaveAttribute('data-count', '0', { timeout: 30_000 });
  // what an old app version would have queued: 190/100 called normal, with no flags
  const rowId = '0190a000-0000-7000-8000-0000000c0ffe';
  await page.evaluate(
    async ({ residentId, rowId, version }) => {
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const r = indexedDB.open('linli');
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      const resident = await new Promise<{ householdId: string }>((res) => {
        const q = db.transaction('resident').objectStore('resident').get(residentId);
        q.onsuccess = () => res(q.result as { householdId: string });
      });
      const tx = db.transaction('outbox', 'readwrite');
      tx.objectStore('outbox').add({
        id: '0190a000-0000-7000-8000-00000000abcd',
        type: 'healthCheck',
        rowId,
        hlc: `${String(Date.now()).padStart(15, '0')}-0000-0000000000000002`,
        fields: {
          householdId: resident.householdId,
          residentId,
          at: new Date().toISOString(),
          systolic: 190,
          diastolic: 100,
          pulse: null,
          glucose: null,
          glucoseContext: null,
          temperature: null,
          weight: null,
          spo2: null,
          level: 'normal',
          flags: [],
          thresholdVersion: version,
        },
        createdAt: Date.now(),
      });
      await new Promise((res) => (tx.oncomplete = res));
      db.close();
    },
    { residentId, rowId, version: DEFAULT_THRESHOLDS_VERSION },
  );
  await page.getByRole('button', { name: /立即同步/ }).click();
  await expect(page.getByText('1 条被服务器退回')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('link', { name: '1 条被服务器退回' }).click();
  await expect(page.getByTestId('failed-list')).toContainText('与服务器的算法不同');
  await expect(page.getByTestId('failed-list')).toContainText('请更新应用');
  expect(
    server()
      .rows('healthCheck')
      .filter((r) => r.row_id === rowId),
  ).toEqual([]);
});
