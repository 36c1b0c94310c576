/**
 * Health checks (issue 5) as a health volunteer does them, with no network: the check form
 * does not open before consent; consent recorded, three checks — an impossible reading is
 * refused next to its field, one reading is urgent — the flags at once, a rest and a second
 * reading asked for first (issue 26, item 8), then the one-tap urgent need and follow-up visit; reload offline; sync by itself; the coordinator then finds the
 * urgent resident at the top of the dashboard's list and of the health list.
 */
import { expect, test } from '@playwright/test';
import { E2E_TIMEZONE } from '../../playwright.config.ts';
import { localDay } from '../../src/shared/due.ts';
import { check, consent, household, pendingCount, serverForFile, signIn, waitForServiceWorker } from './helpers.ts';

const TEAM = '南湖社区';
const server = serverForFile(TEAM);

test('offline: consent, three checks (one urgent) with flags and the one-tap follow-up; reload; sync; the coordinator sees the urgent resident first', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const nurse = server().addUser(TEAM, 'sun');
  const coord = server().addUser(TEAM, 'zhou', 'coordinator');
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, server().url, nurse);
  await waitForServiceWorker(page);
  await ctx.setOffline(true);
  await server().stop();

  // a resident whose reading is high but not urgent, for the ordering
  await household(page, '钱大爷', '201');
  await consent(page);
  await check(page, { 收缩压: '146', 舒张压: '88' }, 'abnormal');

  await household(page, '陈奶奶', '502');
  await consent(page);
  const residentUrl = page.url();

  // an impossible reading is named next to its field and nothing is saved
  await page.getByRole('link', { name: '新检查' }).click();
  await page.getByLabel('收缩压').fill('80');
  await page.getByLabel('舒张压').fill('120');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.locator('#systolic-error')).toContainText('收缩压（高压）应高于舒张压');
  await page.getByLabel('收缩压').fill('118');
  await page.getByLabel('舒张压').fill('76');
  // the flags show as the numbers are typed
  await expect(page.getByTestId('flag-preview').getByTestId('flags')).toHaveAttribute('data-level', 'normal');
  await page.getByLabel('脉搏').fill('72');
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForURL(/\/checks\/[0-9a-f]{8}-/);
  await expect(page.getByTestId('flags')).toContainText('各项都在正常范围');
  await expect(page.getByTestId('flags')).toContainText('不是诊断');
  await page.goto(residentUrl);

  await check(page, { 血糖: '6.2', 体温: '36.8' }, 'normal');
  await page.goto(residentUrl);
  await check(page, { 收缩压: '186', 舒张压: '112', 血氧: '96' }, 'urgent');
  await expect(page.getByTestId('flags')).toContainText('3 级高血压范围（紧急）');
  // the check's level once, in words; the urgent flag under it does not say it again (issue 25, item 7)
  await expect(page.getByTestId('flags').locator('.badge[data-level="urgent"]')).toHaveCount(1);
  await expect(page.getByTestId('flags').locator('.badge[data-level="urgent"]')).toHaveText('⚠ 紧急');
  await expect(page.getByTestId('flags').locator('[data-flag="bp.grade3"] .badge')).toHaveCount(0);
  // something to tap at once: a call link for 120
  await expect(page.getByRole('link', { name: '拨打 120' })).toHaveAttribute('href', 'tel:120');
  // an urgent blood pressure is measured again first (rest, a second reading); nothing raised yet
  await expect(page.getByTestId('remeasure')).toContainText('休息 5 分钟');
  await expect(page.getByRole('button', { name: '登记紧急诉求并约定明天回访' })).toHaveCount(0);
  const firstUrgentUrl = page.url();
  await page.getByRole('link', { name: '休息后再量一次' }).click();
  await page.getByLabel('收缩压').fill('182');
  await page.getByLabel('舒张压').fill('110');
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForURL((u) => /\/checks\/[0-9a-f]{8}-/.test(u.pathname) && u.href !== firstUrgentUrl);
  await expect(page.getByTestId('flags')).toHaveAttribute('data-level', 'urgent');
  await expect(page.getByText('再量一次仍然很高')).toBeVisible();
  await page.getByRole('button', { name: '登记紧急诉求并约定明天回访' }).click();
  await expect(page.getByTestId('follow-up-done')).toContainText('已登记紧急就医诉求');
  // the first reading is kept, and leads to the second
  await page.goto(firstUrgentUrl);
  await expect(page.getByRole('link', { name: '已再量一次：查看第二次读数' })).toBeVisible();
  await page.goBack();

  // reload with no network
  await page.reload();
  await expect(page.getByTestId('follow-up-done')).toBeVisible();
  await page.goto(residentUrl);
  await expect(page.getByTestId('check-table').locator('tbody tr')).toHaveCount(4);
  await expect(page.locator('canvas[role="img"]').first()).toBeVisible();
  await page.getByRole('link', { name: '健康' }).click();
  await expect(page.getByTestId('health-list').locator('li').first()).toContainText('陈奶奶');
  await expect(page.getByTestId('health-list').locator('li').first()).toContainText('紧急');
  expect(server().rows()).toHaveLength(0);

  // back online: it all goes up by itself
  await server().start();
  await ctx.setOffline(false);
  await expect(pendingCount(page)).toHaveAttribute('data-count', '0', { timeout: 60_000 });
  const checks = server().rows('healthCheck');
  expect(checks.map((c) => c.fields.level).sort()).toEqual(['abnormal', 'normal', 'normal', 'urgent', 'urgent']);
  // the urgent need comes from the confirming (second) reading; both readings are kept
  const urgents = checks.filter((c) => c.fields.level === 'urgent').sort((a, b) => String(a.fields.at).localeCompare(String(b.fields.at)));
  expect(urgents.map((c) => c.fields.systolic)).toEqual([186, 182]);
  const urgent = urgents[1]!;
  expect(urgent.fields.flags).toEqual(['bp.grade3']);
  expect(
    server()
      .rows('need')
      .map((n) => [n.fields.category, n.fields.urgency, n.fields.healthCheckId]),
  ).toEqual([['medical', 'urgent', urgent.row_id]]);
  // tomorrow on the phone's calendar
  const day = localDay(Date.now() + 86_400_000, E2E_TIMEZONE);
  expect(
    server()
      .rows('household')
      .find((h) => h.fields.headName === '陈奶奶')?.fields.followUpOn,
  ).toBe(day);

  // the coordinator
  const ctx2 = await browser.newContext();
  const page2 = await ctx2.newPage();
  await signIn(page2, server().url, coord);
  await page2.getByRole('link', { name: '今日报表' }).click();
  const first = page2.getByTestId('attention-list').locator('li').first();
  await expect(first).toContainText('陈奶奶');
  await expect(first).toHaveAttribute('data-level', 'urgent');
  await expect(first).toContainText('已跟进');
  await expect(page2.getByTestId('attention-list').locator('li')).toHaveCount(2);
  await page2.getByRole('link', { name: '健康' }).click();
  await expect(page2.getByTestId('health-list').locator('li').first()).toContainText('陈奶奶');
  // the need Linli wrote reads in the reader's language: in English, English (issue 26, item 7)
  await page2.getByTestId('language').selectOption('en');
  await page2.getByRole('link', { name: 'Visits' }).click();
  await expect(page2.getByTestId('urgent-needs')).toContainText('Urgent health flag: Grade 3 hypertension range (urgent)');
  await expect(page2.getByTestId('urgent-needs')).not.toContainText('健康检查紧急提示');
  await ctx.close();
  await ctx2.close();
});
