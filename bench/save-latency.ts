/**
 * Save latency in Chromium, from the form's submit to durable (record and outbox committed in
 * IndexedDB with strict durability, in the writer worker): the `linli:save` measures the app
 * records — and `linli:save-seen`, until the page hears of it — over SAVES
 * ticket intakes done through the real form — each save a real tap on the button — in the
 * built app served by the real server. Goal (issue 2): p95 ≤ 15 ms.
 */
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import { LinliServer } from '../test/e2e/linli-server.ts';
import { PRESS_BANDS, PRESS_LABEL, pressMs, tap } from './tap.ts';

const SAVES = Number(process.env.BENCH_SAVES ?? 500);
/**
 * Pause between filling the form and submitting. A volunteer takes seconds per intake, so the
 * previous save's list refresh and sync have settled; 0 measures saves back to back.
 */
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 250);
/** Extra Chromium switches, e.g. `--disable-features=DeferRendererTasksAfterInput` to see that hold's share. */
const EXTRA_ARGS = process.env.BENCH_CHROMIUM_EXTRA ? process.env.BENCH_CHROMIUM_EXTRA.split(' ') : [];
const server = new LinliServer();
await server.start();
server.addTeam('bench');
const user = server.addUser('bench', 'bench');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [...CHROMIUM_ARGS, ...EXTRA_ARGS],
});
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
    // A tap as the browser delivers it: a raw press and release at the button. Playwright's
    // click() runs its own checks inside the page around the event, and those held the
    // page's main thread for ~8 ms inside the measured span — the harness, not the app.
    await tap(page.getByRole('button', { name: '保存' }), i);
    await page.getByTestId('ticket-number').waitFor();
    await page.getByRole('link', { name: '返回' }).click();
    await page.waitForURL(eventUrl);
  }
  const measures = (name: string) => page.evaluate((n) => performance.getEntriesByName(n).map((e) => e.duration), name);
  const inOrder = (await measures('linli:save')).slice(1); // the first save is the event
  const seenInOrder = (await measures('linli:save-seen')).slice(1);
  const summary = (values: number[]) => {
    const v = [...values].sort((a, b) => a - b);
    const q = (p: number) => v[Math.min(v.length - 1, Math.floor(v.length * p))]!;
    return { p50: q(0.5), p95: q(0.95), max: v.at(-1)!, text: `p50 ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms` };
  };
  const all = summary(inOrder);
  console.log(
    `save latency in Chromium, submit → durable (record + outbox), ${inOrder.length} ticket saves through the form, ${PRESS_LABEL}, ${THINK_MS} ms think time${EXTRA_ARGS.length ? ` (${EXTRA_ARGS.join(' ')})` : ''}`,
  );
  console.log(`  tap → durable: ${all.text}, max ${all.max.toFixed(1)} ms (goal p95 ≤ 15 ms) ${all.p95 <= 15 ? 'OK' : 'OVER BUDGET'}`);
  const seen = summary(seenInOrder);
  console.log(`  tap → the page hears it is saved: ${seen.text}, max ${seen.max.toFixed(1)} ms`);
  for (const [from, to] of PRESS_BANDS) {
    console.log(
      `    presses of ${from}–${Math.min(to, 160)} ms: ${summary(inOrder.filter((_, i) => pressMs(i) >= from && pressMs(i) < to)).text}`,
    );
  }
  // by hundreds: does a save get slower as the phone fills up?
  for (let i = 0; i < inOrder.length; i += 100) {
    console.log(`    saves ${i + 1}–${Math.min(i + 100, inOrder.length)}: ${summary(inOrder.slice(i, i + 100)).text}`);
  }
} finally {
  await browser.close();
  await server.stop();
  server.cleanup();
}
