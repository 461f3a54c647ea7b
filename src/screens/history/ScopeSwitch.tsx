import { FilterBar, FilterGroup } from './FilterBar';
import type { ScopeState } from './useScope';

/** This device / all entrances, and within all entrances one of them; styled as the filter bar below it. */
export function ScopeSwitch({ scope }: { scope: ScopeState }) {
  if (!scope.shown) return null;
  return (
    <div class="history-scope" data-testid="history-scope">
      <FilterBar label="Entrances">
        <FilterGroup label="Show">
          <div class="segmented">
            {(
              [
                ['device', 'This device'],
                ['all', 'All entrances'],
              ] as const
            ).map(([value, text]) => (
              <label key={value} class="segment">
                <input
                  class="segment-input"
                  type="radio"
                  name="history-scope"
                  checked={scope.scope === value}
                  data-testid={`history-scope-${value}`}
                  onChange={() => scope.setScope(value)}
                />
                {text}
              </label>
            ))}
          </div>
        </FilterGroup>
        {scope.scope === 'all' && (
          <FilterGroup label="Entrance">
            <select
              class="entrance-select"
              aria-label="Entrance"
              data-testid="history-entrance"
              value={scope.entrance ?? '*'}
              onChange={(e) => scope.setEntrance(e.currentTarget.value === '*' ? null : e.currentTarget.value)}
            >
              <option value="*">All</option>
              {scope.entrances.map((e) => (
                <option key={e} value={e}>
                  {scope.nameOf(e)}
                </option>
              ))}
            </select>
          </FilterGroup>
        )}
      </FilterBar>
    </div>
  );
}
