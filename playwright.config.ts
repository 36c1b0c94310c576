import { defineConfig } from '@playwright/test';

// Debian's Chromium (Playwright's own browser download is not available here).
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** The browsers' time zone: the volunteers' (LINLI_TIMEZONE's default); E2E_TZ=UTC tries a device in another zone. */
export const E2E_TIMEZONE = process.env.E2E_TZ ?? 'Asia/Shanghai';

export default defineConfig({
  testDir: 'test/e2e',
  timeout: 180_000,
  expect: { timeout: 20_000 },
  workers: 1,
  fullyParallel: false,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
    viewport: { width: 360, height: 740 },
    locale: 'zh-CN',
    // the volunteers' phones are in the team's zone (LINLI_TIMEZONE's default): the tests'
    // "today" is the same whatever hour CI runs at
    timezoneId: E2E_TIMEZONE,
    serviceWorkers: 'allow',
  },
});
