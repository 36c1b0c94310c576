/**
 * Initial JavaScript of the volunteer's first screen, gzipped: the entry script of the built
 * index.html and everything it preloads (lazy screens are not counted — they load when opened).
 * Run `npm run build` first. Goal (issue 2): ≤ 60 KB.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = path.resolve('dist');
const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
const srcs = [...html.matchAll(/<script[^>]+src="([^"]+)"|<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map((m) => m[1] ?? m[2]!);
let total = 0;
const rows: string[] = [];
for (const src of srcs) {
  const bytes = fs.readFileSync(path.join(dist, src));
  const gz = gzipSync(bytes, { level: 9 }).length;
  total += gz;
  rows.push(`  ${src}: ${(bytes.length / 1024).toFixed(1)} KB raw, ${(gz / 1024).toFixed(1)} KB gzip`);
}
console.log('initial JavaScript of the first screen');
console.log(rows.join('\n'));
console.log(`  total: ${(total / 1024).toFixed(1)} KB gzip (goal ≤ 60 KB) ${total / 1024 <= 60 ? 'OK' : 'OVER BUDGET'}`);
