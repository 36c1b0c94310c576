/**
 * Walk-through figures (issue 25): what a volunteer's thumb does, counted by a script that
 * does it through the built app on a 360 × 740 phone, in zh-CN and English, normal and large
 * text — taps, typed fields and scrolls for one intake (goal: 3 taps, 1 field, 0 scrolls), a
 * household with its head as first resident, a visit with one need (goal ≤ 5 taps), a check
 * after consent — and the pixels the header (with the sync line) and the section bar take
 * (goal ≤ 120 px). The walk itself is test/e2e/walk.ts (the browser test asserts the goals).
 */
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import { LinliServer } from '../test/e2e/linli-server.ts';
import { meetsGoals, walkThrough } from '../test/e2e/walk.ts';

const server = new LinliServer();
await server.start();
server.addTeam('walk');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
const rows: string[] = [];
let over = false;
try {
  for (const locale of ['zh-CN', 'en'] as const) {
    for (const large of [false, true]) {
      const mode = `${locale}${large ? ' A+' : ''}`;
      const user = server.addUser('walk', `walk-${locale}-${large ? 'l' : 'n'}`, 'coordinator');
      const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, locale });
      const f = await walkThrough(await ctx.newPage(), server.url, user, locale, large);
      // the goals are set for normal text; large text is reported as measured
      const ok = large || meetsGoals(f);
      over ||= !ok;
      rows.push(
        `  ${mode.padEnd(8)} chrome ${Math.round(f.chrome)} px | intake: ${f.intake.figures()} | household + head: ${f.home.figures()} | visit + 1 need: ${f.visit.figures()} | check after consent: ${f.check.figures()}${ok ? '' : '  OVER GOAL'}`,
      );
      await ctx.close();
    }
  }
  console.log(
    'walk-through on a 360 × 740 phone (goals at normal text: intake 3 taps, 1 field, 0 scrolls; visit with a need ≤ 5 taps; chrome ≤ 120 px)',
  );
  console.log(rows.join('\n'));
} finally {
  await browser.close();
  await server.stop();
  server.cleanup();
}
process.exitCode = over ? 1 : 0;
