/**
 * The app shell: who is signed in decides between setup, sign-in and the volunteer's
 * screens; the sync bar and the update offer sit on every screen. Screens other than the
 * first are loaded when first opened, to keep the first screen small.
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ensurePersistence, observeSession, refreshSession, setupNeeded, startSync } from '../data/index.ts';
import { LOCALES, type Locale } from '../shared/i18n/index.ts';
import { SyncBar } from './components/SyncBar.tsx';
import { UpdateBanner } from './components/UpdateBanner.tsx';
import { useI18n } from './i18n.tsx';
import { Link, match, navigate, usePath } from './router.tsx';
import EventsScreen from './screens/EventsScreen.tsx';
import { useObservable } from './use-observable.ts';

declare const __APP_VERSION__: string;

function lazy<P extends object>(load: () => Promise<{ default: ComponentType<P> }>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  return function Lazy(props: P) {
    const [, force] = useState(0);
    useEffect(() => {
      if (!loaded) void load().then((m) => ((loaded = m.default), force((n) => n + 1)));
    }, []);
    const { t } = useI18n();
    const C = loaded;
    return C ? <C {...props} /> : <main class="screen" aria-busy="true">{t('app.loading')}</main>;
  };
}

const SetupScreen = lazy(() => import('./screens/SetupScreen.tsx'));
const LoginScreen = lazy<{ again: boolean }>(() => import('./screens/LoginScreen.tsx'));
const EventFormScreen = lazy<{ id?: string }>(() => import('./screens/EventFormScreen.tsx'));
const EventScreen = lazy<{ id: string }>(() => import('./screens/EventScreen.tsx'));
const TicketFormScreen = lazy<{ id?: string; eventId?: string }>(() => import('./screens/TicketFormScreen.tsx'));
const StatusScreen = lazy(() => import('./screens/StatusScreen.tsx'));

function Screen({ path }: { path: string }) {
  let m: Record<string, string> | null;
  if ((m = match('/events/new', path))) return <EventFormScreen />;
  if ((m = match('/events/:id/edit', path))) return <EventFormScreen id={m.id!} />;
  if ((m = match('/events/:id/tickets/new', path))) return <TicketFormScreen eventId={m.id!} />;
  if ((m = match('/events/:id', path))) return <EventScreen id={m.id!} />;
  if ((m = match('/tickets/:id', path))) return <TicketFormScreen id={m.id!} />;
  if (match('/status', path)) return <StatusScreen />;
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
          <select aria-label={t('app.language')} value={locale} onChange={(e) => setLocale((e.target as HTMLSelectElement).value as Locale)} data-testid="language">
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
  if (session === undefined) body = <main class="screen" aria-busy="true">{t('app.loading')}</main>;
  else if (!session.user) {
    if (needsSetup === null) body = <main class="screen" aria-busy="true">{t('app.loading')}</main>;
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
      {body}
    </>
  );
}
