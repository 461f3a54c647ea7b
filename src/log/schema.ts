import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { MaskClass } from '../classify/classes';
import type { LogEvent, Settings } from './types';

export const DB_NAME = 'maskgate-log';
export const DB_VERSION = 3;

/** Settings-store key of this install's random id, the first part of every event uid it makes. */
export const DEVICE_ID_KEY = 'deviceId';

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
      /** Unique: an event pulled twice from the sync server is stored once. */
      uid: string;
      /** Scope and entrance queries ('' = this device), same shape as labelTime so they page the same way. */
      entranceLabelTime: [string, MaskClass, number];
    };
  };
  settings: {
    /** The Settings keys, the device id (v3) and the sync settings (src/sync/settings.ts). */
    key: keyof Settings | typeof DEVICE_ID_KEY | 'sync';
    value: unknown;
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
    const migrated: Omit<StoredEvent, 'uid' | 'entrance'> = {
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
    await cursor.update(migrated as StoredEvent);
  }
}

/** A random id for this install: 12 base-36 characters (62 bits), enough that two devices never share one. */
export function newDeviceId(): string {
  return randomBase36(12);
}

/** `${deviceId}:${firstSeen}:${random}`: stable, unique across devices, and the event's _id on the sync server. */
export function newUid(deviceId: string, firstSeen: number): string {
  return `${deviceId}:${firstSeen}:${randomBase36(6)}`;
}

/** A uid as newUid makes it: a 12-character device id, a decimal time, 6 random characters, base 36. */
const UID = /^[0-9a-z]{12}:\d+(?:\.\d+)?:[0-9a-z]{6}$/;

/** True for a uid in the form newUid makes (imports and pulled documents are checked with it). */
export function isUid(value: unknown): value is string {
  return typeof value === 'string' && UID.test(value);
}

/** The device id part of a uid: the install that made the event. */
export function deviceOfUid(uid: string): string {
  return uid.slice(0, uid.indexOf(':'));
}

function randomBase36(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => (b % 36).toString(36)).join('');
}

/**
 * v3: every event gets a stable `uid` (unique index) and an `entrance` ('' = made on this device; events pulled
 * from other entrances carry theirs), for sync (src/sync/) and the history's scope. The device id is made here
 * too, so every open log has one.
 */
export async function upgradeToV3(tx: UpgradeTransaction): Promise<void> {
  const store = tx.objectStore('events');
  store.createIndex('uid', 'uid', { unique: true });
  store.createIndex('entranceLabelTime', ['entrance', 'label', 'time']);
  const settings = tx.objectStore('settings');
  const stored = await settings.get(DEVICE_ID_KEY);
  const deviceId = typeof stored === 'string' ? stored : newDeviceId();
  if (stored !== deviceId) await settings.put(deviceId, DEVICE_ID_KEY);
  for (let cursor = await store.openCursor(); cursor; cursor = await cursor.continue()) {
    const old = cursor.value;
    if (typeof old.uid === 'string') continue;
    await cursor.update({ ...old, uid: newUid(deviceId, old.firstSeen), entrance: '' });
  }
}

/** Runs every migration between the stored version and DB_VERSION, in order. */
export async function upgrade(db: LogDatabase, oldVersion: number, tx: UpgradeTransaction): Promise<void> {
  if (oldVersion < 1) upgradeToV1(db);
  if (oldVersion < 2) await upgradeToV2(db, tx);
  if (oldVersion < 3) await upgradeToV3(tx);
}
