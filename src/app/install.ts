/** The browser's install offer (`beforeinstallprompt`), kept until the volunteer taps "add to home screen". */
interface InstallEvent extends Event {
  prompt(): Promise<void>;
}

let deferred: InstallEvent | null = null;
const listeners = new Set<() => void>();

export function captureInstallPrompt(): void {
  window.addEventListener('beforeinstallprompt', (e) => {
    e.preventDefault();
    deferred = e as InstallEvent;
    for (const l of listeners) l();
  });
}

export const installPrompt = {
  available: () => deferred !== null,
  subscribe(l: () => void) {
    listeners.add(l);
    return () => listeners.delete(l);
  },
  async show() {
    const e = deferred;
    deferred = null;
    await e?.prompt();
    for (const l of listeners) l();
  },
};
