/**
 * The app shell: who is signed in decides between setup, sign-in and the volunteer's
 * screens (routes.tsx); the header, the sync bar and the update offer sit on every screen.
 */
import { useEffect, useState } from 'preact/hooks';
import { ensurePersistence, observeSession, refreshSession, setupNeeded, startSync } from '../data/index.ts';
import { Header, SectionNav } from './components/AppHeader.tsx';
import { Loading } from './components/ScreenState.tsx';
import { SyncBar } from './components/SyncBar.tsx';
import { UpdateBanner } from './components/UpdateBanner.tsx';
import { match, navigate, usePath } from './router.tsx';
import { LoginScreen, Screen, SetupScreen } from './routes.tsx';
import { useObservable } from './use-observable.ts';

declare const __APP_VERSION__: string;

export function App() {
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
  if (session === undefined) body = <Loading />;
  else if (!session.user) {
    if (needsSetup === null) body = <Loading />;
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
