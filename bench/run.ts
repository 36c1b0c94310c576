/** `npm run bench`: every benchmark in turn, each in its own process, figures to stdout. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const only = process.argv.slice(2);
const benches = [
  'initial-js',
  'server-push',
  'sync-slow-link',
  'save-latency',
  'indexeddb-floor',
  'search-latency',
  'dashboard',
  'exports',
  'walk-through',
  'check-in',
].filter((b) => only.length === 0 || only.includes(b));
if (
  !fs.existsSync('dist/index.html') &&
  benches.some((b) => ['initial-js', 'save-latency', 'search-latency', 'walk-through', 'check-in'].includes(b))
) {
  spawnSync('npx', ['vite', 'build'], { stdio: 'inherit' });
}
let failed = false;
for (const b of benches) {
  console.log(`\n== ${b}`);
  const r = spawnSync(process.execPath, [`bench/${b}.ts`], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
