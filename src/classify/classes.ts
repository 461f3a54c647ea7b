// The classifier's vocabulary, in one place: the class names in the model's output order, how each class
// reads and looks on screen. The worker protocol, the tracker, the overlay, the lists and the log all
// import it; src/styles.css repeats the colours as custom properties (checked by classes.test.ts).

export const CLASS_NAMES = ['correct', 'incorrect', 'none'] as const;
export type MaskClass = (typeof CLASS_NAMES)[number];

/** Probabilities `[correct, incorrect, none]`. */
export type Probs = readonly [number, number, number];

export function isMaskClass(value: unknown): value is MaskClass {
  return typeof value === 'string' && (CLASS_NAMES as readonly string[]).includes(value);
}

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
