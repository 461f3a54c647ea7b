import { CLASS_NAMES, CLASS_SHORT } from '../../classify/classes';
import { FilterBar, FilterGroup } from './FilterBar';
import { PERIOD_PRESETS, type PeriodPreset } from './period';
import type { HistoryQuery } from './useHistoryQuery';

/** Which classes and which time span the list, counts, chart and exports cover. */
export function HistoryFilters({ query }: { query: HistoryQuery }) {
  const times = [
    ['From', query.fromText, query.setFromText, 'history-from'],
    ['To', query.toText, query.setToText, 'history-to'],
  ] as const;
  return (
    <FilterBar>
      <FilterGroup label="Class">
        {CLASS_NAMES.map((label) => (
          <label key={label} class={`class-toggle class-toggle-${label}`}>
            <input
              type="checkbox"
              checked={query.labels.includes(label)}
              data-testid={`history-filter-${label}`}
              onChange={(e) => query.toggleLabel(label, e.currentTarget.checked)}
            />
            <span>{CLASS_SHORT[label]}</span>
          </label>
        ))}
      </FilterGroup>
      <FilterGroup label="Period">
        <div class="segmented">
          {PERIOD_PRESETS.map(({ id, text }) => (
            <label key={id} class="segment">
              <input
                type="radio"
                name="history-period"
                class="segment-input"
                value={id}
                checked={query.preset === id}
                data-testid={`history-period-${id}`}
                onChange={() => query.setPreset(id satisfies PeriodPreset)}
              />
              <span>{text}</span>
            </label>
          ))}
        </div>
      </FilterGroup>
      {query.preset === 'custom' && (
        <FilterGroup label="Custom range">
          {times.map(([text, value, set, testId]) => (
            <label key={testId} class="range-field">
              <span>{text}</span>
              <input
                type="datetime-local"
                value={value}
                data-testid={testId}
                aria-invalid={query.rangeError ? true : undefined}
                onChange={(e) => set(e.currentTarget.value)}
              />
            </label>
          ))}
          {query.rangeError && (
            <p class="filter-error" role="alert">
              {query.rangeError}
            </p>
          )}
        </FilterGroup>
      )}
      {/* More filters (the entrance) go here as further <FilterGroup> children. */}
    </FilterBar>
  );
}
