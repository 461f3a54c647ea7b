import { describe, expect, it } from 'vitest';
import { bucketUnitFor, chartSpan, resolvePeriod, startOfDay } from './period';

// Local times, so the tests hold in any time zone.
const now = new Date(2026, 2, 10, 14, 30).getTime();

describe('history periods', () => {
  it('starts "today" at local midnight and compares with yesterday up to the same time', () => {
    const p = resolvePeriod('today', now);
    expect(p.from).toBe(new Date(2026, 2, 10).getTime());
    expect(p.to).toBeUndefined();
    expect(p.previous).toEqual({ from: new Date(2026, 2, 9).getTime(), to: new Date(2026, 2, 9, 14, 30).getTime() });
    expect(p.previousText).toBe('yesterday up to this time');
  });

  it('makes "7 days" today and the 6 days before, compared with the 7 days before that', () => {
    const p = resolvePeriod('7d', now);
    expect(p.from).toBe(new Date(2026, 2, 4).getTime());
    expect(p.previous).toEqual({
      from: new Date(2026, 1, 25).getTime(),
      to: new Date(2026, 2, 3, 14, 30).getTime(),
    });
    expect(resolvePeriod('30d', now).from).toBe(new Date(2026, 1, 9).getTime());
  });

  it('has no comparison for all events or a custom range without a start', () => {
    expect(resolvePeriod('all', now)).toEqual({ previous: null, previousText: null });
    expect(resolvePeriod('custom', now, { to: now }).previous).toBeNull();
  });

  it('compares a custom range with the span of the same length just before it', () => {
    const from = new Date(2026, 2, 1).getTime();
    const to = from + 1000 - 1;
    expect(resolvePeriod('custom', now, { from, to }).previous).toEqual({ from: from - 1000, to: from - 1 });
    // Open end: the range runs to now.
    expect(resolvePeriod('custom', now, { from }).previous).toEqual({ from: 2 * from - now - 1, to: from - 1 });
    // A range that ends before it starts is shown as empty, not compared.
    expect(resolvePeriod('custom', now, { from: to, to: from }).previous).toBeNull();
  });

  it('buckets per hour up to two days and per day beyond', () => {
    expect(bucketUnitFor(now - 48 * 3_600_000, now)).toBe('hour');
    expect(bucketUnitFor(now - 48 * 3_600_000 - 1, now)).toBe('day');
    expect(startOfDay(now, 1)).toBe(new Date(2026, 2, 9).getTime());
  });

  it('charts a preset up to now, and "today" per hour even before its first event', () => {
    const today = resolvePeriod('today', now);
    const midnight = new Date(2026, 2, 10).getTime();
    // Events earlier today: the span still runs to now (empty bars for the quiet hours since).
    expect(chartSpan(today, { from: midnight + 60_000, to: midnight + 120_000 }, now)).toEqual({
      from: midnight,
      to: now,
    });
    // No event yet today (e.g. a minute after midnight): the period alone sets the span, so the unit stays hours.
    const span = chartSpan(today, null, now);
    expect(span).toEqual({ from: midnight, to: now });
    expect(span && bucketUnitFor(span.from, span.to)).toBe('hour');
    // "All" follows the events, and has no span without them.
    expect(chartSpan({}, { from: 5, to: 9 }, now)).toEqual({ from: 5, to: 9 });
    expect(chartSpan({}, null, now)).toBeNull();
    // A custom range keeps its end.
    expect(chartSpan({ from: 1, to: 2 }, null, now)).toEqual({ from: 1, to: 2 });
  });
});
