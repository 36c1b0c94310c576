/**
 * The walk-through of issue 25, as a volunteer's thumb does it on a 360 × 740 phone: one
 * intake, a household with its head as first resident, a visit with one need, a check after
 * consent — counting taps, typed fields and scrolls — and the pixels the header and the
 * section bar take. Used by the browser test (walk-through.spec.ts, the goals asserted) and
 * the benchmark (bench/walk-through.ts, the figures printed), so the two measure the same.
 *
 * A scroll is counted when the next thing to tap or type is not under the finger on the
 * screen as it stands: off the screen, or covered (by the sticky save bar or section bar) —
 * read from `elementFromPoint` at its centre, which is what a tap would hit.
 */
import type { Locator, Page } from '@playwright/test';
import { en } from '../../src/shared/i18n/en.ts';
import { zhCN } from '../../src/shared/i18n/zh-CN.ts';

type Catalogue = Record<keyof typeof zhCN, string>;

export class Walk {
  taps = 0;
  fields = 0;
  scrolls = 0;
  /** What needed a scroll first, for the report. */
  scrolledTo: string[] = [];

  /** Whether a tap at the target's centre lands on it now. */
  private reachable(target: Locator): Promise<boolean> {
    return target.evaluate((el) => {
      const r = el.getBoundingClientRect();
      const x = r.left + r.width / 2;
      const y = r.top + Math.min(r.height / 2, 20);
      if (y < 0 || y > window.innerHeight || x < 0 || x > window.innerWidth) return false;
      const hit = document.elementFromPoint(x, y);
      const owner = el.closest('label') ?? el;
      return Boolean(hit && (owner.contains(hit) || hit.contains(el) || (el.id && hit.closest(`label[for="${el.id}"]`))));
    });
  }

  private async reach(target: Locator): Promise<void> {
    await target.waitFor({ state: 'attached' });
    if (await this.reachable(target)) return;
    this.scrolls++;
    if (process.env.WALK_SHOTS) await target.page().screenshot({ path: `${process.env.WALK_SHOTS}/walk-${Date.now()}.png` });
    this.scrolledTo.push(
      String(target)
        .replace(/^.*getBy/, '')
        .slice(0, 60),
    );
    await target.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  }

  async tap(target: Locator): Promise<void> {
    await this.reach(target);
    this.taps++;
    await target.click();
  }

  async type(target: Locator, text: string): Promise<void> {
    await this.reach(target);
    this.fields++;
    await target.fill(text);
  }

  figures(): string {
    return `${this.taps} taps, ${this.fields} typed fields, ${this.scrolls} scrolls${this.scrolls ? ` (to ${this.scrolledTo.join('; ')})` : ''}`;
  }
}

export interface WalkFigures {
  chrome: number;
  intake: Walk;
  home: Walk;
  visit: Walk;
  check: Walk;
}

/** Signs in a coordinator (not counted), sets the mode, lists the team's grids, makes an event; then walks the four tasks. */
export async function walkThrough(
  page: Page,
  url: string,
  user: { username: string; password: string },
  locale: 'zh-CN' | 'en',
  large: boolean,
): Promise<WalkFigures> {
  const t: Catalogue = locale === 'en' ? en : zhCN;
  // set up, not counted: sign in, the mode, the team's grids, an event
  await page.goto(url);
  await page.getByLabel('用户名').fill(user.username);
  await page.getByLabel('密码').fill(user.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('heading', { name: zhCN['event.listTitle'] }).waitFor();
  await page.getByTestId('language').selectOption(locale);
  if (large) await page.getByTestId('large-text').click();
  await page.goto(`${url}/team/settings`);
  await page.getByLabel(t['settings.grids']).fill('A1\nA2\nB1');
  await page.getByRole('button', { name: t['app.save'] }).click();
  await page.getByText(t['settings.saved'].split('（')[0]!.split(' (')[0]!).waitFor();
  await page.goto(url);
  await page.getByRole('link', { name: t['event.new'] }).click();
  await page.getByLabel(t['event.title']).fill('walk');
  await page.getByLabel(t['event.site']).fill('yard');
  await page.getByRole('button', { name: t['app.save'] }).click();
  await page.getByRole('heading', { name: 'walk' }).waitFor();
  const chrome = await page.evaluate(
    () =>
      (document.querySelector('.app-header')?.getBoundingClientRect().height ?? 0) +
      (document.querySelector('nav.sections')?.getBoundingClientRect().height ?? 0),
  );

  // 1. one intake, from the event's board
  const intake = new Walk();
  await intake.tap(page.getByRole('link', { name: t['ticket.new'] }).first());
  await intake.tap(page.getByRole('radio', { name: t['cat.fan'], exact: true }));
  await intake.type(page.getByLabel(t['ticket.problem']), '不转');
  await intake.tap(page.getByRole('button', { name: t['app.save'] }));
  await page.getByTestId('ticket-number').waitFor();

  // 2. a household with its head as first resident, from the households tab
  await page.goto(`${url}/households`);
  const home = new Walk();
  await home.tap(page.getByRole('link', { name: t['household.new'] }).first());
  const grid = page.getByRole('radio', { name: 'A2' });
  if (!(await grid.isChecked())) await home.tap(grid);
  await home.type(page.getByLabel(t['household.building']), '3');
  await home.type(page.getByLabel(t['household.room']), '301');
  await home.type(page.getByLabel(t['household.headName']), '王秀英');
  await home.tap(page.getByRole('button', { name: t['app.save'] }));
  await page.getByTestId('resident-list').getByText('王秀英').waitFor();
  const householdUrl = page.url();

  // 3. a visit with one need, from the household's page
  const visit = new Walk();
  await visit.tap(page.getByRole('link', { name: t['household.recordVisit'] }));
  await visit.tap(page.getByTestId('add-need'));
  await visit.tap(page.getByRole('radio', { name: t['needCat.supplies'], exact: true }));
  await visit.type(page.getByLabel(t['need.description']), '买米');
  await visit.tap(page.getByRole('button', { name: t['app.save'] }));
  await page.waitForURL(householdUrl);

  // 4. a check after consent, from the resident's page (consent recorded first, not counted)
  await page.getByTestId('resident-list').getByText('王秀英').click();
  await page.getByRole('radio', { name: t['consentBy.self'] }).check();
  await page.getByRole('checkbox', { name: t['resident.consentExplained'] }).check();
  await page.getByRole('button', { name: t['resident.recordConsent'] }).click();
  await page.getByTestId('consent-state').waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  const check = new Walk();
  await check.tap(page.getByRole('link', { name: t['resident.newCheck'] }));
  await check.type(page.getByLabel(t['reading.systolic']), '132');
  await check.type(page.getByLabel(t['reading.diastolic']), '84');
  await check.tap(page.getByRole('button', { name: t['app.save'] }));
  await page.waitForURL(/\/checks\//);

  return { chrome, intake, home, visit, check };
}

/** The goals at normal text: intake 3 taps, 1 field, 0 scrolls; a visit with a need ≤ 5 taps; chrome ≤ 120 px. */
export function meetsGoals(f: WalkFigures): boolean {
  return f.intake.taps <= 3 && f.intake.fields <= 1 && f.intake.scrolls === 0 && f.visit.taps <= 5 && f.chrome <= 120;
}
