/**
 * What every side needs to speak a language without holding every catalogue: the locales,
 * filling `{name}` slots, and telling a message key from anything else. The phone loads the
 * Chinese catalogue with its first screen and the English one only when asked for.
 */
import type { MessageKey } from './zh-CN.ts';

export type { MessageKey };
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';
export type Params = Record<string, string | number>;
export type Catalogue = Record<MessageKey, string>;

export function fill(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** `Accept-Language: en-GB,en;q=0.9` → `en`; anything not English reads Chinese. */
export function pickLocale(header: string | null | undefined): Locale {
  const first = (header ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}
