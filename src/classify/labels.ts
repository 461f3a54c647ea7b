// How each class reads and looks on screen, in one place for the overlay, the lists and the log.
import { CLASS_NAMES, type MaskClass } from './protocol';

export const CLASS_TEXT: Record<MaskClass, string> = {
  correct: 'Mask worn correctly',
  incorrect: 'Mask worn incorrectly',
  none: 'No mask',
};

export const CLASS_SHORT: Record<MaskClass, string> = {
  correct: 'Correct',
  incorrect: 'Incorrect',
  none: 'No mask',
};

/** Green / orange / red, chosen to stay apart for the common colour-vision deficiencies too. */
export const CLASS_COLOUR: Record<MaskClass, string> = {
  correct: '#1fa14a',
  incorrect: '#f08a00',
  none: '#e0262f',
};

export interface Prediction {
  label: MaskClass;
  score: number;
  probs: [number, number, number];
}

/** Reads the i-th row of an N x 3 probability array as a prediction. */
export function predictionAt(probs: Float32Array, i: number): Prediction {
  const row: [number, number, number] = [probs[i * 3]!, probs[i * 3 + 1]!, probs[i * 3 + 2]!];
  let best = 0;
  for (let k = 1; k < 3; k++) if (row[k]! > row[best]!) best = k;
  return { label: CLASS_NAMES[best]!, score: row[best]!, probs: row };
}
