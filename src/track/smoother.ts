import { CLASS_NAMES, type MaskClass, type Probs } from '../classify/classes';

export interface SmootherOptions {
  /** EMA weight of a new result (0..1]; 0.35 ≈ a mean over the last ~5 results. */
  alpha: number;
  /** The challenger's smoothed probability must exceed the current class's by this much… */
  switchMargin: number;
  /** …in this many consecutive results before the label switches. */
  switchCount: number;
}

/**
 * Per-track class estimate: exponential moving average of the classifier's
 * probabilities, plus hysteresis so that the label does not flicker between
 * two close classes.
 */
export class ClassSmoother {
  private readonly ema = [0, 0, 0];
  /** Sum of raw probabilities per class, for the mean confidence of the final class. */
  private readonly sums = [0, 0, 0];
  private current = -1;
  private challenger = -1;
  private challengerRuns = 0;
  count = 0;

  constructor(private readonly options: SmootherOptions) {}

  add(probs: Probs): void {
    const { alpha, switchMargin, switchCount } = this.options;
    for (let i = 0; i < 3; i++) {
      const p = probs[i] ?? 0;
      this.sums[i] = (this.sums[i] ?? 0) + p;
      this.ema[i] = this.count === 0 ? p : (this.ema[i] ?? 0) * (1 - alpha) + p * alpha;
    }
    this.count++;
    const best = argmax(this.ema);
    if (this.current < 0) {
      this.current = best;
      return;
    }
    const lead = (this.ema[best] ?? 0) - (this.ema[this.current] ?? 0);
    if (best === this.current || lead < switchMargin) {
      this.challenger = -1;
      this.challengerRuns = 0;
      return;
    }
    this.challengerRuns = best === this.challenger ? this.challengerRuns + 1 : 1;
    this.challenger = best;
    if (this.challengerRuns >= switchCount) {
      this.current = best;
      this.challenger = -1;
      this.challengerRuns = 0;
    }
  }

  /** Current (hysteresis-filtered) label, or null before the first result. */
  get label(): MaskClass | null {
    return CLASS_NAMES[this.current] ?? null;
  }

  /** True while another class leads but has not yet won the switch. */
  get switching(): boolean {
    return this.challengerRuns > 0;
  }

  /** Smoothed probability of the current label. */
  get smoothedConfidence(): number {
    return this.ema[this.current] ?? 0;
  }

  /** Mean raw probability of `label` over all results of this track. */
  meanConfidence(label: MaskClass): number {
    return this.count === 0 ? 0 : (this.sums[CLASS_NAMES.indexOf(label)] ?? 0) / this.count;
  }
}

function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] ?? 0) > (values[best] ?? 0)) best = i;
  return best;
}
