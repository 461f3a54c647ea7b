// The app's sync as screens see it: settings, status and a counter of imports, re-rendered on change.
import { useEffect, useState } from 'preact/hooks';
import { syncController, type SyncSnapshot } from '../../sync/controller';

export function useSync(): SyncSnapshot {
  const [snapshot, setSnapshot] = useState<SyncSnapshot>(syncController.current);
  useEffect(() => syncController.subscribe(setSnapshot), []);
  return snapshot;
}
