// Shared pieces of the fault suite (tests/e2e/faults-*.test.mjs, see FAULTS.md): a short entrance clip,
// reading the event log straight from IndexedDB (the live and model-choice tests wait on it too), and the init
// scripts that inject faults into the page.
import { join } from 'node:path';
import { makeCameraClip } from '../../scripts/make-camera-clip.mjs';
import { LIVE_WAIT_MS, tempDir } from './harness.mjs';

/** A masked, then an unmasked person, each in view for 3 s with 1.5 s of empty frame after: an event every ~4.5 s. */
export function entranceClip() {
  const out = join(tempDir('maskgate-faults-'), 'entrance.y4m');
  const photos = ['maksssksksss63.jpg', 'maksssksksss841.jpg'].map((p) => `tests/fixtures/scenes/${p}`);
  makeCameraClip({ out, photos, width: 640, height: 480, fps: 15, seconds: 3, pan: 0.12, gap: 1.5 });
  return out;
}

/** Every logged event, oldest first: [{id, label, camera, firstSeen (epoch ms), thumbnail: bytes or 0}]. */
export function readLogged(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('maskgate-log');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('events')) {
            db.close();
            resolve([]);
            return;
          }
          const req = db.transaction('events').objectStore('events').getAll();
          req.onerror = () => reject(req.error);
          req.onsuccess = () => {
            db.close();
            resolve(
              req.result.map((e) => ({
                id: e.id,
                label: e.label,
                camera: e.camera,
                firstSeen: e.firstSeen,
                thumbnail: e.thumbnail ? e.thumbnail.size : 0,
              })),
            );
          };
        };
      }),
  );
}

/**
 * Waits until the log holds at least `until` events, or (a function) until it says the events are there; returns
 * them.
 */
export async function waitForLogged(page, until, timeout = LIVE_WAIT_MS) {
  const done = typeof until === 'function' ? until : (events) => events.length >= until;
  const deadline = Date.now() + timeout;
  for (;;) {
    const events = await readLogged(page);
    if (done(events)) return events;
    if (Date.now() > deadline)
      throw new Error(
        typeof until === 'function'
          ? `${events.length} events logged after ${timeout} ms, not the one awaited`
          : `only ${events.length} of ${until} events logged after ${timeout} ms`,
      );
    await page.waitForTimeout(250);
  }
}

/** Init script: keeps every camera stream the page opens in window.__cameraStreams (to "unplug" it later). */
export const KEEP_CAMERA_STREAMS = () => {
  window.__cameraStreams = [];
  const original = MediaDevices.prototype.getUserMedia;
  MediaDevices.prototype.getUserMedia = async function (constraints) {
    const stream = await original.call(this, constraints);
    window.__cameraStreams.push(stream);
    return stream;
  };
};

/** Init script: a device with no camera at all (what getUserMedia and enumerateDevices then report). */
export const NO_CAMERA = () => {
  MediaDevices.prototype.getUserMedia = () =>
    Promise.reject(new DOMException('Requested device not found', 'NotFoundError'));
  MediaDevices.prototype.enumerateDevices = () => Promise.resolve([]);
};

/** Init script: IndexedDB refuses to open, as in some private modes or under a storage-blocking policy. */
export const NO_INDEXEDDB = () => {
  IDBFactory.prototype.open = () => {
    throw new DOMException('The user denied permission to access the database.', 'SecurityError');
  };
};

/**
 * Init script: once window.__storageFull is set, storing any record that carries a thumbnail fails with
 * QuotaExceededError, as when the disk fills up; records without one still fit.
 */
export const STORAGE_FULL_SWITCH = () => {
  window.__storageFull = false;
  const add = IDBObjectStore.prototype.add;
  const put = IDBObjectStore.prototype.put;
  const full = (value) => window.__storageFull && value && typeof value === 'object' && value.thumbnail instanceof Blob;
  IDBObjectStore.prototype.add = function (value, key) {
    if (full(value)) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    return key === undefined ? add.call(this, value) : add.call(this, value, key);
  };
  IDBObjectStore.prototype.put = function (value, key) {
    if (full(value)) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    return key === undefined ? put.call(this, value) : put.call(this, value, key);
  };
};

/** Init script: keeps the page's workers in window.__workers, so a test can play a worker message into the page. */
export const KEEP_WORKERS = () => {
  window.__workers = [];
  const Original = window.Worker;
  window.Worker = class extends Original {
    constructor(...args) {
      super(...args);
      window.__workers.push(this);
    }
  };
};
