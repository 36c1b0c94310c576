/**
 * The floor under the save-latency figure: the same shape of IndexedDB transaction a ticket
 * save makes (three reads, then four writes, strict durability) in a bare page with nothing
 * else on it, started by a tap (bench/tap.ts: a finger's press and release) — on the page's
 * main thread and in a worker. Anything the app's save takes beyond this is the app's; this
 * much is the browser and the machine.
 *
 *   node bench/indexeddb-floor.ts        # BENCH_TAPS=150, BENCH_PRESS_MS=finger
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import { PRESS_BANDS, PRESS_LABEL, pressMs, tap } from './tap.ts';

const TAPS = Number(process.env.BENCH_TAPS ?? 150);
const files: Record<string, string> = {
  '/': `<!doctype html><meta charset="utf-8"><textarea id="t"></textarea>
<button id="main" style="width:200px;height:60px">main</button>
<button id="worker" style="width:200px;height:60px">worker</button>
<script type="module" src="/page.js"></script>`,
  '/save.js': `
export function open() {
  return new Promise((resolve, reject) => {
    const r = indexedDB.open('floor', 1);
    r.onupgradeneeded = () => { for (const s of ['rec', 'outbox', 'meta']) r.result.createObjectStore(s); };
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}
let n = 0;
export function save(db) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(['rec', 'outbox', 'meta'], 'readwrite', { durability: 'strict' });
    const meta = tx.objectStore('meta');
    let left = 3;
    for (const k of ['user', 'clock', 'counter']) meta.get(k).onsuccess = () => { if (--left === 0) write(); };
    function write() {
      const id = crypto.randomUUID();
      n++;
      tx.objectStore('rec').put({ id, problem: '不转'.repeat(40), n }, id);
      tx.objectStore('outbox').put({ id, fields: { problem: '不转' } }, id);
      meta.put(n, 'counter');
      meta.put(Date.now(), 'clock');
    }
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}`,
  '/page.js': `
import { open, save } from '/save.js';
const db = await open();
const worker = new Worker('/worker.js', { type: 'module' });
const waiting = [];
worker.onmessage = (e) => waiting.shift()(e.data);
window.__times = { main: [], worker: [], workerCommit: [] };
document.getElementById('main').addEventListener('click', async () => {
  const t = performance.now(); await save(db); window.__times.main.push(performance.now() - t);
});
document.getElementById('worker').addEventListener('click', async () => {
  const t = performance.now();
  // the worker answers with the moment its transaction completed, on the shared clock
  const committedAt = await new Promise((r) => { waiting.push(r); worker.postMessage('save'); });
  window.__times.worker.push(performance.now() - t);
  window.__times.workerCommit.push(committedAt - (performance.timeOrigin + t));
});
window.__ready = true;`,
  '/worker.js': `
import { open, save } from '/save.js';
const db = open();
self.onmessage = async () => { await save(await db); self.postMessage(performance.timeOrigin + performance.now()); };`,
};
const server = http.createServer((req, res) => {
  const body = files[req.url ?? ''];
  if (body === undefined) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': req.url === '/' ? 'text/html' : 'text/javascript' }).end(body);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  const page = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __ready?: boolean }).__ready === true);
  for (let i = 0; i < TAPS; i++) {
    for (const which of ['main', 'worker']) {
      await page.locator('#t').fill(`第 ${i} 台`);
      await page.waitForTimeout(100);
      await tap(page.locator(`#${which}`), i);
      await page.waitForTimeout(150);
    }
  }
  const times = await page.evaluate(() => (window as unknown as { __times: Record<string, number[]> }).__times);
  console.log(
    `bare IndexedDB transaction of a save's shape (3 reads, then 4 writes, strict), tap → complete, ${TAPS} taps each, ${PRESS_LABEL}`,
  );
  const summary = (values: number[]) => {
    const v = [...values].sort((a, b) => a - b);
    const q = (p: number) => v[Math.min(v.length - 1, Math.floor(v.length * p))]!.toFixed(1);
    return `p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${v.at(-1)!.toFixed(1)} ms`;
  };
  const label: Record<string, string> = {
    main: 'on the page, tap → page sees complete             ',
    worker: 'in a worker, tap → page hears back                ',
    workerCommit: 'in a worker, tap → worker sees complete (durable) ',
  };
  for (const k of ['main', 'worker', 'workerCommit']) {
    console.log(`  ${label[k]}: ${summary(times[k]!)}`);
    for (const [from, to] of PRESS_BANDS) {
      console.log(
        `    presses of ${from}–${Math.min(to, 160)} ms: ${summary(times[k]!.filter((_, i) => pressMs(i) >= from && pressMs(i) < to))}`,
      );
    }
  }
} finally {
  await browser.close();
  server.close();
}
