/**
 * What the volunteer's first screen really fetches, measured in Chromium against the real
 * server (which compresses what it sends): every script the page and its workers asked for
 * — not what index.html names — with the bytes that crossed the wire, and what the service
 * worker precached. Two screens, as a new user meets them:
 *
 * 1. the sign-in screen on a first visit, through a throttled link (300 ms round trip,
 *    1.6 Mbit/s each way, by CDP) with the page's CPU throttled 4× (a cheap phone): the time
 *    until the sign-in form can be typed in, the scripts fetched until the network is quiet,
 *    and the precache the service worker fetched meanwhile;
 * 2. the event list of a signed-in volunteer, opened again: the scripts it asks for (from
 *    the service worker's cache now), counted at their compressed size.
 *
 * Goals (issue 23): form usable ≤ 2.5 s; scripts ≤ 90 KB compressed, workers included;
 * precache ≤ 400 KB transferred. Run `npm run build` first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { chromium, type Request } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import { LinliServer } from '../test/e2e/linli-server.ts';

const RTT_MS = 300;
const BYTES_PER_S = 1_600_000 / 8;
const CPU_SLOWDOWN = 4;

const server = new LinliServer();
await server.start();
server.addTeam('基准');
const user = server.addUser('基准', 'bench');

interface Fetched {
  url: string;
  kind: string;
  transferred: number;
  fromServiceWorker: boolean;
  byServiceWorker: boolean;
}

/** A built file's size as the server sends it to a browser that takes brotli (its .br copy, or the file). */
function sentSize(url: string): number {
  const file = path.join('dist', new URL(url).pathname);
  if (fs.existsSync(`${file}.br`)) return fs.statSync(`${file}.br`).size;
  return fs.existsSync(file) ? brotliCompressSync(fs.readFileSync(file)).length : 0;
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'zh-CN', serviceWorkers: 'allow' });
  const fetched: Fetched[] = [];
  const record = async (r: Request) => {
    const sizes = await r.sizes().catch(() => null);
    const res = await r.response().catch(() => null);
    fetched.push({
      url: r.url(),
      kind: r.resourceType(),
      transferred: sizes ? sizes.responseBodySize + sizes.responseHeadersSize : 0,
      fromServiceWorker: res?.fromServiceWorker() ?? false,
      byServiceWorker: r.serviceWorker() !== null,
    });
  };
  ctx.on('requestfinished', (r) => void record(r));

  // 1. first visit, throttled
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: RTT_MS,
    downloadThroughput: BYTES_PER_S,
    uploadThroughput: BYTES_PER_S,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  const t0 = performance.now();
  await page.goto(server.url);
  await page.getByLabel('用户名').waitFor();
  await page.getByLabel('用户名').fill('a');
  const usable = (performance.now() - t0) / 1000;
  // where the time went: each request's start and end on the page's clock
  const timeline = await page.evaluate(() => [
    ...performance
      .getEntriesByType('navigation')
      .map((e) => ({ name: 'document', start: e.startTime, end: (e as PerformanceNavigationTiming).responseEnd })),
    ...performance
      .getEntriesByType('resource')
      .map((e) => ({ name: new URL(e.name).pathname, start: e.startTime, end: (e as PerformanceResourceTiming).responseEnd })),
  ]);
  await page.waitForLoadState('networkidle');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  // the precache is fetched by the service worker at its own pace (the page's CDP throttle is not its): done once it is active
  await page.waitForFunction(async () => (await navigator.serviceWorker.getRegistration())?.active?.state === 'activated', null, {
    polling: 200,
  });
  const scripts = (list: Fetched[]) => list.filter((f) => f.kind === 'script' || /\.m?js(\?|$)/.test(f.url));
  const first = scripts(fetched.filter((f) => !f.byServiceWorker));
  const precache = fetched.filter((f) => f.byServiceWorker);
  console.log(`first visit, ${RTT_MS} ms RTT / 1.6 Mbit/s, CPU ${CPU_SLOWDOWN}× slower`);
  console.log(`  sign-in form usable: ${usable.toFixed(2)} s (goal ≤ 2.5 s)`);
  for (const e of timeline.filter((x) => x.start < usable * 1000))
    console.log(`    ${e.name}: ${(e.start / 1000).toFixed(2)} → ${(e.end / 1000).toFixed(2)} s`);
  console.log(`  scripts the page and its workers fetched: ${first.length}`);
  for (const f of first) console.log(`    ${new URL(f.url).pathname}: ${kb(f.transferred)} transferred`);
  const firstTotal = first.reduce((n, f) => n + f.transferred, 0);
  console.log(`  total: ${kb(firstTotal)} transferred (goal ≤ 90 KB) ${firstTotal <= 90 * 1024 ? 'OK' : 'OVER BUDGET'}`);
  const preTotal = precache.reduce((n, f) => n + f.transferred, 0);
  console.log(
    `  precache: ${precache.length} requests, ${kb(preTotal)} transferred (goal ≤ 400 KB) ${preTotal <= 400 * 1024 ? 'OK' : 'OVER BUDGET'}`,
  );
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });

  // 2. a signed-in volunteer's event list, opened again
  await page.getByLabel('用户名').fill(user.username);
  await page.getByLabel('密码').fill(user.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('link', { name: '新建活动' }).waitFor();
  await page.waitForLoadState('networkidle');
  fetched.length = 0;
  await page.reload();
  await page.getByRole('link', { name: '新建活动' }).waitFor();
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(2000);
  const again = scripts(fetched.filter((f) => !f.byServiceWorker));
  console.log('a signed-in volunteer opens the event list again');
  for (const f of again)
    console.log(
      `    ${new URL(f.url).pathname}: ${kb(sentSize(f.url))} compressed${f.fromServiceWorker ? ' (from the service worker)' : ''}`,
    );
  const againTotal = again.reduce((n, f) => n + sentSize(f.url), 0);
  console.log(`  total: ${kb(againTotal)} compressed, workers included (goal ≤ 90 KB) ${againTotal <= 90 * 1024 ? 'OK' : 'OVER BUDGET'}`);
} finally {
  await browser.close();
  await server.stop();
  server.cleanup();
}
