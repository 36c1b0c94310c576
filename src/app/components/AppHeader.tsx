/**
 * What sits above every screen, in one row: the name, the sync state (once signed in), the
 * language and the large-text switch; then the bar of the four kinds of work, one tap apart.
 * Together they take at most ~120 px of a 740 px phone, so a form's first field shows on arrival.
 */
import { LOCALES, type Locale } from '../../shared/i18n/format.ts';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { SyncLine } from './SyncBar.tsx';

/** The language menu's name in both languages: a person who switched by mistake can read the way back. */
const LANGUAGE_LABEL = '语言 / Language';

export function Header({ signedIn }: { signedIn: boolean }) {
  const { t, locale, setLocale, largeText, setLargeText } = useI18n();
  return (
    <header class="app-header">
      <Link href="/" class="brand">
        {t('app.name')}
      </Link>
      {signedIn ? <SyncLine /> : null}
      <div class="header-tools">
        <label class="inline">
          <select
            aria-label={LANGUAGE_LABEL}
            title={LANGUAGE_LABEL}
            value={locale}
            onChange={(e) => setLocale((e.target as HTMLSelectElement).value as Locale)}
            data-testid="language"
          >
            {LOCALES.map((l) => (
              <option key={l} value={l}>
                {l === 'zh-CN' ? '中文' : 'EN'}
              </option>
            ))}
          </select>
        </label>
        {/* the same "A+" in both states (pressed shows it is on): the way back is where it was */}
        <button
          type="button"
          class="secondary small"
          aria-pressed={largeText}
          data-testid="large-text"
          title={t('app.largeText')}
          onClick={() => setLargeText(!largeText)}
        >
          A+ <span class="visually-hidden">{t('app.largeText')}</span>
        </button>
      </div>
    </header>
  );
}

const SECTIONS = [
  { href: '/', key: 'nav.repair', icon: '🔧', owns: ['/', '/events', '/tickets'] },
  { href: '/visits', key: 'nav.visits', icon: '🚪', owns: ['/visits', '/needs'] },
  { href: '/households', key: 'nav.households', icon: '🏠', owns: ['/households'] },
  { href: '/health', key: 'nav.health', icon: '❤', owns: ['/health', '/residents', '/checks'] },
] as const;

/** The four kinds of work, one tap apart; the current one is marked in words for screen readers and by a bar, not colour alone. */
export function SectionNav({ path }: { path: string }) {
  const { t } = useI18n();
  const current = SECTIONS.find((s) => s.owns.some((o) => (o === '/' ? path === '/' : path === o || path.startsWith(`${o}/`)))) ?? null;
  return (
    <nav class="sections" aria-label={t('nav.label')}>
      {SECTIONS.map((s) => (
        <Link
          key={s.href}
          href={s.href}
          class={current === s ? 'section section-on' : 'section'}
          aria-current={current === s ? 'page' : undefined}
        >
          <span aria-hidden="true">{s.icon}</span> {t(s.key)}
        </Link>
      ))}
    </nav>
  );
}
