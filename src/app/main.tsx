/** Entry: styles, the UI, the service worker. */
import { render } from 'preact';
import { observeSession, warmWriter } from '../data/index.ts';
import { App } from './App.tsx';
import { I18nProvider } from './i18n.tsx';
import { captureInstallPrompt } from './install.ts';
import { registerServiceWorker } from './update.ts';
import './styles.css';

captureInstallPrompt();
render(
  <I18nProvider>
    <App />
  </I18nProvider>,
  document.getElementById('app')!,
);
registerServiceWorker();
// The writer worker (a save's dexie, schemas and rules: most of the app's script) loads when a
// save can come — just after signing in, or a signed-in volunteer's first touch or key, well
// before any form is filled in — never for the first screen itself; a save before it is up
// starts it too.
let signedIn: boolean | undefined;
let touched = false;
observeSession().subscribe((s) => {
  const now = Boolean(s?.user);
  if (now && touched) warmWriter();
  else if (now && signedIn === false) idle(warmWriter);
  signedIn = now;
});
function idle(run: () => void) {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 3000 });
  else setTimeout(run, 1000);
}
const WARM_ON = ['pointerdown', 'keydown', 'focusin'] as const;
const warmOnTouch = () => {
  // a touch before the session is read counts once it is
  touched = true;
  if (!signedIn) return;
  for (const type of WARM_ON) removeEventListener(type, warmOnTouch, true);
  warmWriter();
};
for (const type of WARM_ON) addEventListener(type, warmOnTouch, { capture: true, passive: true });
