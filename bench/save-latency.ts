/**
 * Save latency in Chromium, from the form's submit to durable (record and outbox committed in
 * IndexedDB with strict durability): the `linli:save` measures the app records, over SAVES
 * ticket intakes done through the real form — each save a real tap on the button — in the
 * built app served by the real server. Goal (issue 2): p95 ≤ 15 ms.
 */
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import { LinliServer } from '../test/e2e/linli-server.ts';

const SAVES = Number(process.env.BENCH_SAVES ?? 500);
/**
 * Pause between filling the form and submitting. A volunteer takes seconds per intake, so the
 * previous save's list refresh and sync have settled; 0 measures saves back to back.
 */
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 250);
const server = new LinliServer();
await server.start();
server.addTeam('bench');
const user = server.addUser('bench', 'bench');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  const page = await (await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'zh-CN' })).newPage();
  await page.goto(server.url);
  await page.getByLabel('用户名').fill(user.username);
  await page.getByLabel('密码').fill(user.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('link', { name: '新建活动' }).click();
  await page.getByLabel('活动名称').fill('基准测试');
  await page.getByLabel('地点').fill('院子');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByRole('heading', { name: '基准测试' }).waitFor();
  const eventUrl = page.url();
  for (let i = 0; i < SAVES; i++) {
    await page.getByRole('link', { name: '登记物品' }).click();
    await page.getByRole('radio', { name: '电风扇', exact: true }).check();
    await page.getByLabel('问题描述').fill(`第 ${i} 台不转`);
    if (THINK_MS > 0) await page.waitForTimeout(THINK_MS);
    // A tap as the browser delivers it: a raw input event at the button. Playwright's
    // click() runs its own checks inside the page around the event, and those held the
    // page's main thread for ~8 ms inside the measured span — the harness, not the app.
    const save = page.getByRole('button', { name: '保存' });
    await save.scrollIntoViewIfNeeded();
    const box = (await save.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.getByTestId('ticket-number').waitFor();
    await page.getByRole('link', { name: '返回' }).click();
    await page.waitForURL(eventUrl);
  }
  const durations = await page.evaluate(() => performance.getEntriesByName('linli:save').map((e) => e.duration));
  const inOrder = durations.slice(1); // the first save is the event
  const tickets = [...inOrder].sort((a, b) => a - b);
  const q = (p: number) => tickets[Math.min(tickets.length - 1, Math.floor(tickets.length * p))]!;
  console.log(`save latency in Chromium, submit → durable (record + outbox), ${tickets.length} ticket saves through the form, ${THINK_MS} ms think time`);
  console.log(`  p50 ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, max ${tickets.at(-1)!.toFixed(1)} ms (goal p95 ≤ 15 ms) ${q(0.95) <= 15 ? 'OK' : 'OVER BUDGET'}`);
  // by hundreds: does a save get slower as the phone fills up?
  for (let i = 0; i < inOrder.length; i += 100) {
    const part = inOrder.slice(i, i + 100).sort((a, b) => a - b);
    const pq = (p: number) => part[Math.min(part.length - 1, Math.floor(part.length * p))]!;
    console.log(`    saves ${i + 1}–${i + part.length}: p50 ${pq(0.5).toFixed(1)} ms, p95 ${pq(0.95).toFixed(1)} ms`);
  }
} finally {
  await browser.close();
  await server.stop();
  server.cleanup();
}
