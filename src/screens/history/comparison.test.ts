import { describe, expect, it } from 'vitest';
import { comparePeriods, formatDelta, formatPoints, totalOf } from './comparison';

describe('period comparison', () => {
  const current = { correct: 30, incorrect: 5, none: 5 };

  it('counts the change per class, in total and in compliance points', () => {
    const c = comparePeriods(current, { correct: 10, incorrect: 5, none: 5 });
    expect(c?.delta).toEqual({ correct: 20, incorrect: 0, none: 0, total: 20 });
    // 75 % now against 50 % before.
    expect(c?.compliancePoints).toBeCloseTo(25);
  });

  it('has nothing to compare with when the previous period is empty or unknown', () => {
    expect(comparePeriods(current, { correct: 0, incorrect: 0, none: 0 })).toBeNull();
    expect(comparePeriods(current, null)).toBeNull();
  });

  it('gives no compliance change when the current period is empty', () => {
    const c = comparePeriods({ correct: 0, incorrect: 0, none: 0 }, current);
    expect(c?.delta.total).toBe(-40);
    expect(c?.compliancePoints).toBeNull();
  });

  it('formats signed changes', () => {
    expect(totalOf(current)).toBe(40);
    expect(formatDelta(12)).toBe('+12');
    expect(formatDelta(-3)).toBe('−3');
    expect(formatDelta(0)).toBe('±0');
    expect(formatPoints(3.249)).toBe('+3.2 pts');
    expect(formatPoints(-0.54)).toBe('−0.5 pts');
    expect(formatPoints(0.01)).toBe('±0 pts');
  });
});
