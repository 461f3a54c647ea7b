// Sync settings live in the log's settings store, on this device only: they are never exported, and the
// password is never written anywhere else (not to the console, not to the sync server's documents).
import type { LogDb } from '../log/db';
import { parseConfig, type SyncConfig } from './config';

const KEY = 'sync';

export async function loadSyncConfig(log: LogDb): Promise<SyncConfig> {
  return parseConfig(await log.db.get('settings', KEY));
}

export async function saveSyncConfig(log: LogDb, config: SyncConfig): Promise<void> {
  await log.db.put('settings', { ...config }, KEY);
}
