/**
 * Offline hand-over in the browser (issue 8): a phone with no network takes in items and
 * registers a household, exports a hand-over file (downloaded where there is no share sheet);
 * another phone of the team imports it — twice — and its next sync uploads everything once;
 * when the first phone reaches the network, nothing is duplicated.
 */
import { expect, test } from '@playwright/test';
import { createEvent, pendingCount, registerHousehold, serverForFile, signIn, takeInItem, waitForServiceWorker } from './helpers.ts';

const TEAM = '北湖社区';
const server = serverForFile(TEAM);

test('a phone that stays offline hands its records to another phone by file: uploaded once, however often imported', async ({
  browser,
}, info) => {
  test.setTimeout(180_000);
  const far = server().addUser(TEAM, 'far');
  const near = server().addUser(TEAM, 'near');
  const ctxA = await browser.newContext({ acceptDownloads: true });
  const a = await ctxA.newPage();
  await signIn(a, server().url, far);
  await waitForServiceWorker(a);
  await ctxA.setOffline(true);
  await server().stop();

  await createEvent(a, '山村维修日', '村委会');
  const numbers = [await takeInItem(a, '电饭煲等小厨电', '不加热'), await takeInItem(a, '雨伞', '伞骨断了')];
  await registerHousehold(a, { grid: 'V1', building: '1', room: '1', head: '孙阿婆' });
  // the event, two tickets, the household and its head as its first resident
  await expect(pendingCount(a)).toHaveAttribute('data-count', '5');

  await a.getByRole('link', { name: '同步与存储' }).first().click();
  const [download] = await Promise.all([a.waitForEvent('download'), a.getByTestId('handover-export').click()]);
  expect(download.suggestedFilename()).toMatch(/^linli-handover-far-\d{12}\.json$/);
  const file = info.outputPath('handover.json');
  await download.saveAs(file);
  await expect(a.getByTestId('handover-message')).toContainText('已导出 5 条未上传的记录');

  // another phone of the team, online
  await server().start();
  const ctxB = await browser.newContext();
  const b = await ctxB.newPage();
  await signIn(b, server().url, near);
  await b.getByRole('link', { name: '同步与存储' }).first().click();
  await b.getByTestId('handover-import').setInputFiles(file);
  await expect(b.getByTestId('handover-message')).toContainText('已导入 5 条记录（其中 5 条本机还没有）');
  await expect(pendingCount(b)).toHaveAttribute('data-count', '0', { timeout: 60_000 });
  await b.getByTestId('handover-import').setInputFiles(file);
  await expect(b.getByTestId('handover-message')).toContainText('已导入 5 条记录');
  await expect(pendingCount(b)).toHaveAttribute('data-count', '0', { timeout: 60_000 });
  expect(
    server()
      .rows('repairTicket')
      .map((t) => t.fields.number)
      .sort(),
  ).toEqual([...numbers].sort());
  expect(server().rows('repairEvent')).toHaveLength(1);
  expect(server().rows('household')).toHaveLength(1);
  // the records are on phone B, as B's own
  await b.getByRole('link', { name: '维修' }).click();
  await b.getByRole('link', { name: /山村维修日/ }).click();
  await expect(b.getByTestId('ticket-list').locator('li')).toHaveCount(2);

  // phone A reaches the network at last: it syncs, and nothing is doubled
  await ctxA.setOffline(false);
  await a.getByRole('button', { name: '立即同步' }).click();
  await expect(pendingCount(a)).toHaveAttribute('data-count', '0', { timeout: 60_000 });
  expect(server().rows('repairTicket')).toHaveLength(2);
  expect(server().rows('household')).toHaveLength(1);
  expect(server().rows('resident')).toHaveLength(1);
  expect(server().rows()).toHaveLength(5);

  // a phone of another team cannot import it
  server().addTeam('别的社区');
  const stranger = server().addUser('别的社区', 'stranger');
  const ctxC = await browser.newContext();
  const c = await ctxC.newPage();
  await signIn(c, server().url, stranger);
  await c.getByRole('link', { name: '同步与存储' }).first().click();
  await c.getByTestId('handover-import').setInputFiles(file);
  await expect(c.getByTestId('handover-problem')).toContainText('来自另一个服务队');
  await expect(pendingCount(c)).toHaveAttribute('data-count', '0');
  await ctxA.close();
  await ctxB.close();
  await ctxC.close();
});
