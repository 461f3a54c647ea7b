import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { MaskClass } from '../classify/classes';
import type { LogEvent, Settings } from './types';

export const DB_NAME = 'maskgate-log';
export const DB_VERSION = 2;

/**
 * Stored form of an event. `thumbTime` (= time) is present only while the record
 * has a thumbnail, so the sparse `thumbTime` index lists exactly the events with
 * thumbnails, oldest first, for quota recovery.
 */
export type StoredEvent = LogEvent & { thumbTime?: number };

export interface LogSchema extends DBSchema {
  events: {
    key: number;
    value: StoredEvent;
    indexes: {
      time: number;
      labelTime: [MaskClass, number];
      thumbTime: number;
    };
  };
  settings: {
    key: keyof Settings;
    value: Settings[keyof Settings];
  };
}

export type LogDatabase = IDBPDatabase<LogSchema>;
type UpgradeTransaction = IDBPTransaction<LogSchema, StoreNames<LogSchema>[], 'versionchange'>;

/** v1 record: only what the first release stored. */
interface V1Event {
  id: number;
  time: number;
  label: MaskClass;
  confidence: number;
}

/** v1: a single events store with minimal records and no indexes. */
export function upgradeToV1(db: LogDatabase): void {
  db.createObjectStore('events', { keyPath: 'id', autoIncrement: true });
}

/** v2: full records, time / class+time / thumbnail indexes, settings store. */
export async function upgradeToV2(db: LogDatabase, tx: UpgradeTransaction): Promise<void> {
  db.createObjectStore('settings');
  const store = tx.objectStore('events');
  store.createIndex('time', 'time');
  store.createIndex('labelTime', ['label', 'time']);
  store.createIndex('thumbTime', 'thumbTime');
  for (let cursor = await store.openCursor(); cursor; cursor = await cursor.continue()) {
    const old = cursor.value as unknown as V1Event;
    const migrated: StoredEvent = {
      id: old.id,
      time: old.time,
      firstSeen: old.time,
      lastSeen: old.time,
      durationMs: 0,
      label: old.label,
      confidence: old.confidence,
      camera: '',
      modelId: 'unknown',
      modelVersion: '',
    };
    await cursor.update(migrated);
  }
}

/** Runs every migration between the stored version and DB_VERSION, in order. */
export async function upgrade(db: LogDatabase, oldVersion: number, tx: UpgradeTransaction): Promise<void> {
  if (oldVersion < 1) upgradeToV1(db);
  if (oldVersion < 2) await upgradeToV2(db, tx);
}
