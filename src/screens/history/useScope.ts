// The history's scope once events from other entrances are in the log: this device, all entrances, or one
// entrance. Gives the entrance part of the history's filter and reloads when sync imports events.
import { useEffect, useState } from 'preact/hooks';
import { useSync } from '../common/useSync';
import type { LogDb } from '../../log/db';

export type Scope = 'device' | 'all';

export function useScope(db: LogDb) {
  const { config, imports } = useSync();
  const [scope, setScope] = useState<Scope>('device');
  /** One entrance within "all entrances", or null for every one. */
  const [entrance, setEntrance] = useState<string | null>(null);
  const [entrances, setEntrances] = useState<readonly string[]>([]);

  useEffect(() => {
    void db.entrances().then(setEntrances);
  }, [db, imports]);

  // With sync never used and nothing pulled, the history is exactly what it was: no scope, no entrance filter.
  const shown = config.enabled || entrances.some((e) => e !== '');
  const selected: readonly string[] | undefined = !shown
    ? undefined
    : scope === 'device'
      ? ['']
      : entrance !== null
        ? [entrance]
        : undefined;
  return {
    shown,
    scope,
    setScope: (next: Scope) => {
      setScope(next);
      setEntrance(null);
    },
    entrance,
    setEntrance,
    /** Every entrance in the log ('' = this device), sorted. */
    entrances: entrances.includes('') ? entrances : ['', ...entrances],
    /** The entrance filter to apply. */
    selected,
    /** Bumped when sync added events, to reload what is shown. */
    revision: imports,
    /** How an entrance is shown. */
    nameOf: (e: string) => (e === '' ? `This device${config.entrance ? ` (${config.entrance})` : ''}` : e),
  };
}

export type ScopeState = ReturnType<typeof useScope>;
