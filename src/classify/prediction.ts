// The classifier's output read as a class and a score.
import { CLASS_NAMES, type MaskClass } from './classes';

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
