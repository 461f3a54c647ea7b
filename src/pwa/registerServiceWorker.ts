// Registers the service worker (precached app shell, wasm and models) and reports when a new version
// is waiting, so the user decides when to reload instead of being switched mid-shift.
import { Workbox } from 'workbox-window';

export interface UpdateHandle {
  apply(): void;
}

export function registerServiceWorker(onUpdate: (u: UpdateHandle) => void, onOfflineReady: () => void): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  const wb = new Workbox(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL });
  wb.addEventListener('waiting', () => {
    onUpdate({
      apply: () => {
        wb.addEventListener('controlling', () => window.location.reload());
        wb.messageSkipWaiting();
      },
    });
  });
  wb.addEventListener('installed', (e) => {
    if (!e.isUpdate) onOfflineReady();
  });
  // Without a service worker (blocked, or a browser policy) the app still works online; it is just not installed.
  wb.register().catch(() => undefined);
}
