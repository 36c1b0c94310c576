/**
 * The UI's language and text size: Chinese first, English on request, remembered on the
 * phone; formatting of dates and numbers with Intl for the chosen locale.
 */
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useMemo, useState } from 'preact/hooks';
import { DEFAULT_LOCALE, LOCALES, translate, type Locale, type MessageKey, type Params } from '../shared/i18n/index.ts';
import { setApiLocale } from '../data/index.ts';

const LOCALE_KEY = 'linli.locale';
const LARGE_KEY = 'linli.largeText';

export interface I18n {
  locale: Locale;
  t: (key: MessageKey, params?: Params) => string;
  setLocale: (l: Locale) => void;
  largeText: boolean;
  setLargeText: (on: boolean) => void;
  formatDateTime: (ms: number) => string;
  formatDay: (isoDay: string) => string;
  formatBytes: (n: number) => string;
}

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
function store(key: string, value: string) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // private mode: the choice lasts for this visit
  }
}

export function initialLocale(): Locale {
  const s = stored(LOCALE_KEY);
  return (LOCALES as readonly string[]).includes(s ?? '') ? (s as Locale) : DEFAULT_LOCALE;
}

export function applyDocumentSettings(locale: Locale, large: boolean) {
  document.documentElement.lang = locale;
  document.documentElement.classList.toggle('large-text', large);
  setApiLocale(locale);
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ComponentChildren }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const [largeText, setLargeState] = useState<boolean>(() => stored(LARGE_KEY) === '1');
  const value = useMemo<I18n>(() => {
    applyDocumentSettings(locale, largeText);
    const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    const day = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' });
    const bytes = new Intl.NumberFormat(locale, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 });
    return {
      locale,
      t: (key, params) => translate(locale, key, params),
      setLocale: (l) => {
        store(LOCALE_KEY, l);
        setLocaleState(l);
      },
      largeText,
      setLargeText: (on) => {
        store(LARGE_KEY, on ? '1' : '0');
        setLargeState(on);
      },
      formatDateTime: (ms) => dateTime.format(new Date(ms)),
      formatDay: (iso) => {
        const [y, m, d] = iso.split('-').map(Number);
        return y && m && d ? day.format(new Date(y, m - 1, d)) : iso;
      },
      formatBytes: (n) => bytes.format(n / 1_000_000),
    };
  }, [locale, largeText]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
