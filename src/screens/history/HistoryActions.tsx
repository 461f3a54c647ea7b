import type { LogDb } from '../../log/db';
import { errorText } from '../../errorText';
import { exportCsv } from '../../log/exportCsv';
import { exportJson } from '../../log/exportJson';
import { importJson } from '../../log/importJson';
import { downloadBlob } from '../common/download';
import { toDateTimeLocal } from './format';
import type { HistoryQuery } from './useHistoryQuery';

/** Delete selected or all, export what the filters cover (CSV, JSON), import a JSON export. */
export function HistoryActions({ db, query }: { db: LogDb; query: HistoryQuery }) {
  const { selected, filter } = query;

  const run = (action: () => Promise<string | undefined>) => {
    action().then(query.changed, (error: unknown) => query.setMessage(errorText(error)));
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
      query.firstPage();
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
      if (!result.ok) return `Import failed, nothing was imported: ${result.message}`;
      const already = result.alreadyInLog > 0 ? ` ${result.alreadyInLog} were already in the log.` : '';
      return `Imported ${result.imported} events.${already}`;
    });
  };

  return (
    <div class="history-actions" role="toolbar" aria-label="Event actions">
      <button
        type="button"
        data-testid="history-delete-selected"
        disabled={selected.size === 0}
        onClick={deleteSelected}
      >
        {selected.size === 0 ? 'Delete selected' : `Delete ${selected.size} selected`}
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
      {/* A label styled as a button: the file input stays focusable and keeps its own chooser. */}
      <label class="button-like history-import">
        <input
          type="file"
          class="visually-hidden"
          accept="application/json,.json"
          data-testid="history-import"
          onChange={(e) => importFile(e.currentTarget)}
        />
        Import JSON
      </label>
    </div>
  );
}
