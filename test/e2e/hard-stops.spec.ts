/**
 * The browser's hard stops (issue 8):
 *
 * - the app is closed in the middle of a sync — the whole browser, service worker included,
 *   after the server committed a push but before the phone heard back (a dead battery): on
 *   the next start the phone sends again and the server keeps one copy of each record;
 * - the storage is full: the save is refused with a clear message in the volunteer's
 *   language, the form keeps what was typed, and nothing saved before is lost;
 * - the writer worker dies after a save committed but before it answered: the tap says it
 *   failed, and tapping again finds the need's step saved rather than taking it twice.
 *
 * A small proxy stands between the browser and the server, so the test can cut the app off
 * at the exact moment a push has been answered by the server.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, expect, test } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../playwright.config.ts';
import {
  createEvent,
  pendingCount,
  registerHousehold,
  serverForFile,
  signIn,
  takeInItem,
  waitForServiceWorker,
  writerWorker,
} from './helpers.ts';

const TEAM = '南湖社区';
const server = serverForFile(TEAM);

/** Forwards everything to the server; `onPushAnswered` runs once the server has answered a push, before the browser gets it. */
async function startProxy(target: string, hooks: { onPushAnswered?: () => Promise<void> }) {
  const upstream = new URL(target);
  const proxy = http.createServer((req, res) => {
    const out = http.request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      async (answer) => {
        const isPush = req.url?.startsWith('/api/sync/push') && answer.statusCode === 200;
        if (isPush && hooks.onPushAnswered) {
          const hook = hooks.onPushAnswered;
          hooks.onPushAnswered = undefined;
          answer.resume();
          await hook();
          res.destroy();
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  return { url: `http://localhost:${(proxy.address() as AddressInfo).port}`, proxy };
}

test('closing the app in the middle of a sync, after the server committed: nothing lost, nothing duplicated on the next start', async () => {
  const user = server().addUser(TEAM, 'battery');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-profile-'));
  let pushesSeen = 0;
  const hooks: { onPushAnswered?: () => Promise<void> } = {};
  const { url, proxy } = await startProxy(server().url, hooks);
  const launch = () =>
    chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
      headless: true,
      locale: 'zh-CN',
      viewport: { width: 360, height: 740 },
      serviceWorkers: 'allow',
    });
  try {
    let ctx = await launch();
    let page = ctx.pages()[0] ?? (await ctx.newPage());
    await signIn(page, url, user);
    await waitForServiceWorker(page);
    await expect(pendingCount(page)).toHaveAttribute('data-count', '0', { timeout: 30_000 });

    // Offline, take items in; the server is stopped so no flush gets through meanwhile.
    await server().stop();
    await ctx.setOffline(true);
    await createEvent(page, '停电那天', '活动室');
    const numbers: string[] = [];
    for (let i = 1; i <= 12; i++) numbers.push(await takeInItem(page, '电水壶', `第${i}个，不热`));
    await expect(pendingCount(page)).toHaveAttribute('data-count', '13');

    // The server returns; the first push it answers is the moment the battery dies.
    let closed: Promise<void> | undefined;
    hooks.onPushAnswered = async () => {
      pushesSeen++;
      closed = ctx.close();
    };
    await server().start();
    await ctx.setOffline(false);
    await page
      .getByRole('button', { name: '立即同步' })
      .click()
      .catch(() => undefined);
    await expect.poll(() => pushesSeen, { timeout: 60_000 }).toBe(1);
    await closed;
    const afterCrash = server().rows('repairTicket').length;
    // the server did commit before the phone died
    expect(afterCrash).toBeGreaterThan(0);

    // The next morning: the app opens with everything still on the phone and sends again.
    ctx = await launch();
    page = ctx.pages()[0] ?? (await ctx.newPage());
    await page.goto(url);
    await expect(page.getByRole('link', { name: /停电那天/ })).toBeVisible();
    await expect(pendingCount(page)).toHaveAttribute('data-count', '0', { timeout: 60_000 });
    const tickets = server().rows('repairTicket');
    expect(tickets).toHaveLength(12);
    expect(tickets.map((t) => t.fields.number).sort()).toEqual([...numbers].sort());
    expect(server().rows('repairEvent')).toHaveLength(1);
    await page.getByRole('link', { name: /停电那天/ }).click();
    await expect(page.getByTestId('ticket-list').locator('[data-sync="synced"]')).toHaveCount(12);
    await ctx.close();
  } finally {
    proxy.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
});

test('a full phone: the save is refused in words, the form keeps its text, and every earlier record is kept', async ({ page }) => {
  const user = server().addUser(TEAM, 'full');
  await signIn(page, server().url, user);
  await waitForServiceWorker(page);
  await createEvent(page, '满了', '楼下');
  const first = await takeInItem(page, '台灯灯具', '不亮');

  // From now on IndexedDB refuses every write, as a browser does when the quota is used up —
  // on the page and in the writer worker, where saves run.
  const refuseWrites = () => {
    const refuse = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    IDBObjectStore.prototype.put = refuse;
    IDBObjectStore.prototype.add = refuse;
  };
  await page.evaluate(refuseWrites);
  await (await writerWorker(page)).evaluate(refuseWrites);
  await page.getByRole('link', { name: '登记物品' }).click();
  await page.getByRole('radio', { name: '电风扇', exact: true }).check();
  await page.getByLabel('问题描述').fill('摇头不转');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('alert').filter({ hasText: '手机存储空间已满' })).toBeVisible();
  await expect(page.getByLabel('问题描述')).toHaveValue('摇头不转');
  await expect(page.getByRole('radio', { name: '电风扇', exact: true })).toBeChecked();

  // Space freed (a reload clears the simulation): what was saved is all there, and saving works again.
  await page.reload();
  await page.goto(`${new URL(page.url()).origin}/`);
  await page.getByRole('link', { name: /满了/ }).click();
  await expect(page.getByTestId('ticket-list').locator('li')).toHaveCount(1);
  await expect(page.getByTestId('ticket-list')).toContainText(first);
  const second = await takeInItem(page, '电风扇', '摇头不转');
  expect(second).not.toBe(first);
  await expect(page.getByTestId('ticket-list').locator('li')).toHaveCount(2);
});

/** Records the durability of every read-write IndexedDB transaction opened where it runs (a page or a worker). */
function recordDurability(): void {
  const seen: string[] = [];
  (globalThis as unknown as { __durability: string[] }).__durability = seen;
  const original = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
    const tx = original.apply(this, args);
    if (tx.mode === 'readwrite') seen.push(tx.durability);
    return tx;
  } as IDBDatabase['transaction'];
}

test('every write on the phone is committed to disk before it is called saved (strict durability), saves and sync alike', async ({
  browser,
}) => {
  const user = server().addUser(TEAM, 'durable');
  const ctx = await browser.newContext();
  await ctx.addInitScript(recordDurability);
  const page = await ctx.newPage();
  await signIn(page, server().url, user);
  // and in the writer worker, where saves run
  const writer = await writerWorker(page);
  await writer.evaluate(recordDurability);
  await createEvent(page, '耐久性', '院子');
  await takeInItem(page, '电风扇', '不转');
  await expect(pendingCount(page)).toHaveAttribute('data-count', '0', { timeout: 30_000 });
  const recorded = () => (globalThis as unknown as { __durability: string[] }).__durability;
  const onPage = await page.evaluate(recorded);
  const inWriter = await writer.evaluate(recorded);
  // the event and the ticket (in the writer); the meta writes, the acknowledgements, the pulled pages (on the page)
  expect(inWriter.length).toBe(2);
  expect(onPage.length).toBeGreaterThan(1);
  expect([...new Set([...onPage, ...inWriter])]).toEqual(['strict']);
  await ctx.close();
});

test('where the writer worker cannot start, saves run on the page: saved, kept over a reload, synced once', async ({ browser }) => {
  const user = server().addUser(TEAM, 'noworker');
  const ctx = await browser.newContext({ serviceWorkers: 'block' });
  let refused = 0;
  await ctx.route(/writer-worker-[^/]*\.js$/, (route) => {
    refused++;
    return route.abort();
  });
  const page = await ctx.newPage();
  await signIn(page, server().url, user);
  await createEvent(page, '没有后台', '院子');
  const first = await takeInItem(page, '电风扇', '不转');
  const second = await takeInItem(page, '电水壶', '漏水');
  expect(refused).toBeGreaterThan(0);
  expect(second).not.toBe(first);
  await page.reload();
  await expect(page.getByRole('heading', { name: '没有后台' })).toBeVisible();
  await expect(page.getByTestId('ticket-list').locator('li')).toHaveCount(2);
  await expect(pendingCount(page)).toHaveAttribute('data-count', '0', { timeout: 30_000 });
  const onServer = server()
    .rows('repairTicket')
    .filter((r) => [first, second].includes(String(r.fields.number)));
  expect(onServer).toHaveLength(2);
  await ctx.close();
});

/**
 * Run inside the writer worker: the next save of `name` runs and commits, and then the worker
 * dies instead of answering — the ambiguous failure (was it saved?) the phone must survive.
 */
function loseWriterAfter(name: string): void {
  const scope = globalThis as unknown as { onmessage: (e: MessageEvent<{ name: string }>) => unknown; postMessage: (m: unknown) => void };
  const handle = scope.onmessage;
  scope.onmessage = (event) => {
    if (event.data.name === name) {
      scope.onmessage = handle;
      scope.postMessage = () =>
        setTimeout(() => {
          throw new Error('writer lost');
        });
    }
    return handle(event);
  };
}

test("the writer lost after a need's step or evaluation committed: the tap says it failed, tapping again finds it saved — one history line each", async ({
  browser,
}) => {
  const user = server().addUser(TEAM, 'lostwriter');
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, server().url, user);

  // a household, and a visit with one need
  await registerHousehold(page, { grid: 'B1', building: '5栋', unit: '1', room: '102', head: '陈桂兰' });
  await page.getByRole('link', { name: '记录走访' }).click();
  await page.getByRole('radio', { name: '见到了' }).check();
  await page.getByRole('button', { name: '添加诉求' }).click();
  const need = page.getByRole('group', { name: '诉求 1' });
  await need.getByRole('radio', { name: '就医' }).check();
  await need.getByLabel('具体情况').fill('需要陪同去医院复查');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByTestId('need-list').getByText('需要陪同去医院复查').click();
  const history = page.getByTestId('need-history').locator('li');
  await expect(history).toHaveCount(1);

  // 派单: committed by the writer, which then dies before it answers
  await (await writerWorker(page)).evaluate(loseWriterAfter, 'takeNeedStep');
  await page.getByRole('button', { name: '派单' }).click();
  await page.getByLabel('派给谁（姓名或部门）').fill('志愿者刘敏');
  await page.getByRole('button', { name: '派单' }).last().click();
  await expect(page.getByRole('alert').filter({ hasText: '保存失败' })).toBeVisible();
  await expect(page.getByLabel('派给谁（姓名或部门）')).toHaveValue('志愿者刘敏');
  // the volunteer taps again, as the form invites: found saved (not "this step cannot be
  // taken now", and not a second assignment)
  await page.getByRole('button', { name: '派单' }).last().click();
  await expect(page.getByRole('status').filter({ hasText: '已保存' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByTestId('need-status')).toContainText('已派单');
  await expect(history).toHaveCount(2);

  // 接单, 办结 (saves now run on the page: the writer is gone), then the evaluation, lost the same way
  await page.getByRole('button', { name: '接单' }).click();
  await expect(history).toHaveCount(3);
  await page.getByRole('button', { name: '办结' }).click();
  await page.getByLabel('处理结果').fill('已陪同复查');
  await page.getByRole('button', { name: '办结' }).last().click();
  await expect(page.getByTestId('need-status')).toContainText('已解决');
  await expect(history).toHaveCount(4);
  await page.reload();
  // after a reload the writer starts at the volunteer's first touch or key
  await page.keyboard.press('Shift');
  await (await writerWorker(page)).evaluate(loseWriterAfter, 'evaluateNeed');
  await page.getByRole('radio', { name: '满意', exact: true }).check();
  await page.getByRole('button', { name: '保存评价' }).click();
  await expect(page.getByRole('alert').filter({ hasText: '保存失败' })).toBeVisible();
  await page.getByRole('button', { name: '保存评价' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已保存' })).toBeVisible();
  await expect(history).toHaveCount(5);

  // and the server holds each step once
  await expect(pendingCount(page)).toHaveAttribute('data-count', '0', { timeout: 30_000 });
  const needId = new URL(page.url()).pathname.split('/').at(-1);
  const lines = server()
    .rows('needLog')
    .filter((l) => l.fields.needId === needId);
  expect(lines.map((l) => l.fields.action).sort()).toEqual(['accepted', 'assigned', 'created', 'evaluated', 'resolved']);
  await ctx.close();
});
