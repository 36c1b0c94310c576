/**
 * The foundation, as a volunteer lives it: sign in online, lose the network (page and
 * service worker alike: the server is stopped), take in 20 items, reload with no network,
 * take in one more, get the network back, and everything reaches the server exactly once without a click;
 * another volunteer of the team then sees it all.
 */
import { expect, test } from '@playwright/test';
import { createEvent, pendingCount, serverForFile, signIn, takeInItem, waitForServiceWorker, writerWorker } from './helpers.ts';

const TEAM = '东湖社区';
const server = serverForFile(TEAM);

test('offline capture of an event and 20 tickets survives a reload, saving goes on after it, and all sync exactly once by themselves', async ({
  browser,
}) => {
  const alice = server().addUser(TEAM, 'alice');
  const bob = server().addUser(TEAM, 'bob');
  const ctxA = await browser.newContext();
  const page = await ctxA.newPage();
  await signIn(page, server().url, alice);
  await waitForServiceWorker(page);
  await expect(pendingCount(page)).toHaveAttribute('data-count', '0');

  // No network for the page, and none for the service worker either.
  await ctxA.setOffline(true);
  await server().stop();

  await createEvent(page, '秋季维修日', '3号楼前空地');
  const numbers: string[] = [];
  for (let i = 1; i <= 20; i++) numbers.push(await takeInItem(page, '电风扇', `第${i}台，不转`));
  expect(new Set(numbers).size).toBe(20);
  await expect(pendingCount(page)).toHaveAttribute('data-count', '21');
  await expect(page.getByTestId('ticket-list').locator('[data-sync="pending"]')).toHaveCount(20);

  // Reload with no network: the shell comes from the precache, the records from IndexedDB.
  await page.reload();
  await expect(page.getByRole('heading', { name: '秋季维修日' })).toBeVisible();
  await expect(page.getByTestId('ticket-list').locator('li')).toHaveCount(20);
  for (const n of numbers) await expect(page.getByTestId('ticket-list')).toContainText(n);
  await expect(pendingCount(page)).toHaveAttribute('data-count', '21');
  expect(server().rows()).toHaveLength(0);

  // Saving still works after the offline reload, in the writer worker — its script comes from the precache too.
  numbers.push(await takeInItem(page, '电水壶', '漏水'));
  expect(await (await writerWorker(page)).evaluate(() => typeof onmessage)).toBe('function');
  await expect(pendingCount(page)).toHaveAttribute('data-count', '22');
  expect(server().rows()).toHaveLength(0);

  // The network returns: no click, just the `online` event.
  await server().start();
  await ctxA.setOffline(false);
  await expect(pendingCount(page)).toHaveAttribute('data-count', '0', { timeout: 60_000 });
  await expect(page.getByTestId('ticket-list').locator('[data-sync="synced"]')).toHaveCount(21);
  await expect(page.getByTestId('last-sync')).not.toHaveText('还没有同步过');

  const tickets = server().rows('repairTicket');
  expect(tickets).toHaveLength(21);
  expect(tickets.map((t) => t.fields.number).sort()).toEqual([...numbers].sort());
  expect(server().rows('repairEvent')).toHaveLength(1);

  // Another volunteer of the team, on another phone.
  const ctxB = await browser.newContext();
  const pageB = await ctxB.newPage();
  await signIn(pageB, server().url, bob);
  await pageB.getByRole('link', { name: /秋季维修日/ }).click();
  await expect(pageB.getByTestId('ticket-list').locator('li')).toHaveCount(21);
  for (const n of numbers) await expect(pageB.getByTestId('ticket-list')).toContainText(n);
  await ctxA.close();
  await ctxB.close();
});
