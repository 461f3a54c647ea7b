import { useEffect, useState } from 'preact/hooks';
import { CLASS_NAMES, CLASS_SHORT, type MaskClass } from '../../classify/classes';
import type { LogDb } from '../../log/db';
import { exportCsv } from '../../log/exportCsv';
import { exportJson } from '../../log/exportJson';
import { importJson } from '../../log/importJson';
import { complianceRate, type BucketUnit, type Counts, type HistogramBucket, type PageCursor } from '../../log/query';
import type { EventFilter, LogEvent, Settings } from '../../log/types';
import { HistoryChart } from './HistoryChart';
import { HistoryList } from './HistoryList';
import { HistorySettings } from './HistorySettings';
import { downloadBlob, formatPercent, fromDateTimeLocal, toDateTimeLocal } from './format';
import { errorText } from '../../errorText';

export const PAGE_SIZE = 50;

export interface HistoryScreenProps {
  /** The open log, or null when logging is unavailable. */
  db: LogDb | null;
  /** Shown when `db` is null (e.g. the LogUnavailableError message). */
  unavailableReason?: string;
}


/**
 * The private event log: filters, counts, chart, a cursor-paged list (50 per
 * page, so it stays fast however long the log), deletion, export/import and
 * the log's settings. Exports cover the events matching the current filters.
 */
export function HistoryScreen({ db, unavailableReason }: HistoryScreenProps) {
  if (!db) {
    return (
      <section class="history history-unavailable" data-testid="history-unavailable">
        <h2>History</h2>
        <p>{unavailableReason ?? 'The local log is not available in this browser, so nothing is recorded.'}</p>
      </section>
    );
  }
  return <HistoryView db={db} />;
}

function HistoryView({ db }: { db: LogDb }) {
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
  const [settings, setSettings] = useState<Settings | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  /** Bumped after every change to the stored events, to reload what is shown. */
  const [revision, setRevision] = useState(0);

  const from = fromDateTimeLocal(fromText);
  const to = fromDateTimeLocal(toText, true);
  const filter: EventFilter = { labels, from, to };
  const filterKey = `${labels.join()}|${from}|${to}`;
  const pageStart = pageStarts.at(-1) ?? null;

  useEffect(() => {
    void db.getSettings().then(setSettings);
  }, [db]);

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

  const changed = (text?: string) => {
    setSelected(new Set());
    setRevision((r) => r + 1);
    setMessage(text ?? null);
  };

  const toggleLabel = (label: MaskClass, on: boolean) => {
    setLabels(CLASS_NAMES.filter((l) => (l === label ? on : labels.includes(l))));
    resetPaging();
  };

  const toggleSelected = (id: number) => {
    const nextSelected = new Set(selected);
    if (!nextSelected.delete(id)) nextSelected.add(id);
    setSelected(nextSelected);
  };

  const run = (action: () => Promise<string | undefined>) => {
    action().then(changed, (error: unknown) => setMessage(errorText(error)));
  };

  const deleteSelected = () =>
    run(async () => {
      await db.deleteByIds([...selected]);
      return `Deleted ${selected.size} events.`;
    });

  const deleteAll = () => {
    if (!confirm('Delete every event in the log? This cannot be undone.')) return;
    run(async () => {
      await db.deleteAll();
      setPageStarts([null]);
      return 'The log is empty.';
    });
  };

  const exportAs = (kind: 'csv' | 'json') =>
    run(async () => {
      const blob = kind === 'csv' ? await exportCsv(db, filter) : await exportJson(db, filter);
      downloadBlob(blob, `maskgate-log-${toDateTimeLocal(Date.now()).replace(/[T:]/g, '-')}.${kind}`);
      return undefined;
    });

  const importFile = (input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    run(async () => {
      const result = await importJson(db, file);
      return result.ok ? `Imported ${result.imported} events.` : `Import failed, nothing was imported: ${result.message}`;
    });
  };

  const total = counts ? counts.correct + counts.incorrect + counts.none : 0;

  return (
    <section class="history" data-testid="history">
      <h2>History</h2>

      <fieldset class="history-filters">
        <legend>Filters</legend>
        {CLASS_NAMES.map((label) => (
          <label key={label} class={`history-filter-${label}`}>
            <input
              type="checkbox"
              checked={labels.includes(label)}
              data-testid={`history-filter-${label}`}
              onChange={(e) => toggleLabel(label, e.currentTarget.checked)}
            />
            {CLASS_SHORT[label]}
          </label>
        ))}
        {(
          [
            ['From', fromText, setFromText, 'history-from'],
            ['To', toText, setToText, 'history-to'],
          ] as const
        ).map(([text, value, set, testId]) => (
          <label key={testId}>
            {text}
            <input
              type="datetime-local"
              value={value}
              data-testid={testId}
              onChange={(e) => {
                set(e.currentTarget.value);
                resetPaging();
              }}
            />
          </label>
        ))}
      </fieldset>

      {counts && (
        <dl class="history-counts" data-testid="history-counts">
          {CLASS_NAMES.map((label) => (
            <div key={label} class={`history-count history-count-${label}`} data-label={label}>
              <dt>{CLASS_SHORT[label]}</dt>
              <dd data-testid={`history-count-${label}`}>{counts[label]}</dd>
            </div>
          ))}
          <div class="history-count history-count-total">
            <dt>Total</dt>
            <dd data-testid="history-count-total">{total}</dd>
          </div>
          <div class="history-compliance">
            <dt>Compliance (correct / all)</dt>
            <dd data-testid="history-compliance">{formatPercent(complianceRate(counts))}</dd>
          </div>
        </dl>
      )}

      <label class="history-unit">
        Chart per
        <select
          value={unit}
          data-testid="history-unit"
          onChange={(e) => setUnit(e.currentTarget.value === 'hour' ? 'hour' : 'day')}
        >
          <option value="hour">hour</option>
          <option value="day">day</option>
        </select>
      </label>
      <HistoryChart buckets={buckets} unit={unit} />

      {message && (
        <p class="history-message" role="status" data-testid="history-message">
          {message}
        </p>
      )}

      <div class="history-actions">
        <button type="button" data-testid="history-delete-selected" disabled={selected.size === 0} onClick={deleteSelected}>
          Delete selected ({selected.size})
        </button>
        <button type="button" data-testid="history-delete-all" onClick={deleteAll}>
          Delete all
        </button>
        <button type="button" data-testid="history-export-csv" onClick={() => exportAs('csv')}>
          Export CSV
        </button>
        <button type="button" data-testid="history-export-json" onClick={() => exportAs('json')}>
          Export JSON
        </button>
        <label class="history-import">
          Import JSON
          <input
            type="file"
            accept="application/json,.json"
            data-testid="history-import"
            onChange={(e) => importFile(e.currentTarget)}
          />
        </label>
      </div>

      <HistoryList events={events} selected={selected} onToggle={toggleSelected} />

      <nav class="history-pager" aria-label="Pages">
        <button
          type="button"
          data-testid="history-prev"
          disabled={pageStarts.length <= 1}
          onClick={() => setPageStarts(pageStarts.slice(0, -1))}
        >
          Newer
        </button>
        <span class="history-page" data-testid="history-page">
          Page {pageStarts.length}
        </span>
        <button
          type="button"
          data-testid="history-next"
          disabled={next === null}
          onClick={() => next && setPageStarts([...pageStarts, next])}
        >
          Older
        </button>
      </nav>

      {settings && (
        <HistorySettings
          db={db}
          settings={settings}
          onChanged={(newSettings, text) => {
            setSettings(newSettings);
            changed(text);
          }}
        />
      )}
    </section>
  );
}
