/** Entry: styles, the UI, the service worker. */
import { render } from 'preact';
import { warmWriter } from '../data/index.ts';
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
// The writer worker loads once the first screen is up, so the first save does not wait for it.
if (typeof requestIdleCallback === 'function') requestIdleCallback(warmWriter, { timeout: 3000 });
else setTimeout(warmWriter, 1000);
