/**
 * The UI's language and text size: Chinese first, English on request, remembered on the
 * phone; formatting of dates and numbers with Intl for the chosen locale.
 */
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { DEFAULT_LOCALE, fill, LOCALES, type Catalogue, type Locale, type MessageKey, type Params } from '../shared/i18n/format.ts';
import { zhCNCore } from '../shared/i18n/zh-CN-core.ts';
import { observeSession, setApiLocale } from '../data/index.ts';
import { useObservable } from './use-observable.ts';

const LOCALE_KEY = 'linli.locale';
const LARGE_KEY = 'linli.largeText';

export interface I18n {
  locale: Locale;
  t: (key: MessageKey, params?: Params) => string;
  setLocale: (l: Locale) => void;
  largeText: boolean;
  setLargeText: (on: boolean) => void;
  formatDateTime: (ms: number) => string;
  /** The time of day alone (14:05), for times on a day already named. */
  formatTime: (ms: number) => string;
  formatDay: (isoDay: string) => string;
  /** A day in a few characters (11/21), for a chart's axis. */
  formatShortDay: (isoDay: string) => string;
  formatBytes: (n: number) => string;
  /** Integer fen → "¥12.50" for the locale. */
  formatMoney: (fen: number) => string;
  formatNumber: (n: number, maxFractionDigits?: number) => string;
  formatPercent: (ratio: number) => string;
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

/**
 * The first screen's Chinese ships with it; the rest of the Chinese follows at once (and is
 * precached), English only when chosen. Screens past the first wait for `catalogueReady`.
 */
const loaded: Partial<Record<Locale, Partial<Catalogue>>> = { 'zh-CN': zhCNCore };
let moreChinese: Promise<void> | null = null;
function loadMoreChinese(): Promise<void> {
  moreChinese ??= import('../shared/i18n/zh-CN-more.ts').then((m) => {
    loaded['zh-CN'] = { ...zhCNCore, ...m.zhCNMore };
  });
  return moreChinese;
}
async function loadCatalogue(locale: Locale): Promise<void> {
  await loadMoreChinese();
  if (!loaded[locale]) loaded[locale] = (await import('../shared/i18n/en.ts')).en;
}
/** Resolves when every string of the chosen language is here. */
export function catalogueReady(): Promise<void> {
  return loadCatalogue(initialLocale());
}

export function I18nProvider({ children }: { children: ComponentChildren }) {
  const [wanted, setWanted] = useState<Locale>(initialLocale);
  // the language shown: the wanted one once its catalogue is here
  const [locale, setLocaleState] = useState<Locale>(() => (loaded[wanted] ? wanted : DEFAULT_LOCALE));
  // bumped when more strings of the shown language arrive
  const [, setGeneration] = useState(0);
  const session = useObservable(observeSession, []);
  const timeZone = validZone(session?.user?.timeZone);
  const [largeText, setLargeState] = useState<boolean>(() => stored(LARGE_KEY) === '1');
  useEffect(() => {
    let current = true;
    void loadCatalogue(wanted).then(() => {
      if (!current) return;
      setLocaleState(wanted);
      setGeneration((g) => g + 1);
    });
    return () => {
      current = false;
    };
  }, [wanted]);
  const value = useMemo<I18n>(() => {
    applyDocumentSettings(locale, largeText);
    const catalogue: Partial<Catalogue> = loaded[locale] ?? {};
    const chinese: Partial<Catalogue> = loaded['zh-CN'] ?? zhCNCore;
    // times in the team's calendar (LINLI_TIMEZONE, given at sign-in), whatever zone the phone is set to
    const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
    const time = new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone });
    // a calendar day is no instant: formatted as itself, in UTC
    const day = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short', timeZone: 'UTC' });
    const shortDay = new Intl.DateTimeFormat(locale, { month: 'numeric', day: 'numeric', timeZone: 'UTC' });
    const bytes = new Intl.NumberFormat(locale, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 });
    const money = new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY' });
    const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
    return {
      locale,
      t: (key, params) => fill(catalogue[key] ?? chinese[key] ?? key, params),
      setLocale: (l) => {
        store(LOCALE_KEY, l);
        setWanted(l);
      },
      largeText,
      setLargeText: (on) => {
        store(LARGE_KEY, on ? '1' : '0');
        setLargeState(on);
      },
      formatDateTime: (ms) => dateTime.format(new Date(ms)),
      formatTime: (ms) => time.format(new Date(ms)),
      formatDay: (iso) => {
        const [y, m, d] = iso.split('-').map(Number);
        return y && m && d ? day.format(new Date(Date.UTC(y, m - 1, d))) : iso;
      },
      formatShortDay: (iso) => {
        const [y, m, d] = iso.split('-').map(Number);
        return y && m && d ? shortDay.format(new Date(Date.UTC(y, m - 1, d))) : iso;
      },
      formatBytes: (n) => bytes.format(n / 1_000_000),
      // fen → yuan only for display; every sum stays in integer fen
      formatMoney: (fen) => money.format(fen / 100),
      formatNumber: (n, digits = 2) => new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(n),
      formatPercent: (ratio) => percent.format(ratio),
    };
  }, [locale, largeText, loaded[locale], timeZone]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The team's zone where the browser knows it; otherwise the phone's own. */
function validZone(zone: string | undefined): string | undefined {
  if (!zone) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
