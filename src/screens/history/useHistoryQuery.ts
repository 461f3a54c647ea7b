// What the history shows: the filters, one page of events (cursor-paged, so it stays fast however long
// the log), the counts and the chart's buckets, all re-read after every change to the stored events.
import { useEffect, useState } from 'preact/hooks';
import { CLASS_NAMES, type MaskClass } from '../../classify/classes';
import { errorText } from '../../errorText';
import type { LogDb } from '../../log/db';
import type { BucketUnit, Counts, HistogramBucket, PageCursor } from '../../log/query';
import type { EventFilter, LogEvent } from '../../log/types';
import { fromDateTimeLocal } from './format';

export const PAGE_SIZE = 50;

export function useHistoryQuery(db: LogDb) {
  const [labels, setLabels] = useState<readonly MaskClass[]>(CLASS_NAMES);
  const [fromText, setFromText] = useState('');
  const [toText, setToText] = useState('');
  const [unit, setUnit] = useState<BucketUnit>('day');
  /** Start cursor of every page up to the current one; null = newest. */
  const [pageStarts, setPageStarts] = useState<readonly (PageCursor | null)[]>([null]);
  const [events, setEvents] = useState<readonly LogEvent[]>([]);
  const [next, setNext] = useState<PageCursor | null>(null);
  const [counts, setCounts] = useState<Counts | null>(null);
  const [buckets, setBuckets] = useState<readonly HistogramBucket[]>([]);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [message, setMessage] = useState<string | null>(null);
  /** Bumped after every change to the stored events, to reload what is shown. */
  const [revision, setRevision] = useState(0);

  const from = fromDateTimeLocal(fromText);
  const to = fromDateTimeLocal(toText, true);
  const filter: EventFilter = { labels, from, to };
  const filterKey = `${labels.join()}|${from}|${to}`;
  const pageStart = pageStarts.at(-1) ?? null;

  useEffect(() => {
    let live = true;
    db.page(filter, PAGE_SIZE, pageStart).then(
      (page) => {
        if (!live) return;
        setEvents(page.events);
        setNext(page.next);
      },
      (error: unknown) => live && setMessage(`Could not read the log: ${errorText(error)}`),
    );
    return () => {
      live = false;
    };
  }, [db, filterKey, pageStart, revision]);

  useEffect(() => {
    let live = true;
    const load = async () => {
      const [newCounts, bounds] = await Promise.all([db.count(filter), db.timeBounds(filter)]);
      const range = bounds && { from: from ?? bounds.from, to: to ?? bounds.to };
      const newBuckets = range ? await db.histogram({ ...filter, ...range }, unit) : [];
      if (!live) return;
      setCounts(newCounts);
      setBuckets(newBuckets);
    };
    load().catch((error: unknown) => live && setMessage(`Could not read the log: ${errorText(error)}`));
    return () => {
      live = false;
    };
  }, [db, filterKey, unit, revision]);

  /** Any filter change starts again from the newest page. */
  const resetPaging = () => {
    setPageStarts([null]);
    setSelected(new Set());
  };

  return {
    filter,
    labels,
    fromText,
    toText,
    toggleLabel: (label: MaskClass, on: boolean) => {
      setLabels(CLASS_NAMES.filter((l) => (l === label ? on : labels.includes(l))));
      resetPaging();
    },
    setFromText: (text: string) => {
      setFromText(text);
      resetPaging();
    },
    setToText: (text: string) => {
      setToText(text);
      resetPaging();
    },
    unit,
    setUnit,
    counts,
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
