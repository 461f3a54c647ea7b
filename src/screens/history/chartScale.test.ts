import { describe, expect, it } from 'vitest';
import { axisLabel, bucketText, labelEvery, labelRoom, niceTicks } from './chartScale';

describe('chart scale', () => {
  it('picks round y ticks that reach the highest bar', () => {
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(3)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(130)).toEqual([0, 50, 100, 150]);
    expect(niceTicks(1000)).toEqual([0, 500, 1000]);
    for (const max of [1, 9, 42, 99, 101, 12_345]) {
      const ticks = niceTicks(max);
      expect(ticks.at(-1)).toBeGreaterThanOrEqual(max);
      expect(ticks.length - 1).toBeLessThanOrEqual(4);
    }
  });

  it('labels every bar when there is room and thins the labels when there is not', () => {
    expect(labelEvery(60, 44)).toBe(1);
    expect(labelEvery(10, 44)).toBe(5);
    expect(labelEvery(0, 44)).toBeGreaterThan(1000);
    // "01:00 AM" (12-hour clocks) needs more room than "14:00".
    expect(labelRoom('01:00 AM')).toBeGreaterThan(labelRoom('14:00') + 20);
  });

  it('names buckets in local time', () => {
    const midnight = new Date(2026, 2, 3).getTime();
    const twoPm = new Date(2026, 2, 3, 14).getTime();
    // The hour axis shows the date at midnight, the time otherwise.
    expect(axisLabel(midnight, 'hour')).toBe(axisLabel(midnight, 'day'));
    expect(axisLabel(twoPm, 'hour')).toMatch(/\d{1,2}:00/);
    expect(bucketText(twoPm, 'hour')).toMatch(/\d{1,2}:00.* – .*\d{1,2}:00/);
    expect(bucketText(midnight, 'day')).not.toMatch(/:/);
  });
});
