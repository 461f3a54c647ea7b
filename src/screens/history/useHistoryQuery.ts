// What the history shows: the filters, one page of events (cursor-paged, so it stays fast however long
// the log), the counts of the period and of the one before it, and the chart's buckets, all re-read
// after every change to the stored events.
import { useEffect, useState } from 'preact/hooks';
import { CLASS_NAMES, type MaskClass } from '../../classify/classes';
import { errorText } from '../../errorText';
import type { LogDb } from '../../log/db';
import type { BucketUnit, Counts, HistogramBucket, PageCursor } from '../../log/query';
import type { EventFilter, LogEvent } from '../../log/types';
import { fromDateTimeLocal } from './format';
import { bucketUnitFor, chartSpan, resolvePeriod, type PeriodPreset } from './period';

export const PAGE_SIZE = 50;

/** `scope`: the entrance part of the filter (src/screens/history/useScope.ts) and a reload counter. */
export function useHistoryQuery(db: LogDb, scope: { entrances?: readonly string[]; revision?: number } = {}) {
  const [labels, setLabels] = useState<readonly MaskClass[]>(CLASS_NAMES);
  // All events by default: a fresh log (or an import of old events) shows everything it holds.
  const [preset, setPreset] = useState<PeriodPreset>('all');
  const [fromText, setFromText] = useState('');
  const [toText, setToText] = useState('');
  /** Start cursor of every page up to the current one; null = newest. */
  const [pageStarts, setPageStarts] = useState<readonly (PageCursor | null)[]>([null]);
  const [events, setEvents] = useState<readonly LogEvent[]>([]);
  const [next, setNext] = useState<PageCursor | null>(null);
  const [counts, setCounts] = useState<Counts | null>(null);
  const [previousCounts, setPreviousCounts] = useState<Counts | null>(null);
  const [buckets, setBuckets] = useState<readonly HistogramBucket[]>([]);
  const [unit, setUnit] = useState<BucketUnit>('day');
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [message, setMessage] = useState<string | null>(null);
  /** Bumped after every change to the stored events, to reload what is shown. */
  const [revision, setRevision] = useState(0);

  const custom = { from: fromDateTimeLocal(fromText), to: fromDateTimeLocal(toText, true) };
  const period = resolvePeriod(preset, Date.now(), preset === 'custom' ? custom : {});
  const { from, to } = period;
  const rangeError = from !== undefined && to !== undefined && to < from ? 'The range ends before it starts.' : null;
  const filter: EventFilter = { labels, from, to, ...(scope.entrances ? { entrances: scope.entrances } : {}) };
  const filterKey = `${labels.join()}|${from}|${to}|${scope.entrances?.join('\u0000') ?? '*'}|${scope.revision ?? 0}`;
  const pageStart = pageStarts.at(-1) ?? null;
  const fail = (error: unknown) => setMessage(`Could not read the log: ${errorText(error)}`);

  useEffect(() => {
    let live = true;
    if (rangeError) {
      setEvents([]);
      setNext(null);
      return;
    }
    db.page(filter, PAGE_SIZE, pageStart).then(
      (page) => {
        if (!live) return;
        setEvents(page.events);
        setNext(page.next);
      },
      (error: unknown) => live && fail(error),
    );
    return () => {
      live = false;
    };
  }, [db, filterKey, pageStart, revision]);

  useEffect(() => {
    let live = true;
    const load = async () => {
      const now = Date.now();
      const previous = period.previous;
      const [newCounts, newPrevious, bounds] = await Promise.all([
        db.count(filter),
        previous ? db.count({ labels, ...previous }) : null,
        db.timeBounds(filter),
      ]);
      const span = chartSpan({ from, to }, bounds, now);
      const newUnit = span ? bucketUnitFor(span.from, span.to) : 'day';
      const newBuckets = span && bounds ? await db.histogram({ ...filter, ...span }, newUnit) : [];
      if (!live) return;
      setCounts(newCounts);
      setPreviousCounts(newPrevious);
      setBuckets(newBuckets);
      setUnit(newUnit);
    };
    if (rangeError) {
      setCounts({ correct: 0, incorrect: 0, none: 0 });
      setPreviousCounts(null);
      setBuckets([]);
    } else load().catch((error: unknown) => live && fail(error));
    return () => {
      live = false;
    };
  }, [db, filterKey, revision]);

  /** Any filter change starts again from the newest page. */
  const resetPaging = () => {
    setPageStarts([null]);
    setSelected(new Set());
  };
  const andReset =
    <T>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      resetPaging();
    };

  return {
    filter,
    labels,
    preset,
    fromText,
    toText,
    rangeError,
    previousText: period.previousText,
    toggleLabel: (label: MaskClass, on: boolean) => {
      setLabels(CLASS_NAMES.filter((l) => (l === label ? on : labels.includes(l))));
      resetPaging();
    },
    setPreset: andReset(setPreset),
    setFromText: andReset(setFromText),
    setToText: andReset(setToText),
    unit,
    counts,
    previousCounts,
    buckets,
    events,
    /** 1 for the newest page. */
    pageNumber: pageStarts.length,
    newer: pageStarts.length > 1 ? () => setPageStarts(pageStarts.slice(0, -1)) : null,
    older: next ? () => setPageStarts([...pageStarts, next]) : null,
    firstPage: () => setPageStarts([null]),
    selected,
    toggleSelected: (id: number) => {
      const nextSelected = new Set(selected);
      if (!nextSelected.delete(id)) nextSelected.add(id);
      setSelected(nextSelected);
    },
    /** Selects (or clears) every event of the page shown. */
    selectPage: (on: boolean) => setSelected(new Set(on ? events.map((e) => e.id) : [])),
    message,
    setMessage,
    /** The stored events changed: reload what is shown, clear the selection, say `text` if any. */
    changed: (text?: string) => {
      setSelected(new Set());
      setRevision((r) => r + 1);
      setMessage(text ?? null);
    },
  };
}

export type HistoryQuery = ReturnType<typeof useHistoryQuery>;
