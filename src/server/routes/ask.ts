/**
 * The residents' public pages (issue 22), for anyone — no sign-in, no script, no service
 * worker: plain HTML forms that work in WeChat's in-app browser, Chinese first with an English
 * switch, large text.
 *
 * - `GET|POST /ask/<code>`: the team's request page (点单, 微心愿). A request is counted
 *   against its address and its phone number, atomically in the database, before it is
 *   written; a hidden honeypot field filled in is answered as if taken and writes nothing; a
 *   closed page, or a code rotated away, takes nothing. The answer is a short code to read
 *   out on the phone and an unguessable status link.
 * - `GET|POST /ask/status/<token>`: what became of it, each step with its date, nothing of
 *   the household, the team or any volunteer; once done, the resident's evaluation (评单),
 *   which enters the need's history.
 *
 * These can write a request and read or evaluate their own — nothing else.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { html, raw } from 'hono/html';
import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { translate, type Locale } from '../../shared/i18n/index.ts';
import type { MessageKey } from '../../shared/i18n/format.ts';
import { NEED_EVALUATIONS, type NeedEvaluation } from '../../shared/need.ts';
import { withDefaults } from '../../shared/registry.ts';
import { askSchema, plainText, REQUEST_KINDS, RESIDENT_AUTHOR, statusLines, type AskInput } from '../../shared/request.ts';
import type { AppEnv, RouteDeps } from '../app-env.ts';
import { clientAddress, trustedProxies } from '../request.ts';
import { writeServerRows } from '../server-write.ts';
import type { Db } from '../db.ts';

/** Requests from one address in an hour, and for one phone number in a day. */
export const ASK_PER_ADDRESS_PER_HOUR = 10;
export const ASK_PER_PHONE_PER_DAY = 3;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The form's fields are short; a body past this is not a resident's. */
const MAX_FORM_BYTES = 8_192;

const STYLE = `html{font-size:20px}body{font:1rem/1.6 system-ui,"Noto Sans CJK SC",sans-serif;margin:0 auto;padding:16px;max-width:560px;color:#111}
h1{font-size:1.4rem}label{display:block;font-weight:bold;margin-top:14px}
input,select,textarea{font:inherit;width:100%;box-sizing:border-box;min-height:48px;padding:8px;border:2px solid #555;border-radius:8px}
button{font:inherit;font-weight:bold;min-height:52px;width:100%;margin-top:18px;border:0;border-radius:10px;background:#1b4f8a;color:#fff}
.hp{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}.err{color:#a01c1c;font-weight:bold}
.box{border:3px solid #1b6e3a;padding:12px;border-radius:10px}.code{font-size:2rem;letter-spacing:.2em}
ol{padding-left:1.2rem}li{margin:8px 0}.lang{text-align:right}.opt{font-weight:normal}`;

type Field = keyof AskInput;
const FIELDS: Field[] = ['kind', 'building', 'unit', 'room', 'phone', 'callName', 'description', 'goodTime'];

function localeOf(c: Context<AppEnv>): Locale {
  const lang = c.req.query('lang');
  return lang === 'en' ? 'en' : 'zh-CN';
}

