import { describe, expect, it } from 'vitest';
import { formatBytes, formatPercent, fromDateTimeLocal, toDateTimeLocal } from './format';

describe('history formatting', () => {
  it('round-trips datetime-local values in local time', () => {
    const time = new Date(2026, 2, 4, 9, 7).getTime();
    expect(toDateTimeLocal(time)).toBe('2026-03-04T09:07');
    expect(fromDateTimeLocal('2026-03-04T09:07')).toBe(time);
    expect(fromDateTimeLocal('2026-03-04T09:07', true)).toBe(time + 59_999);
    expect(fromDateTimeLocal('')).toBeUndefined();
    expect(fromDateTimeLocal('garbage')).toBeUndefined();
  });

  it('formats sizes and rates', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2_500_000)).toBe('2.5 MB');
    expect(formatPercent(0.4567)).toBe('45.7 %');
    expect(formatPercent(null)).toBe('–');
  });
});
