// Device preferences read before the models load (so synchronously, from localStorage). Log settings
// live with the log in IndexedDB.
import type { DetectorModel } from '../detect/faceDetector';
import { isModelChoice, type ModelChoice } from '../classify/modelChoice';

export interface Preferences {
  detectorModel: DetectorModel;
  preferWebGpu: boolean;
  /** Which classifier: auto (measured per device), accurate (VGG16) or fast (MobileNetV3-small). */
  classifierChoice: ModelChoice;
}

const KEY = 'maskgate.preferences';
const DEFAULTS: Preferences = { detectorModel: 'short', preferWebGpu: true, classifierChoice: 'auto' };

export function loadPreferences(): Preferences {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(KEY) ?? 'null');
    if (typeof raw !== 'object' || raw === null) return DEFAULTS;
    const r = raw as Partial<Preferences>;
    return {
      detectorModel: r.detectorModel === 'full' ? 'full' : 'short',
      preferWebGpu: typeof r.preferWebGpu === 'boolean' ? r.preferWebGpu : DEFAULTS.preferWebGpu,
      classifierChoice: isModelChoice(r.classifierChoice) ? r.classifierChoice : DEFAULTS.classifierChoice,
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
