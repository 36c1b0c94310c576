/** Entry: styles, the UI, the service worker. */
import { render } from 'preact';
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
