/**
 * The service worker's registration (workbox-window) and the update offer, plus the count of
 * forms with unsaved input — an update never reloads over them.
 */
import { Workbox } from 'workbox-window';

type Listener = () => void;
const readyListeners = new Set<Listener>();
let updateReady = false;
let wb: Workbox | undefined;

export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  wb = new Workbox('/sw.js', { scope: '/' });
  wb.addEventListener('waiting', () => {
    updateReady = true;
    for (const l of readyListeners) l();
  });
  void wb.register();
}

export function onUpdateReady(l: Listener): () => void {
  if (updateReady) l();
  readyListeners.add(l);
  return () => readyListeners.delete(l);
}

export function applyUpdate(): void {
  if (!wb) return;
  wb.addEventListener('controlling', () => location.reload());
  wb.messageSkipWaiting();
}

const dirtyListeners = new Set<Listener>();
export const dirtyForms = {
  count: 0,
  change(delta: 1 | -1) {
    this.count = Math.max(0, this.count + delta);
    for (const l of dirtyListeners) l();
  },
  subscribe(l: Listener): () => void {
    dirtyListeners.add(l);
    return () => dirtyListeners.delete(l);
  },
};
