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

/**
 * The index and key prefixes a filter reads: one (label) prefix on labelTime per selected class, or, when the
 * filter names entrances, one (entrance, label) prefix on entranceLabelTime per pair. Both end in time, so
 * every query below works on either the same way and stays an index walk or count.
 */
interface Scan {
  index: 'labelTime' | 'entranceLabelTime';
  prefixes: (readonly [MaskClass] | readonly [string, MaskClass])[];
}

function scanOf(filter: EventFilter, labels: readonly MaskClass[] = labelsOf(filter)): Scan {
  const entrances = filter.entrances;
  if (!entrances) return { index: 'labelTime', prefixes: labels.map((l) => [l] as const) };
  return {
    index: 'entranceLabelTime',
    prefixes: entrances.flatMap((e) => labels.map((l) => [e, l] as const)),
  };
}

type TimeKey = [MaskClass, number] | [string, MaskClass, number];

function timeRange(prefix: readonly unknown[], from = -Infinity, to = Infinity): IDBKeyRange {
  return IDBKeyRange.bound([...prefix, from], [...prefix, to]);
}

function timeOf(key: TimeKey): number {
  return key[key.length - 1] as number;
}

/**
 * Counts the filter's events of one class between from and to (inclusive), as a sum of index counts; all
 * calls of one counter share one read transaction (one per call made the 1000-bucket histogram slower).
 */
function counter(db: LogDatabase, filter: EventFilter) {
  const index = db.transaction('events').store.index(scanOf(filter).index);
  return async (label: MaskClass, from?: number, to?: number): Promise<number> => {
    const { prefixes } = scanOf(filter, [label]);
    const counts = await Promise.all(prefixes.map((p) => index.count(timeRange(p, from, to))));
    return counts.reduce((a, b) => a + b, 0);
  };
}

/**
 * The entrances in the log ('' = this device), sorted. A skip scan of entranceLabelTime: after reading
 * one key it jumps past every key of that entrance, so it costs one step per entrance, not per event.
 */
export async function listEntrances(db: LogDatabase): Promise<string[]> {
  const index = db.transaction('events').store.index('entranceLabelTime');
  const found: string[] = [];
  let cursor = await index.openKeyCursor();
  while (cursor) {
    const entrance = cursor.key[0];
    found.push(entrance);
    // Arrays sort after every string, so [entrance, []] is past all of this entrance's keys.
    cursor = await cursor.continue([entrance, []] as unknown as [string, MaskClass, number]);
  }
  return found;
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
  const scan = scanOf(filter);
  const index = db.transaction('events').store.index(scan.index);
  const upper = Math.min(filter.to ?? Infinity, after?.time ?? Infinity);
  const perLabel = await Promise.all(
    scan.prefixes.map(async (prefix) => {
      const rows: StoredEvent[] = [];
      let cursor = await index.openCursor(timeRange(prefix, filter.from, upper), 'prev');
      if (cursor && after && timeOf(cursor.key) === after.time && cursor.primaryKey >= after.id) {
        // Skip the events with the same time that the previous page already showed.
        cursor = await cursor.continuePrimaryKey([...prefix, after.time] as TimeKey, after.id - 1);
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
  const selected = labelsOf(filter);
  const countLabel = counter(db, filter);
  const counts = await Promise.all(
    CLASS_NAMES.map((label) => (selected.includes(label) ? countLabel(label, filter.from, filter.to) : 0)),
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
  if (filter.entrances) {
    // Oldest and newest over the (entrance, class) prefixes: two key lookups per prefix.
    const { index, prefixes } = scanOf(filter, CLASS_NAMES);
    const store = db.transaction('events').store.index(index);
    const ends = await Promise.all(
      prefixes.flatMap((p) => {
        const range = timeRange(p, filter.from, filter.to);
        return [store.openKeyCursor(range, 'next'), store.openKeyCursor(range, 'prev')];
      }),
    );
    const times = ends.flatMap((c) => (c ? [timeOf(c.key)] : []));
    return times.length ? { from: Math.min(...times), to: Math.max(...times) } : null;
  }
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
  const selected = labelsOf(filter);
  const countLabel = counter(db, filter);
  return Promise.all(
    kept.map(async (start) => {
      const end = nextBucket(start, unit);
      const from = Math.max(start, filter.from);
      const to = Math.min(end - 1, filter.to);
      const [correct, incorrect, none] = await Promise.all(
        CLASS_NAMES.map((label) => (selected.includes(label) ? countLabel(label, from, to) : 0)),
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

/** One histogram bucket split by entrance: events per entrance ('' = this device), classes summed. */
export interface EntranceBucket {
  start: number;
  byEntrance: Record<string, number>;
}

/**
 * The histogram of `filter` split by the given entrances (for "all entrances"): one histogram per
 * entrance over the entrance index, summed over the selected classes.
 */
export async function entranceHistogram(
  db: LogDatabase,
  filter: EventFilter & { from: number; to: number },
  unit: BucketUnit,
  entrances: readonly string[],
): Promise<EntranceBucket[]> {
  const per = await Promise.all(entrances.map((e) => histogram(db, { ...filter, entrances: [e] }, unit)));
  const first = per[0] ?? [];
  return first.map((bucket, i) => ({
    start: bucket.start,
    byEntrance: Object.fromEntries(
      entrances.map((e, j) => {
        const counts = per[j]?.[i]?.counts;
        return [e, counts ? counts.correct + counts.incorrect + counts.none : 0];
      }),
    ),
  }));
}

/** Counts per class for each of the given entrances. */
export async function countByEntrance(
  db: LogDatabase,
  filter: EventFilter,
  entrances: readonly string[],
): Promise<Record<string, Counts>> {
  const counts = await Promise.all(entrances.map((e) => countEvents(db, { ...filter, entrances: [e] })));
  return Object.fromEntries(entrances.map((e, i) => [e, counts[i] as Counts]));
}
