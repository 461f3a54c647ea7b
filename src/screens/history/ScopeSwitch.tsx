import type { ScopeState } from './useScope';

/** This device / all entrances, and within all entrances one of them. */
export function ScopeSwitch({ scope }: { scope: ScopeState }) {
  if (!scope.shown) return null;
  return (
    <fieldset class="history-scope" data-testid="history-scope">
      <legend>Entrances</legend>
      {(
        [
          ['device', 'This device'],
          ['all', 'All entrances'],
        ] as const
      ).map(([value, text]) => (
        <label key={value}>
          <input
            type="radio"
            name="history-scope"
            checked={scope.scope === value}
            data-testid={`history-scope-${value}`}
            onChange={() => scope.setScope(value)}
          />
          {text}
        </label>
      ))}
      {scope.scope === 'all' && (
        <label>
          Entrance{' '}
          <select
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
        </label>
      )}
    </fieldset>
  );
}
