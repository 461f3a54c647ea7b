// Device preferences read before the models load (so synchronously, from localStorage). Log settings
// live with the log in IndexedDB.
import type { DetectorModel } from '../detect/faceDetector';

export interface Preferences {
  detectorModel: DetectorModel;
  preferWebGpu: boolean;
}

const KEY = 'maskgate.preferences';
const DEFAULTS: Preferences = { detectorModel: 'short', preferWebGpu: true };

export function loadPreferences(): Preferences {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(KEY) ?? 'null');
    if (typeof raw !== 'object' || raw === null) return DEFAULTS;
    const r = raw as Partial<Preferences>;
    return {
      detectorModel: r.detectorModel === 'full' ? 'full' : 'short',
      preferWebGpu: typeof r.preferWebGpu === 'boolean' ? r.preferWebGpu : DEFAULTS.preferWebGpu,
    };
  } catch {
    return DEFAULTS;
  }
}

export function savePreferences(p: Preferences): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(p));
  } catch {
    // Storage can be full or blocked; the preference then lasts for this visit only.
  }
}
