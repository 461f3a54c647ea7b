// The summary's numbers: totals, compliance (correct / all) and the change against the previous period
// of the same length, kept apart from the markup so they can be tested.
import { CLASS_NAMES, type MaskClass } from '../../classify/classes';
import { complianceRate, type Counts } from '../../log/query';

export function totalOf(counts: Counts): number {
  return CLASS_NAMES.reduce((sum, label) => sum + counts[label], 0);
}

export interface PeriodComparison {
  /** Change in events per class and in total. */
  delta: Record<MaskClass | 'total', number>;
  /** Change of the compliance rate in percentage points; null when either period has no events. */
  compliancePoints: number | null;
}

/** The change from `previous` to `current`; null when the previous period has no events to compare with. */
export function comparePeriods(current: Counts, previous: Counts | null): PeriodComparison | null {
  if (!previous || totalOf(previous) === 0) return null;
  const now = complianceRate(current);
  const before = complianceRate(previous);
  return {
    delta: {
      correct: current.correct - previous.correct,
      incorrect: current.incorrect - previous.incorrect,
      none: current.none - previous.none,
      total: totalOf(current) - totalOf(previous),
    },
    compliancePoints: now === null || before === null ? null : (now - before) * 100,
  };
}

/** "+12", "−3" (a real minus sign), "±0". */
export function formatDelta(delta: number): string {
  if (delta === 0) return '±0';
  return delta > 0 ? `+${delta}` : `−${Math.abs(delta)}`;
}

/** "+3.2 pts", "−0.5 pts", "±0 pts", to one decimal. */
export function formatPoints(points: number): string {
  const rounded = Math.round(points * 10) / 10;
  if (rounded === 0) return '±0 pts';
  return `${rounded > 0 ? '+' : '−'}${Math.abs(rounded).toFixed(1)} pts`;
}
