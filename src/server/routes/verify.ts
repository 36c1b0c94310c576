/**
 * The public verification page of a certificate (`/verify/<serial>`, the QR code printed on
 * it): a plain page, no sign-in, no script, showing only whether the serial is a certificate
 * the team issued, the organisation, the name with its middle masked, the period and the
 * total hours — no phone number, nothing else of the team.
 */
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { translate, type Locale } from '../../shared/i18n/index.ts';
import type { AppEnv, RouteDeps } from '../app-env.ts';
import { verifyCertificate } from '../hours-report.ts';

const STYLE = `body{font:20px/1.6 system-ui,"Noto Sans CJK SC",sans-serif;margin:0;padding:24px;max-width:560px}
h1{font-size:26px}.ok{border:3px solid #1b6e3a;padding:16px}.bad{border:3px solid #a01c1c;padding:16px}
dt{font-weight:bold;margin-top:8px}dd{margin:0}`;

export function verifyRoutes({ db }: RouteDeps): Hono<AppEnv> {
  const r = new Hono<AppEnv>();
  r.get('/verify.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(STYLE);
  });
  const page = async (c: Context<AppEnv>) => {
    const locale: Locale = c.get('locale');
    const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(locale, key, params);
    const serial = (c.req.param('serial') ?? '').toUpperCase().slice(0, 40);
    const found = await verifyCertificate(db, serial);
    c.header('Cache-Control', 'no-store');
    c.header('X-Robots-Tag', 'noindex');
    const body = found?.valid
      ? html`<div class="ok" data-testid="verify-result" data-valid="true">
          <h1>✓ ${t('verify.valid')}</h1>
          <dl>
            <dt>${t('verify.organisation')}</dt>
            <dd data-testid="verify-org">${found.organisation}</dd>
            <dt>${t('verify.name')}</dt>
            <dd data-testid="verify-name">${found.name}</dd>
            <dt>${t('verify.period')}</dt>
            <dd data-testid="verify-period">${found.from} — ${found.to}</dd>
            <dt>${t('verify.total')}</dt>
            <dd data-testid="verify-hours">${t('verify.hours', { n: new Intl.NumberFormat(locale).format(found.totalHours) })}</dd>
            <dt>${t('verify.serial')}</dt>
            <dd>${found.serial}</dd>
          </dl>
        </div>`
      : html`<div class="bad" data-testid="verify-result" data-valid="false">
          <h1>✗ ${t('verify.invalid')}</h1>
          <p>${t('verify.invalidHelp')}</p>
        </div>`;
    return c.html(
      html`<!doctype html>
        <html lang="${locale}">
          <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <title>${t('verify.title')}</title>
            <link rel="stylesheet" href="/verify.css" />
          </head>
          <body>
            <p>${t('verify.title')}</p>
            ${body}
          </body>
        </html>`,
      found ? 200 : 404,
    );
  };
  r.get('/verify/:serial?', page);
  r.get('/verify/', page);
  return r;
}
