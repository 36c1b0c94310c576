/**
 * The app shell: inside WeChat, first the way out to the phone's browser; then who is signed
 * in decides between setup, sign-in and the volunteer's screens (routes.tsx); the header
 * (with the sync line), the update offer and any sync notice sit on every screen.
 */
import { useEffect, useState } from 'preact/hooks';
import { ensurePersistence, observeSession, refreshSession, setupNeeded, startSync } from '../data/index.ts';
import { Header, SectionNav } from './components/AppHeader.tsx';
import { Loading } from './components/ScreenState.tsx';
import { SyncNotices } from './components/SyncBar.tsx';
import { UpdateBanner } from './components/UpdateBanner.tsx';
import { match, navigate, usePath } from './router.tsx';
import { LoginScreen, Screen, SetupScreen, WeChatScreen } from './routes.tsx';
import { useObservable } from './use-observable.ts';

declare const __APP_VERSION__: string;

const WECHAT_ANYWAY_KEY = 'linli.wechatAnyway';

/** WeChat's in-app browser (its user agent says MicroMessenger) is no home for an offline app: the first screen says how to leave it. */
function inWeChat(): boolean {
  return /MicroMessenger/i.test(navigator.userAgent) && sessionStorage.getItem(WECHAT_ANYWAY_KEY) !== '1';
}

export function App() {
  const [wechat, setWechat] = useState(inWeChat);
  if (wechat) {
    return (
      <>
        <Header signedIn={false} />
        <WeChatScreen onAnyway={() => (sessionStorage.setItem(WECHAT_ANYWAY_KEY, '1'), setWechat(false))} />
      </>
    );
  }
  return <Shell />;
}

let setupHintTaken = false;
/** false where the page the server sent says it is set up; null otherwise, and after the first look. */
function takeSetupHint(): false | null {
  if (setupHintTaken) return null;
  setupHintTaken = true;
  return document.querySelector('meta[name="linli-setup"]')?.getAttribute('content') === 'done' ? false : null;
}

function Shell() {
  const path = usePath();
  const session = useObservable(observeSession, []);
  const [needsSetup, setNeedsSetup] = useState<boolean | null>(null);
  const signedIn = Boolean(session?.user);

  useEffect(() => {
    if (session && !session.user) {
      // the page the server sent says the server was set up — a round trip less before the
      // sign-in form; set up stays set up, so even an old copy of the page is right. Only for
      // this first look; "not yet" is asked again (a copy from before the setup may say so)
      if (takeSetupHint() === false) return setNeedsSetup(false);
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
      <Header signedIn={Boolean(session?.user)} />
      <UpdateBanner />
      {session?.user ? <SyncNotices authExpired={session.authExpired} /> : null}
      {session?.user && !match('/login', path) ? <SectionNav path={path} /> : null}
      {body}
    </>
  );
}
