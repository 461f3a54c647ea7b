import { CLASS_NAMES, CLASS_SHORT } from '../../classify/classes';
import type { HistoryQuery } from './useHistoryQuery';

/** Which classes and which time span the list, counts, chart and exports cover. */
export function HistoryFilters({ query }: { query: HistoryQuery }) {
  const times = [
    ['From', query.fromText, query.setFromText, 'history-from'],
    ['To', query.toText, query.setToText, 'history-to'],
  ] as const;
  return (
    <fieldset class="history-filters">
      <legend>Filters</legend>
      {CLASS_NAMES.map((label) => (
        <label key={label} class={`history-filter-${label}`}>
          <input
            type="checkbox"
            checked={query.labels.includes(label)}
            data-testid={`history-filter-${label}`}
            onChange={(e) => query.toggleLabel(label, e.currentTarget.checked)}
          />
          {CLASS_SHORT[label]}
        </label>
      ))}
      {times.map(([text, value, set, testId]) => (
        <label key={testId}>
          {text}
          <input
            type="datetime-local"
            value={value}
            data-testid={testId}
            onChange={(e) => set(e.currentTarget.value)}
          />
        </label>
      ))}
    </fieldset>
  );
}
