// The class names come from the classifier's protocol: one list, in the model's output order.
import { CLASS_NAMES, type MaskClass } from '../classify/protocol';

export { CLASS_NAMES as MASK_CLASSES, type MaskClass };

/** Probabilities `[correct, incorrect, none]`. */
export type Probs = readonly [number, number, number];

export function isMaskClass(value: unknown): value is MaskClass {
  return typeof value === 'string' && (CLASS_NAMES as readonly string[]).includes(value);
}
