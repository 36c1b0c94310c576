/**
 * The sign-in sheet at a repair day with no signal (issue 21, the roster and attendance):
 * a one-day volunteer added and checked in in a few taps, the same phone number caught, a
 * check-out, the figures of the sheet — then back online, one attendance on the server; a
 * coordinator adjusts the hours (a reason is asked), confirms, and the lead's phone shows it.
 */
import { expect, test } from '@playwright/test';
import { createEvent, pendingCount, serverForFile, signIn, waitForServiceWorker } from './helpers.ts';

const TEAM = '北湖社区';
const server = serverForFile(TEAM);

test('offline: a student added and checked in, the same phone caught, checked out; synced once; the coordinator confirms adjusted hours with a reason, links the entry to an account, and its volunteer sees them on 我的服务', async ({
  page,
  context,
}) => {
  const lead = server().addUser(TEAM, 'lead');
  await signIn(page, server().url, lead);
  await waitForServiceWorker(page);
  await context.setOffline(true);
  await server().stop();

  await createEvent(page, '周六修理日', '东湖花园');
  await page.getByRole('link', { name: '志愿者签到/签退' }).click();
  await expect(page.getByRole('heading', { name: '志愿者签到 · 周六修理日' })).toBeVisible();
  await expect(page.getByText('名册里还没有志愿者')).toBeVisible();
  await page.getByText(/添加志愿者/).click();
  await page.getByLabel('姓名').fill('林小雨');
  await page.getByLabel('手机号').fill('138 0013 8000');
  await page.getByLabel('学校或单位').fill('东湖职业技术学院');
  await page.getByRole('button', { name: '添加并签到' }).click();
  const row = page.getByTestId('sheet-row').filter({ hasText: '林小雨' });
  await expect(row).toHaveAttribute('data-state', 'in');
  await expect(row).toContainText('138****8000');
  await expect(page.getByTestId('sheet-summary')).toContainText('已签到 1 人 · 仍在场 1 人');
  await expect(page.getByText('请给仍在场的志愿者签退')).toBeVisible();

  // the same phone, typed another way, is caught before a second entry is made
  await page.getByLabel('手机号').fill('13800138000');
  await expect(page.getByTestId('same-phone')).toContainText('林小雨');
  await page.getByLabel('手机号').fill('');

  await row.getByRole('button', { name: '签退' }).click();
  await expect(row).toHaveAttribute('data-state', 'left');
  await expect(row).toContainText('0 小时');
  await expect(page.getByTestId('sheet-summary')).toContainText('已签到 1 人 · 仍在场 0 人');
  // a check-out by mistake is taken back
  await row.getByRole('button', { name: '撤销签退' }).click();
  await expect(row).toHaveAttribute('data-state', 'in');
  await row.getByRole('button', { name: '签退' }).click();

  // the lead notes the time she was away, with the reason: what the coordinator is shown to confirm
  await row.getByRole('button', { name: '调整林小雨的时长（写明原因）…' }).click();
  await row.getByLabel('时长（小时）').fill('3');
  await row.getByRole('button', { name: '保存并确认' }).click();
  await expect(row.getByText('调整或更正时长需要说明原因')).toBeVisible();
  await row.getByLabel('原因').fill('13:00 到，签到表 17:00 才补录');
  await row.getByRole('button', { name: '保存并确认' }).click();
  await expect(row.getByTestId('lead-adjusted')).toHaveText('✎ 带队调整为 3 小时 — 13:00 到，签到表 17:00 才补录');

  await page.reload();
  await expect(page.getByTestId('sheet-row').filter({ hasText: '林小雨' })).toHaveAttribute('data-state', 'left');
  await server().start();
  await context.setOffline(false);
  await page.getByRole('button', { name: '立即同步' }).click();
  await expect(pendingCount(page)).toHaveAttribute('data-count', '0', { timeout: 30_000 });
  expect(server().rows('attendance')).toHaveLength(1);
  expect(server().rows('volunteer')).toHaveLength(1);

  // the coordinator confirms the hours on the same sheet; the lead's phone shows them confirmed
  const eventUrl = page.url();
  const coordCtx = await page.context().browser()!.newContext();
  const c = await coordCtx.newPage();
  await signIn(c, server().url, server().addUser(TEAM, 'coordH', 'coordinator'));
  await c.goto(eventUrl);
  await expect(c.getByTestId('awaiting')).toContainText('1 人的时长待确认');
  const line = c.getByTestId('sheet-row').filter({ hasText: '林小雨' });
  await expect(line.getByTestId('lead-adjusted')).toContainText('带队调整为 3 小时');
  await expect(line.getByRole('button', { name: '确认 3 小时' })).toBeVisible();
  await line.getByRole('button', { name: '调整时长…' }).click();
  await line.getByLabel('时长（小时）').fill('3.5');
  await line.getByRole('button', { name: '保存并确认' }).click();
  await expect(line.getByText('调整或更正时长需要说明原因')).toBeVisible();
  await line.getByLabel('原因').fill('签到时忘了点，实际 13:00 到');
  await line.getByRole('button', { name: '保存并确认' }).click();
  await expect(line.getByTestId('confirmed')).toContainText('已确认 3.5 小时');
  await expect(c.getByTestId('sheet-summary')).toContainText('共 3.5 小时');
  await expect(pendingCount(c)).toHaveAttribute('data-count', '0', { timeout: 30_000 });
  await page.getByRole('button', { name: '立即同步' }).click();
  await expect(page.getByTestId('sheet-row').filter({ hasText: '林小雨' }).getByTestId('confirmed')).toContainText('已确认 3.5 小时', {
    timeout: 30_000,
  });
  // a volunteer is not offered to confirm
  await expect(page.getByRole('button', { name: /确认 .* 小时/ })).toHaveCount(0);
  expect(server().rows('serviceRecord')).toHaveLength(1);

  // a coordinator links the roster entry to an account (here the lead's, for the test): its hours show on that volunteer's own page
  await page.goto(server().url);
  await page.getByRole('link', { name: '我的服务' }).click();
  await expect(page.getByText('还没有和这个账号关联')).toBeVisible();
  await c.goto(`${server().url}/team`);
  await c.getByRole('link', { name: '志愿者名册' }).click();
  const entry = c.getByTestId('roster').getByRole('listitem').filter({ hasText: '林小雨' });
  await expect(entry).toContainText('东湖职业技术学院 · ☎ 138****8000');
  await entry.getByRole('combobox', { name: '登录账号' }).selectOption({ label: 'lead (lead)' });
  await expect(c.getByText('已保存关联。')).toBeVisible();
  await expect(pendingCount(c)).toHaveAttribute('data-count', '0', { timeout: 30_000 });
  await page.getByRole('button', { name: '立即同步' }).click();
  await expect(page.getByTestId('my-totals')).toContainText('3.5 小时', { timeout: 30_000 });
  await expect(page.getByTestId('stars')).toContainText('还未达到一星级');
  await expect(page.getByTestId('stars')).toContainText('距 1 星级还差 96.5 小时');
  await expect(page.getByTestId('my-activities')).toContainText('周六修理日');
  await expect(page.getByTestId('my-activities')).toContainText('东湖花园');
  // their check-in code, offline too: the QR code names the roster entry, the short code is its last six letters
  await page.getByText('我的签到码').click();
  const qr = page.getByTestId('my-qr');
  await expect(qr).toBeVisible();
  const qrText = (await qr.getAttribute('data-text'))!;
  expect(qrText).toMatch(/^LINLI-V:[0-9a-f-]{36}$/);
  await expect(page.getByTestId('short-code')).toHaveText(qrText.replace(/-/g, '').slice(-6).toUpperCase());
  await expect(page.getByTestId('points-balance')).toHaveText('积分余额：0 分');
  await coordCtx.close();
});
