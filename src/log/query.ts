import { CLASS_NAMES, type MaskClass } from '../classify/classes';
import type { LogDatabase, StoredEvent } from './schema';
import type { EventFilter, LogEvent } from './types';

/** Position after the last event of a page; events are ordered by (time, id), newest first. */
export interface PageCursor {
  time: number;
  id: number;
}

export interface EventPage {
  events: LogEvent[];
  /** Pass to the next call for the following (older) page; null on the last page. */
  next: PageCursor | null;
}

export type Counts = Record<MaskClass, number>;

export type BucketUnit = 'hour' | 'day';

export interface HistogramBucket {
  /** Bucket start, local-time aligned, ms since epoch. */
  start: number;
  counts: Counts;
}

/** Histograms longer than this keep only their most recent buckets. */
export const MAX_BUCKETS = 1000;
const HOUR_MS = 3_600_000;

function labelsOf(filter: EventFilter): readonly MaskClass[] {
  return filter.labels ?? CLASS_NAMES;
}

function labelRange(label: MaskClass, from = -Infinity, to = Infinity): IDBKeyRange {
  return IDBKeyRange.bound([label, from], [label, to]);
}

export function toLogEvent(stored: StoredEvent): LogEvent {
  const { thumbTime: _, ...event } = stored;
  return event;
}

/**
 * One page of events, newest first. Reads at most `limit + 1` records per
 * selected class from the class+time index, so the cost does not grow with the
 * size of the log.
 */
export async function pageEvents(
  db: LogDatabase,
  filter: EventFilter,
  limit: number,
  after: PageCursor | null = null,
): Promise<EventPage> {
  const index = db.transaction('events').store.index('labelTime');
  const upper = Math.min(filter.to ?? Infinity, after?.time ?? Infinity);
  const perLabel = await Promise.all(
    labelsOf(filter).map(async (label) => {
      const rows: StoredEvent[] = [];
      let cursor = await index.openCursor(labelRange(label, filter.from, upper), 'prev');
      if (cursor && after && cursor.key[1] === after.time && cursor.primaryKey >= after.id) {
        // Skip the events with the same time that the previous page already showed.
        cursor = await cursor.continuePrimaryKey([label, after.time], after.id - 1);
      }
      while (cursor && rows.length <= limit) {
        rows.push(cursor.value);
        cursor = await cursor.continue();
      }
      return rows;
    }),
  );
  const merged = perLabel.flat().sort((a, b) => b.time - a.time || b.id - a.id);
  const events = merged.slice(0, limit).map(toLogEvent);
  const last = events.at(-1);
  return { events, next: merged.length > limit && last ? { time: last.time, id: last.id } : null };
}

/** Events per class matching the filter (classes outside `filter.labels` count 0). */
export async function countEvents(db: LogDatabase, filter: EventFilter): Promise<Counts> {
  const index = db.transaction('events').store.index('labelTime');
  const selected = labelsOf(filter);
  const counts = await Promise.all(
    CLASS_NAMES.map((label) => (selected.includes(label) ? index.count(labelRange(label, filter.from, filter.to)) : 0)),
  );
  return { correct: counts[0] ?? 0, incorrect: counts[1] ?? 0, none: counts[2] ?? 0 };
}

/** Share of `correct` among all counted events; null when there are none. */
export function complianceRate(counts: Counts): number | null {
  const total = counts.correct + counts.incorrect + counts.none;
  return total === 0 ? null : counts.correct / total;
}

/** Time of the oldest and newest event matching the time range of the filter; null if none. */
export async function timeBounds(db: LogDatabase, filter: EventFilter): Promise<{ from: number; to: number } | null> {
  const index = db.transaction('events').store.index('time');
  const range = IDBKeyRange.bound(filter.from ?? -Infinity, filter.to ?? Infinity);
  const [oldest, newest] = await Promise.all([index.openKeyCursor(range, 'next'), index.openKeyCursor(range, 'prev')]);
  return oldest && newest ? { from: oldest.key, to: newest.key } : null;
}

export function bucketStart(time: number, unit: BucketUnit): number {
  const d = new Date(time);
  if (unit === 'day') d.setHours(0, 0, 0, 0);
  else d.setMinutes(0, 0, 0);
  return d.getTime();
}

function nextBucket(start: number, unit: BucketUnit): number {
  if (unit === 'hour') return start + HOUR_MS;
  const d = new Date(start);
  d.setDate(d.getDate() + 1);
  return d.getTime();
}

/**
 * Events per class per local hour or day from `from` to `to` (inclusive), one
 * index count per bucket and class rather than a scan of the events.
 */
export async function histogram(
  db: LogDatabase,
  filter: EventFilter & { from: number; to: number },
  unit: BucketUnit,
): Promise<HistogramBucket[]> {
  const starts: number[] = [];
  for (let s = bucketStart(filter.from, unit); s <= filter.to; s = nextBucket(s, unit)) starts.push(s);
  const kept = starts.slice(-MAX_BUCKETS);
  const index = db.transaction('events').store.index('labelTime');
  const selected = labelsOf(filter);
  return Promise.all(
    kept.map(async (start) => {
      const end = nextBucket(start, unit);
      const from = Math.max(start, filter.from);
      const to = Math.min(end - 1, filter.to);
      const [correct, incorrect, none] = await Promise.all(
        CLASS_NAMES.map((label) =>
          selected.includes(label) ? index.count(IDBKeyRange.bound([label, from], [label, to])) : 0,
        ),
      );
      return { start, counts: { correct: correct ?? 0, incorrect: incorrect ?? 0, none: none ?? 0 } };
    }),
  );
}

/** All events matching the filter, newest first, read a page at a time. */
export async function* iterateEvents(db: LogDatabase, filter: EventFilter, batch = 500): AsyncGenerator<LogEvent> {
  let after: PageCursor | null = null;
  do {
    const page: EventPage = await pageEvents(db, filter, batch, after);
    yield* page.events;
    after = page.next;
  } while (after);
}
