import type { LogDb } from '../../log/db';
import { HistoryActions } from './HistoryActions';
import { HistoryChart } from './HistoryChart';
import { HistoryFilters } from './HistoryFilters';
import { HistoryPager } from './HistoryPager';
import { HistorySummary } from './HistorySummary';
import { HistoryTable } from './HistoryTable';
import { useHistoryQuery } from './useHistoryQuery';
import { EntranceBreakdown } from './EntranceBreakdown';
import { ScopeSwitch } from './ScopeSwitch';
import { useScope } from './useScope';

export interface HistoryScreenProps {
  /** The open log, or null when logging is unavailable. */
  db: LogDb | null;
  /** Shown when `db` is null (e.g. the LogUnavailableError message). */
  unavailableReason?: string;
  /** Opens the settings screen (retention, thumbnails, storage). */
  onOpenSettings?: () => void;
}

/**
 * The private event log: one filter bar, summary cards, a chart, and a cursor-paged table (50 per
 * page, so it stays fast however long the log) with deletion and export/import. Exports cover the
 * events matching the filters. The log's settings live on their own screen.
 */
export function HistoryScreen({ db, unavailableReason, onOpenSettings }: HistoryScreenProps) {
  if (!db) {
    return (
      <section class="screen history history-unavailable" data-testid="history-unavailable">
        <h2>History</h2>
        <p>{unavailableReason ?? 'The local log is not available in this browser, so nothing is recorded.'}</p>
      </section>
    );
  }
  return <HistoryView db={db} onOpenSettings={onOpenSettings} />;
}

function HistoryView({ db, onOpenSettings }: { db: LogDb; onOpenSettings?: () => void }) {
  const scope = useScope(db);
  const query = useHistoryQuery(db, { entrances: scope.selected, revision: scope.revision });
  return (
    <section class="screen history" data-testid="history" aria-labelledby="history-title">
      <div class="screen-head">
        <h2 id="history-title">History</h2>
        {onOpenSettings && (
          <button type="button" class="link-button" data-testid="history-open-settings" onClick={onOpenSettings}>
            Retention, thumbnails and storage
          </button>
        )}
      </div>
      <ScopeSwitch scope={scope} />
      <HistoryFilters query={query} />
      {query.counts && (
        <HistorySummary counts={query.counts} previous={query.previousCounts} previousText={query.previousText} />
      )}
      <HistoryChart buckets={query.buckets} unit={query.unit} />
      <EntranceBreakdown db={db} scope={scope} filter={query.filter} unit={query.unit} revision={scope.revision} />
      <section class="panel history-events" aria-labelledby="history-events-title">
        <div class="panel-head">
          <h3 id="history-events-title">Events</h3>
          <HistoryActions db={db} query={query} />
        </div>
        {query.message && (
          <p class="history-message" role="status" data-testid="history-message">
            {query.message}
          </p>
        )}
        <HistoryTable
          events={query.events}
          selected={query.selected}
          onToggle={query.toggleSelected}
          onSelectPage={query.selectPage}
        />
        <HistoryPager query={query} />
      </section>
    </section>
  );
}
