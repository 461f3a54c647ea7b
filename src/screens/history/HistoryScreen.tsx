import { useEffect, useState } from 'preact/hooks';
import type { LogDb } from '../../log/db';
import type { Settings } from '../../log/types';
import { HistoryActions } from './HistoryActions';
import { HistoryChart } from './HistoryChart';
import { HistoryFilters } from './HistoryFilters';
import { HistoryList } from './HistoryList';
import { HistoryPager } from './HistoryPager';
import { HistorySettings } from './HistorySettings';
import { HistorySummary } from './HistorySummary';
import { useHistoryQuery } from './useHistoryQuery';

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
  const query = useHistoryQuery(db);
  const [settings, setSettings] = useState<Settings | null>(null);

  useEffect(() => {
    void db.getSettings().then(setSettings);
  }, [db]);

  return (
    <section class="history" data-testid="history">
      <h2>History</h2>
      <HistoryFilters query={query} />
      {query.counts && <HistorySummary counts={query.counts} />}
      <label class="history-unit">
        Chart per
        <select
          value={query.unit}
          data-testid="history-unit"
          onChange={(e) => query.setUnit(e.currentTarget.value === 'hour' ? 'hour' : 'day')}
        >
          <option value="hour">hour</option>
          <option value="day">day</option>
        </select>
      </label>
      <HistoryChart buckets={query.buckets} unit={query.unit} />
      {query.message && (
        <p class="history-message" role="status" data-testid="history-message">
          {query.message}
        </p>
      )}
      <HistoryActions db={db} query={query} />
      <HistoryList events={query.events} selected={query.selected} onToggle={query.toggleSelected} />
      <HistoryPager query={query} />
      {settings && (
        <HistorySettings
          db={db}
          settings={settings}
          onChanged={(newSettings, text) => {
            setSettings(newSettings);
            query.changed(text);
          }}
        />
      )}
    </section>
  );
}
