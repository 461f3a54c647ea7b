import type { LogDatabase, StoredEvent } from './schema';
import { toLogEvent } from './query';
import type { StampedEvent } from './types';

export interface AddResult {
  id: number;
  /** Thumbnails of older events deleted to make room (0 normally). */
  thumbnailsPurged: number;
  /** True when the event was stored without its own thumbnail for lack of space. */
  thumbnailDropped: boolean;
}

const PURGE_BATCH = 50;

export function isQuotaError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'name' in error && error.name === 'QuotaExceededError';
}

/** The record stored for an event: `thumbTime` set while it has a thumbnail (see schema.ts). */
export function toStored(event: StampedEvent): Omit<StoredEvent, 'id'> {
  return event.thumbnail ? { ...event, thumbTime: event.time } : event;
}

async function put(db: LogDatabase, event: StampedEvent): Promise<number> {
  const tx = db.transaction('events', 'readwrite');
  try {
    // The store assigns the id (autoIncrement); idb's typing wants a full record.
    const [id] = await Promise.all([tx.store.add(toStored(event) as StoredEvent), tx.done]);
    return id;
  } catch (error) {
    // When the commit fails for lack of space, the request reports AbortError;
    // the QuotaExceededError is on the transaction.
    throw tx.error ?? error;
  }
}

/**
 * Writes one event in its own transaction. When storage is full, thumbnails of
 * the oldest events are deleted in batches and the write retried; as a last
 * resort the event is stored without its own thumbnail. Thumbnails never cost
 * an event. Rejects only when the event itself cannot be stored.
 */
export async function addEvent(db: LogDatabase, event: StampedEvent): Promise<AddResult> {
  let thumbnailsPurged = 0;
  for (;;) {
    try {
      return { id: await put(db, event), thumbnailsPurged, thumbnailDropped: false };
    } catch (error) {
      if (!isQuotaError(error)) throw error;
      const purged = await purgeOldestThumbnails(db, PURGE_BATCH);
      if (purged === 0) {
        if (!event.thumbnail) throw error;
        break;
      }
      thumbnailsPurged += purged;
    }
  }
  const { thumbnail: _, ...withoutThumbnail } = event;
  return { id: await put(db, withoutThumbnail), thumbnailsPurged, thumbnailDropped: true };
}

/** Removes the thumbnails of up to `max` oldest events that have one; returns how many. */
export async function purgeOldestThumbnails(db: LogDatabase, max: number): Promise<number> {
  const tx = db.transaction('events', 'readwrite');
  let purged = 0;
  let cursor = await tx.store.index('thumbTime').openCursor();
  while (cursor && purged < max) {
    const { thumbnail: _, ...rest } = toLogEvent(cursor.value);
    await cursor.update(rest);
    purged++;
    cursor = await cursor.continue();
  }
  await tx.done;
  return purged;
}
