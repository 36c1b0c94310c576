/**
 * Linli's service worker: precaches the app shell so it opens with no network, answers every
 * navigation with it, and flushes the outbox — on Background Sync where the browser has it,
 * and whenever a page asks (online, start, visible, after a save, on a timer).
 */
/// <reference lib="webworker" />
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { runFlush, SYNC_TAG } from '../src/data/sync/runner.ts';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | { url: string; revision: string | null })[] };
declare const __APP_VERSION__: string;

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [/^\/api\//, /^\/verify\//, /^\/ask\//] }));

let locale = 'zh-CN';

interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
}

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  const data = event.data as { type?: string; locale?: string } | null;
  if (data?.type === 'SKIP_WAITING') void self.skipWaiting();
  if (data?.type === 'flush') {
    if (typeof data.locale === 'string') locale = data.locale;
    event.waitUntil(runFlush({ appVersion: __APP_VERSION__, locale }));
  }
});

self.addEventListener('sync', (event) => {
  const e = event as SyncEvent;
  if (e.tag !== SYNC_TAG) return;
  e.waitUntil(
    runFlush({ appVersion: __APP_VERSION__, locale }).then((r) => {
      // A rejection asks the browser to retry this sync later; a 401 waits for the volunteer.
      if (r && (r.outcome === 'offline' || r.outcome === 'error')) throw new Error(`sync: ${r.outcome}`);
    }),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});
