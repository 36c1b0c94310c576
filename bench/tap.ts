/**
 * A tap as a volunteer's finger makes it, for the browser benchmarks: a press, a rest on the
 * glass, a release. The rest matters: after an input event that needs a new frame (the
 * pressed button's :active style ends at the release), Chromium holds the page's other tasks
 * — IndexedDB's answers among them — until that frame is drawn (its DeferRendererTasksAfterInput
 * scheduling), and frames come on the display's 16.7 ms beat, so where the release falls in
 * the beat sets the wait.
 *
 * `BENCH_PRESS_MS`: "finger" (default) spreads the presses evenly over 40–160 ms, what a
 * finger's tap lasts; a number presses every time for that long (0: press and release at
 * once, as a synthetic click does).
 */
import type { Locator } from '@playwright/test';

export const PRESS = process.env.BENCH_PRESS_MS ?? 'finger';

/** The i-th tap's rest on the glass, in ms. */
export function pressMs(i: number): number {
  return PRESS === 'finger' ? 40 + ((i * 37) % 121) : Number(PRESS);
}

export const PRESS_LABEL = PRESS === 'finger' ? 'presses of 40–160 ms' : `presses of ${PRESS} ms`;

/** Press bands to report separately when the presses vary. */
export const PRESS_BANDS =
  PRESS === 'finger'
    ? ([
        [40, 80],
        [80, 120],
        [120, 161],
      ] as const)
    : [];

/** A raw press and release at the element's centre (Playwright's click() runs checks inside the page around the event). */
export async function tap(target: Locator, i: number): Promise<void> {
  await target.scrollIntoViewIfNeeded();
  const box = (await target.boundingBox())!;
  await target.page().mouse.click(box.x + box.width / 2, box.y + box.height / 2, { delay: pressMs(i) });
}
