/**
 * Translation: one typed catalogue per language, a `t` that fills `{name}` slots, and the
 * description of zod validation issues in the reader's language.
 */
import { en } from './en.ts';
import { DEFAULT_LOCALE, fill, type Catalogue, type Locale, type MessageKey, type Params } from './format.ts';
import { isMessageKey } from './keys.ts';
import { zhCN } from './zh-CN.ts';

export { isMessageKey } from './keys.ts';
export { DEFAULT_LOCALE, fill, LOCALES, pickLocale, type Catalogue, type Locale, type MessageKey, type Params } from './format.ts';

export const CATALOGUES: Record<Locale, Catalogue> = { 'zh-CN': zhCN, en };

export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  return fill(CATALOGUES[locale][key] ?? CATALOGUES[DEFAULT_LOCALE][key] ?? key, params);
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
