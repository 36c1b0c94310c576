/**
 * The app shell: who is signed in decides between setup, sign-in and the volunteer's
 * screens; the sync bar and the update offer sit on every screen. Screens other than the
 * first are loaded when first opened, to keep the first screen small.
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ensurePersistence, observeSession, refreshSession, setupNeeded, startSync } from '../data/index.ts';
import { LOCALES, type Locale } from '../shared/i18n/format.ts';
import { SyncBar } from './components/SyncBar.tsx';
import { UpdateBanner } from './components/UpdateBanner.tsx';
import { catalogueReady, useI18n } from './i18n.tsx';
import { Link, match, navigate, usePath } from './router.tsx';
import EventsScreen from './screens/EventsScreen.tsx';
import { useObservable } from './use-observable.ts';

declare const __APP_VERSION__: string;

function lazy<P extends object>(load: () => Promise<{ default: ComponentType<P> }>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  return function Lazy(props: P) {
    const [, force] = useState(0);
    useEffect(() => {
      // a screen past the first also waits for the rest of the strings, so it never shows a key
      if (!loaded) void Promise.all([load(), catalogueReady()]).then(([m]) => ((loaded = m.default), force((n) => n + 1)));
    }, []);
    const { t } = useI18n();
    const C = loaded;
    return C ? (
      <C {...props} />
    ) : (
      <main class="screen" aria-busy="true">
        {t('app.loading')}
      </main>
    );
  };
}

const SetupScreen = lazy(() => import('./screens/SetupScreen.tsx'));
const LoginScreen = lazy<{ again: boolean }>(() => import('./screens/LoginScreen.tsx'));
const EventFormScreen = lazy<{ id?: string }>(() => import('./screens/EventFormScreen.tsx'));
const EventScreen = lazy<{ id: string }>(() => import('./screens/EventScreen.tsx'));
const TicketFormScreen = lazy<{ id?: string; eventId?: string }>(() => import('./screens/TicketFormScreen.tsx'));
const TicketScreen = lazy<{ id: string; fresh: boolean }>(() => import('./screens/TicketScreen.tsx'));
const StatusScreen = lazy(() => import('./screens/StatusScreen.tsx'));
const ExportsScreen = lazy(() => import('./screens/ExportsScreen.tsx'));
const TeamScreen = lazy(() => import('./screens/TeamScreen.tsx'));
const DashboardScreen = lazy(() => import('./screens/DashboardScreen.tsx'));
const HouseholdsScreen = lazy(() => import('./screens/HouseholdsScreen.tsx'));
const HouseholdFormScreen = lazy<{ id?: string }>(() => import('./screens/HouseholdFormScreen.tsx'));
const HouseholdScreen = lazy<{ id: string }>(() => import('./screens/HouseholdScreen.tsx'));
const ResidentFormScreen = lazy<{ id?: string; householdId?: string }>(() => import('./screens/ResidentFormScreen.tsx'));
const VisitFormScreen = lazy<{ householdId: string }>(() => import('./screens/VisitFormScreen.tsx'));
const NeedScreen = lazy<{ id: string }>(() => import('./screens/NeedScreen.tsx'));
const DueScreen = lazy(() => import('./screens/DueScreen.tsx'));
const HealthScreen = lazy(() => import('./screens/HealthScreen.tsx'));
const ResidentScreen = lazy<{ id: string }>(() => import('./screens/ResidentScreen.tsx'));
const CheckFormScreen = lazy<{ residentId: string }>(() => import('./screens/CheckFormScreen.tsx'));
const CheckScreen = lazy<{ id: string }>(() => import('./screens/CheckScreen.tsx'));
const ThresholdsScreen = lazy(() => import('./screens/ThresholdsScreen.tsx'));

function Screen({ path }: { path: string }) {
  let m: Record<string, string> | null;
  if ((m = match('/events/new', path))) return <EventFormScreen />;
  if ((m = match('/events/:id/edit', path))) return <EventFormScreen id={m.id!} />;
  if ((m = match('/events/:id/tickets/new', path))) return <TicketFormScreen eventId={m.id!} />;
  if ((m = match('/events/:id', path))) return <EventScreen id={m.id!} />;
  if ((m = match('/tickets/:id/edit', path))) return <TicketFormScreen id={m.id!} />;
  if ((m = match('/tickets/:id', path))) return <TicketScreen id={m.id!} fresh={new URLSearchParams(location.search).has('new')} />;
  if (match('/status', path)) return <StatusScreen />;
  if (match('/exports', path)) return <ExportsScreen />;
  if (match('/team', path)) return <TeamScreen />;
  if (match('/dashboard', path)) return <DashboardScreen />;
  if (match('/households', path)) return <HouseholdsScreen />;
  if (match('/households/new', path)) return <HouseholdFormScreen />;
  if ((m = match('/households/:id/edit', path))) return <HouseholdFormScreen id={m.id!} />;
  if ((m = match('/households/:id/residents/new', path))) return <ResidentFormScreen householdId={m.id!} />;
  if ((m = match('/households/:id/visits/new', path))) return <VisitFormScreen householdId={m.id!} />;
  if ((m = match('/households/:id', path))) return <HouseholdScreen id={m.id!} />;
  if ((m = match('/residents/:id/edit', path))) return <ResidentFormScreen id={m.id!} />;
  if ((m = match('/residents/:id/checks/new', path))) return <CheckFormScreen residentId={m.id!} />;
  if ((m = match('/residents/:id', path))) return <ResidentScreen id={m.id!} />;
  if ((m = match('/checks/:id', path))) return <CheckScreen id={m.id!} />;
  if ((m = match('/needs/:id', path))) return <NeedScreen id={m.id!} />;
  if (match('/visits', path)) return <DueScreen />;
  if (match('/health/thresholds', path)) return <ThresholdsScreen />;
  if (match('/health', path)) return <HealthScreen />;
  return <EventsScreen />;
}

function Header() {
  const { t, locale, setLocale, largeText, setLargeText } = useI18n();
  return (
    <header class="app-header">
      <Link href="/" class="brand">
        {t('app.name')}
      </Link>
      <div class="header-tools">
        <label class="inline">
          <span class="visually-hidden">{t('app.language')}</span>
          <select
            aria-label={t('app.language')}
            value={locale}
            onChange={(e) => setLocale((e.target as HTMLSelectElement).value as Locale)}
            data-testid="language"
          >
            {LOCALES.map((l) => (
              <option key={l} value={l}>
                {l === 'zh-CN' ? '中文' : 'English'}
              </option>
            ))}
          </select>
        </label>
        <button type="button" class="secondary small" aria-pressed={largeText} onClick={() => setLargeText(!largeText)}>
          {largeText ? 'A−' : 'A+'} <span class="visually-hidden">{t('app.largeText')}</span>
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
function SectionNav({ path }: { path: string }) {
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

export function App() {
  const { t } = useI18n();
  const path = usePath();
  const session = useObservable(observeSession, []);
  const [needsSetup, setNeedsSetup] = useState<boolean | null>(null);
  const signedIn = Boolean(session?.user);

  useEffect(() => {
    if (session && !session.user) {
      setupNeeded()
        .then(setNeedsSetup)
        .catch(() => setNeedsSetup(false));
    }
  }, [session?.user]);

  useEffect(() => {
    if (!signedIn) return;
    startSync(__APP_VERSION__);
    void refreshSession();
    void ensurePersistence();
  }, [signedIn]);

  let body;
  if (session === undefined)
    body = (
      <main class="screen" aria-busy="true">
        {t('app.loading')}
      </main>
    );
  else if (!session.user) {
    if (needsSetup === null)
      body = (
        <main class="screen" aria-busy="true">
          {t('app.loading')}
        </main>
      );
    else if (needsSetup) body = <SetupScreen />;
    else body = <LoginScreen again={false} />;
  } else if (match('/login', path)) body = <LoginScreen again={session.authExpired} />;
  else body = <Screen path={path} />;

  useEffect(() => {
    if (session?.user && (match('/login', path) || match('/setup', path)) && !session.authExpired) navigate('/', true);
  }, [session, path]);

  return (
    <>
      <Header />
      <UpdateBanner />
      {session?.user ? <SyncBar authExpired={session.authExpired} /> : null}
      {session?.user && !match('/login', path) ? <SectionNav path={path} /> : null}
      {body}
    </>
  );
}
