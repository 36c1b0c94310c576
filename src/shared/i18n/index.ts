/**
 * Translation: one typed catalogue per language, a `t` that fills `{name}` slots, and the
 * description of zod validation issues in the reader's language.
 */
import { en } from './en.ts';
import { zhCN, type MessageKey } from './zh-CN.ts';

export type { MessageKey };
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

export const CATALOGUES: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

export type Params = Record<string, string | number>;

export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  const template = CATALOGUES[locale][key] ?? CATALOGUES[DEFAULT_LOCALE][key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export function isMessageKey(k: unknown): k is MessageKey {
  return typeof k === 'string' && Object.hasOwn(zhCN, k);
}

/** `Accept-Language: en-GB,en;q=0.9` → `en`; anything not English reads Chinese. */
export function pickLocale(header: string | null | undefined): Locale {
  const first = (header ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}

interface IssueLike {
  readonly code?: string;
  readonly message: string;
  readonly path?: readonly PropertyKey[];
  readonly keys?: readonly string[];
}

/** One readable line per zod issue, e.g. `problem: 必填`. */
export function describeIssues(locale: Locale, issues: readonly IssueLike[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => {
      let message: string;
      if (issue.code === 'unrecognized_keys') {
        message = translate(locale, 'v.unknownField', { field: (issue.keys ?? []).join(', ') });
      } else if (isMessageKey(issue.message)) {
        message = translate(locale, issue.message);
      } else if (issue.code === 'invalid_type') {
        message = translate(locale, 'v.type');
      } else {
        message = translate(locale, 'v.invalid');
      }
      const field = (issue.path ?? []).map(String).join('.');
      return field ? translate(locale, 'v.field', { field, message }) : message;
    })
    .join('; ');
}
