// The time span the history covers: a preset (today, 7 days, 30 days, all) or a custom range, the
// period of the same length just before it (for the summary's comparison), and the chart's bucket unit.
import type { BucketUnit } from '../../log/query';

export type PeriodPreset = 'all' | 'today' | '7d' | '30d' | 'custom';

export const PERIOD_PRESETS: readonly { id: PeriodPreset; text: string }[] = [
  { id: 'today', text: 'Today' },
  { id: '7d', text: '7 days' },
  { id: '30d', text: '30 days' },
  { id: 'all', text: 'All' },
  { id: 'custom', text: 'Custom' },
];

/** Inclusive bounds, ms since epoch; a missing bound is open (the oldest / newest event). */
export interface TimeRange {
  from?: number;
  to?: number;
}

export interface ResolvedPeriod extends TimeRange {
  /** The period just before, of the same length; null when the period has no start. */
  previous: { from: number; to: number } | null;
  /** How the comparison reads, e.g. "the 7 days before"; null without a previous period. */
  previousText: string | null;
}

const HOUR_MS = 3_600_000;

/** Local midnight `days` days before the day of `time` (0 = that day's midnight). */
export function startOfDay(time: number, daysBack = 0): number {
  const d = new Date(time);
  d.setHours(0, 0, 0, 0);
  d.setDate(d.getDate() - daysBack);
  return d.getTime();
}

/** The same local clock time `days` days earlier (DST-safe, unlike subtracting 24 h). */
function daysEarlier(time: number, days: number): number {
  const d = new Date(time);
  d.setDate(d.getDate() - days);
  return d.getTime();
}

/**
 * The filter bounds of a period at `now`. Presets are calendar days up to now (so "7 days" is today
 * and the 6 days before: seven whole day bars), compared with the same span shifted back by its length.
 */
export function resolvePeriod(preset: PeriodPreset, now: number, custom: TimeRange = {}): ResolvedPeriod {
  const days = preset === 'today' ? 1 : preset === '7d' ? 7 : preset === '30d' ? 30 : 0;
  if (days > 0) {
    const from = startOfDay(now, days - 1);
    return {
      from,
      previous: { from: daysEarlier(from, days), to: daysEarlier(now, days) },
      previousText: days === 1 ? 'yesterday up to this time' : `the ${days} days before`,
    };
  }
  if (preset === 'all') return { previous: null, previousText: null };
  const { from, to } = custom;
  if (from === undefined || (to !== undefined && to < from)) return { from, to, previous: null, previousText: null };
  const length = (to ?? now) - from + 1;
  return {
    from,
    to,
    previous: { from: from - length, to: from - 1 },
    previousText: 'the period of the same length before',
  };
}

/**
 * The span the chart covers: a period with a start runs to its end or to now (quiet hours and days show as
 * empty bars), an open bound follows the events. A period with a start has a span even with no events in it, so
 * "Today" just after midnight still reads per hour; null when neither the period nor the events bound it.
 */
export function chartSpan(
  { from, to }: TimeRange,
  events: { from: number; to: number } | null,
  now: number,
): { from: number; to: number } | null {
  if (!events) return from !== undefined ? { from, to: to ?? now } : null;
  return { from: from ?? events.from, to: to ?? (from !== undefined ? Math.max(now, events.to) : events.to) };
}

/** Per hour up to two days, per day beyond: enough bars to read, few enough to tell apart. */
export function bucketUnitFor(from: number, to: number): BucketUnit {
  return to - from <= 48 * HOUR_MS ? 'hour' : 'day';
}