function page(locale: Locale, title: string, body: unknown, switchTo: string) {
  const other = locale === 'en' ? '中文' : 'English';
  return html`<!doctype html>
    <html lang="${locale}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title}</title>
        <link rel="stylesheet" href="/ask.css" />
      </head>
      <body>
        <p class="lang"><a href="${switchTo}">${other}</a></p>
        ${body}
      </body>
    </html>`;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Counts one request on `key` in a window of `windowMs`; the count in the current window. */
async function counted(db: Db, key: string, windowMs: number, now: number): Promise<number> {
  const since = now - windowMs;
  const row = await sql<{ count: number | string }>`
    insert into ask_limit (key, window_start, count) values (${key}, ${now}, 1)
    on conflict (key) do update set
      count = case when ask_limit.window_start <= ${since} then 1 else ask_limit.count + 1 end,
      window_start = case when ask_limit.window_start <= ${since} then ${now} else ask_limit.window_start end
    returning count`.execute(db);
  return Number(row.rows[0]?.count ?? 1);
}

/** A team's open page by its code. */
async function openPage(db: Db, code: string): Promise<{ teamId: string; teamName: string } | null> {
  if (!/^[0-9A-HJKMNP-TV-Z]{10}$/.test(code)) return null;
  const fact = await db
    .selectFrom('ask_page_fact')
    .select(['team_id', 'open'])
    .where('code', '=', code)
    .where('deleted', '=', 0)
    .executeTakeFirst();
  if (!fact || Number(fact.open) !== 1) return null;
  const team = await db.selectFrom('team').select('name').where('id', '=', fact.team_id).executeTakeFirst();
  return team ? { teamId: fact.team_id, teamName: team.name } : null;
}

/** The six digits a resident reads out on the phone, from the request id's random end. */
function spokenCode(id: string): string {
  return String(parseInt(id.replace(/-/g, '').slice(-8), 16) % 1_000_000).padStart(6, '0');
}

export function askRoutes({ db, settings, now }: RouteDeps): Hono<AppEnv> {
  const r = new Hono<AppEnv>();
  const proxies = trustedProxies(settings.trustedProxies);

  r.get('/ask.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(STYLE);
  });

  const form = (
    c: Context<AppEnv>,
    code: string,
    teamName: string,
    values: Partial<Record<Field, string>>,
    errors: Partial<Record<Field | 'form', MessageKey>>,
  ) => {
    const locale = localeOf(c);
    const t = (k: MessageKey, p?: Record<string, string | number>) => translate(locale, k, p);
    const err = (f: Field | 'form') => (errors[f] ? html`<p class="err" id="${f}-error" role="alert">⚠ ${t(errors[f])}</p>` : '');
    const input = (f: Field, label: MessageKey, opts: { optional?: boolean; type?: string; max: number; inputmode?: string }) =>
      html`<label for="${f}">${t(label)}${opts.optional ? html` <span class="opt">（${t('app.optional')}）</span>` : ''}</label>
        <input
          id="${f}"
          name="${f}"
          type="${opts.type ?? 'text'}"
          maxlength="${opts.max}"
          value="${values[f] ?? ''}"
          ${opts.inputmode ? raw(`inputmode="${opts.inputmode}"`) : ''}
          ${opts.optional ? '' : raw('required')}
          ${errors[f] ? raw(`aria-invalid="true" aria-describedby="${f}-error"`) : ''}
        />
        ${err(f)}`;
    const action = `/ask/${code}${locale === 'en' ? '?lang=en' : ''}`;
    const body = html`<h1>${t('ask.title', { team: teamName })}</h1>
      <p>${t('ask.intro')}</p>
      ${err('form')}
      <form method="post" action="${action}">
        <label for="kind">${t('ask.kind')}</label>
        <select id="kind" name="kind" required>
          ${REQUEST_KINDS.map((k) => html`<option value="${k}" ${values.kind === k ? raw('selected') : ''}>${t(`requestKind.${k}`)}</option>`)}
        </select>
        ${input('building', 'ask.building', { max: 20 })} ${input('unit', 'ask.unit', { optional: true, max: 20 })}
        ${input('room', 'ask.room', { max: 20 })} ${input('callName', 'ask.callName', { max: 30 })}
        ${input('phone', 'ask.phone', { type: 'tel', max: 20, inputmode: 'tel' })}
        <label for="description">${t('ask.description')}</label>
        <textarea
          id="description"
          name="description"
          rows="4"
          maxlength="500"
          required
          ${errors.description ? raw('aria-invalid="true" aria-describedby="description-error"') : ''}
        >
${values.description ?? ''}</textarea>
        ${err('description')} ${input('goodTime', 'ask.goodTime', { optional: true, max: 100 })}
        <div class="hp" aria-hidden="true">
          <label for="website">Website</label><input id="website" name="website" tabindex="-1" autocomplete="off" />
        </div>
        <button type="submit">${t('ask.submit')}</button>
      </form>
      <p>${t('ask.privacy')}</p>`;
    return page(locale, t('ask.title', { team: teamName }), body, locale === 'en' ? `/ask/${code}` : `/ask/${code}?lang=en`);
  };

  /** A page of words only, answered 404: a page that is closed or no team's, a status link that is no request's. */
  const notFound = (c: Context<AppEnv>, title: MessageKey, text: MessageKey) => {
    const locale = localeOf(c);
    const t = (k: MessageKey) => translate(locale, k);
    c.header('Cache-Control', 'no-store');
    const body = html`<h1>${t(title)}</h1>
      <p>${t(text)}</p>`;
    return c.html(page(locale, t(title), body, locale === 'en' ? c.req.path : `${c.req.path}?lang=en`), 404);
  };
  const closed = (c: Context<AppEnv>) => notFound(c, 'ask.closedTitle', 'ask.closed');

  r.get('/ask/:code', async (c) => {
    const code = c.req.param('code');
    if (code === 'status') return closed(c);
    const p = await openPage(db, code);
    if (!p) return closed(c);
    c.header('Cache-Control', 'no-store');
    return c.html(form(c, code, p.teamName, {}, {}));
  });

  r.post('/ask/:code', async (c) => {
    const locale = localeOf(c);
    const code = c.req.param('code');
    const p = await openPage(db, code);
    if (!p) return closed(c);
    c.header('Cache-Control', 'no-store');
    const text = await c.req.text().catch(() => '');
    if (text.length > MAX_FORM_BYTES) return c.html(form(c, code, p.teamName, {}, { form: 'ask.tooLong' }), 413);
    const params = new URLSearchParams(text);
    const values: Partial<Record<Field, string>> = {};
    for (const f of FIELDS) values[f] = plainText(params.get(f) ?? '').slice(0, f === 'description' ? 500 : 100);
    values.kind = REQUEST_KINDS.includes(values.kind as never) ? values.kind : 'other';
    const parsed = askSchema.safeParse(values);
    if (!parsed.success) {
      const errors: Partial<Record<Field, MessageKey>> = {};
      for (const issue of parsed.error.issues) errors[issue.path[0] as Field] ??= issue.message as MessageKey;
      return c.html(form(c, code, p.teamName, values, errors), 400);
    }
    const at = now();
    const t = (k: MessageKey, prm?: Record<string, string | number>) => translate(locale, k, prm);
    // a robot filled the field people never see: thanked, nothing written
    const id = uuidv7();
    const token = randomBytes(24).toString('base64url');
    const thanks = (link: string) =>
      c.html(
        page(
          locale,
          t('ask.thanksTitle'),
          html`<div class="box">
            <h1>✓ ${t('ask.thanksTitle')}</h1>
            <p>${t('ask.yourCode')}</p>
            <p class="code" data-testid="ask-code">${spokenCode(id)}</p>
            <p>${t('ask.statusAt')}</p>
            <p><a href="${link}" data-testid="ask-status-link">${new URL(link, c.req.url).href}</a></p>
            <p>${t('ask.keepLink')}</p>
          </div>`,
          `${c.req.path}${locale === 'en' ? '' : '?lang=en'}`,
        ),
      );
    if ((params.get('website') ?? '') !== '') return thanks(`/ask/status/${token}`);
    const address = clientAddress(c, proxies);
    const digits = parsed.data.phone.replace(/\D/g, '');
    const [byAddress, byPhone] = [await counted(db, `a:${address}`, HOUR_MS, at), await counted(db, `p:${p.teamId}:${digits}`, DAY_MS, at)];
    if (byAddress > ASK_PER_ADDRESS_PER_HOUR || byPhone > ASK_PER_PHONE_PER_DAY)
      return c.html(form(c, code, p.teamName, values, { form: 'ask.tooMany' }), 429);
    const instant = new Date(at).toISOString();
    await db.transaction().execute(async (trx) => {
      await writeServerRows(
        trx,
        p.teamId,
        [
          {
            type: 'request',
            rowId: id,
            fields: {
              ...withDefaults('request', {}),
              ...parsed.data,
              id,
              teamId: p.teamId,
              code: spokenCode(id),
              status: 'received',
              createdAt: instant,
              updatedAt: instant,
              createdBy: RESIDENT_AUTHOR,
            },
          },
        ],
        at,
      );
      await trx
        .insertInto('request_token')
        .values({ token_hash: hashToken(token), row_id: id, team_id: p.teamId })
        .execute();
    });
    return thanks(`/ask/status/${token}${locale === 'en' ? '?lang=en' : ''}`);
  });

  /** The request of a status link, with its need and the need's history (what the status page may read of them). */
  async function byToken(token: string) {
    if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return null;
    const link = await db
      .selectFrom('request_token')
      .select(['row_id', 'team_id'])
      .where('token_hash', '=', hashToken(token))
      .executeTakeFirst();
    if (!link) return null;
    const row = await db.selectFrom('record').select('fields').where('row_id', '=', link.row_id).executeTakeFirst();
    if (!row) return null;
    const request = withDefaults('request', JSON.parse(row.fields) as Record<string, unknown>);
    const needRow = request.needId
      ? await db.selectFrom('record').select('fields').where('row_id', '=', request.needId).where('type', '=', 'need').executeTakeFirst()
      : undefined;
    const need = needRow ? withDefaults('need', JSON.parse(needRow.fields) as Record<string, unknown>) : null;
    const logs = need
      ? (await db.selectFrom('record').select('fields').where('team_id', '=', link.team_id).where('type', '=', 'needLog').execute())
          .map((l) => withDefaults('needLog', JSON.parse(l.fields) as Record<string, unknown>))
          .filter((l) => l.needId === need.id)
      : [];
    const team = await db.selectFrom('team').select('name').where('id', '=', link.team_id).executeTakeFirst();
    return { teamId: link.team_id, teamName: team?.name ?? '', request, need, logs };
  }

  const statusPage = (
    c: Context<AppEnv>,
    found: NonNullable<Awaited<ReturnType<typeof byToken>>>,
    note: MessageKey | null,
    status: 200 | 400 = 200,
  ) => {
    const locale = localeOf(c);
    const t = (k: MessageKey, p?: Record<string, string | number>) => translate(locale, k, p);
    const day = (iso: string) =>
      iso
        ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: settings.timeZone }).format(new Date(iso))
        : '';
    const lines = statusLines(found.request, found.need, found.logs);
    const done = found.need && (found.need.status === 'resolved' || found.need.status === 'closed');
    const evaluated = found.need?.evaluation ?? null;
    const self = `${c.req.path}${locale === 'en' ? '?lang=en' : ''}`;
    const body = html`<h1>${t('askStatus.title')}</h1>
      <p>${t('askStatus.about', { team: found.teamName, kind: t(`requestKind.${found.request.kind}`), code: found.request.code })}</p>
      <ol data-testid="status-lines">
        ${lines.map(
          (l) =>
            html`<li data-step="${l.step}">
              <strong>${t(`askStep.${l.step}`)}</strong> · ${day(l.at)}${l.note ? html`<br />${l.note}` : ''}
            </li>`,
        )}
      </ol>
      ${note ? html`<p class="box" role="status">✓ ${t(note)}</p>` : ''}
      ${
        done && !evaluated
          ? html`<form method="post" action="${self}">
              <fieldset>
                <legend>${t('askStatus.evaluate')}</legend>
                ${NEED_EVALUATIONS.map(
                  (e) =>
                    html`<label
                      ><input type="radio" name="evaluation" value="${e}" required style="width:auto;min-height:0" />
                      ${t(`evaluation.${e}`)}</label
                    >`,
                )}
              </fieldset>
              <label for="comment">${t('askStatus.comment')} <span class="opt">（${t('app.optional')}）</span></label>
              <textarea id="comment" name="comment" rows="3" maxlength="300"></textarea>
              <button type="submit">${t('askStatus.send')}</button>
            </form>`
          : ''
      }
      ${evaluated ? html`<p data-testid="evaluated">${t('askStatus.evaluated', { evaluation: t(`evaluation.${evaluated}`) })}</p>` : ''}`;
    c.header('Cache-Control', 'no-store');
    c.header('X-Robots-Tag', 'noindex');
    return c.html(page(locale, t('askStatus.title'), body, locale === 'en' ? c.req.path : `${c.req.path}?lang=en`), status);
  };

  const unknownStatus = (c: Context<AppEnv>) => notFound(c, 'askStatus.title', 'askStatus.unknown');

  r.get('/ask/status/:token', async (c) => {
    const found = await byToken(c.req.param('token'));
    return found ? statusPage(c, found, null) : unknownStatus(c);
  });

  r.get('/ask/status/', (c) => unknownStatus(c));
  r.get('/ask/', (c) => closed(c));
  r.get('/ask', (c) => closed(c));

  r.post('/ask/status/:token', async (c) => {
    const found = await byToken(c.req.param('token'));
    if (!found) return unknownStatus(c);
    const text = await c.req.text().catch(() => '');
    const params = new URLSearchParams(text.slice(0, MAX_FORM_BYTES));
    const evaluation = params.get('evaluation') as NeedEvaluation | null;
    const need = found.need;
    if (!need || !(need.status === 'resolved' || need.status === 'closed') || need.evaluation) return statusPage(c, found, null);
    if (!evaluation || !NEED_EVALUATIONS.includes(evaluation)) return statusPage(c, found, 'askStatus.chooseOne', 400);
    const at = now();
    const instant = new Date(at).toISOString();
    const comment = plainText(params.get('comment') ?? '').slice(0, 300);
    const logId = uuidv7();
    await db.transaction().execute((trx) =>
      writeServerRows(
        trx,
        found.teamId,
        [
          { type: 'need', rowId: need.id, fields: { evaluation, updatedAt: instant } },
          {
            type: 'needLog',
            rowId: logId,
            fields: {
              ...withDefaults('needLog', {}),
              id: logId,
              teamId: found.teamId,
              needId: need.id,
              at: instant,
              byName: translate('zh-CN', 'askStatus.byResident'),
              action: 'evaluated',
              status: need.status,
              note: comment,
              evaluation,
              createdAt: instant,
              updatedAt: instant,
              createdBy: RESIDENT_AUTHOR,
            },
          },
        ],
        at,
      ),
    );
    const again = await byToken(c.req.param('token'));
    return statusPage(c, again!, 'askStatus.thanks');
  });
  return r;
}
