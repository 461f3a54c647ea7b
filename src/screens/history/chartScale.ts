// The chart's arithmetic: round y-axis steps, how many x labels fit, and the words for a bucket.
import type { BucketUnit } from '../../log/query';

/** Axis ticks from 0 in steps of 1, 2 or 5 × 10^k, the last ≥ max, at most `maxTicks` steps. */
export function niceTicks(max: number, maxTicks = 4): number[] {
  if (max <= 0) return [0, 1];
  const rough = max / maxTicks;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough && s >= 1) ?? Math.max(1, power * 10);
  const ticks = [0];
  while (ticks.at(-1)! < max) ticks.push(ticks.at(-1)! + step);
  return ticks;
}

/**
 * Room an x label needs at the axis font (12 px): a generous 7.5 px per character (digits and
 * capitals are the widest) plus a gap. An estimate, so labels are sized before they are drawn.
 */
export function labelRoom(text: string): number {
  return text.length * 7.5 + 12;
}

/** Label every n-th bar so that labels `labelPx` wide, `slotPx` apart, never touch. */
export function labelEvery(slotPx: number, labelPx: number): number {
  return Math.max(1, Math.ceil(labelPx / Math.max(slotPx, 0.001)));
}

/** Short x-axis label: "14:00" per hour (the date at midnight), "Mar 3" per day. */
export function axisLabel(start: number, unit: BucketUnit): string {
  const d = new Date(start);
  if (unit === 'hour' && d.getHours() !== 0) return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return d.toLocaleDateString([], { month: 'short', day: 'numeric' });
}

/** The bucket in full, for the value readout and the table: "Tue, Mar 3" or "Mar 3, 14:00 – 15:00". */
export function bucketText(start: number, unit: BucketUnit): string {
  const d = new Date(start);
  if (unit === 'day') return d.toLocaleDateString([], { weekday: 'short', month: 'short', day: 'numeric' });
  const time = (t: Date) => t.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const end = new Date(d);
  end.setHours(end.getHours() + 1);
  return `${d.toLocaleDateString([], { month: 'short', day: 'numeric' })}, ${time(d)} – ${time(end)}`;
}
