import { openDB } from 'idb';
import {
  countByEntrance,
  entranceHistogram,
  listEntrances,
  toLogEvent,
  countEvents,
  histogram,
  iterateEvents,
  pageEvents,
  timeBounds,
  type BucketUnit,
  type PageCursor,
} from './query';
import { DB_NAME, DB_VERSION, DEVICE_ID_KEY, newUid, upgrade, type LogDatabase, type LogSchema } from './schema';
import { getSettings, setSettings } from './settings';
import { allOrNothing } from './tx';
import type { EventFilter, NewLogEvent, Settings, StampedEvent } from './types';
import { addEvent, purgeOldestThumbnails, toStored } from './write';
import { errorText } from '../errorText';

const DAY_MS = 86_400_000;

/** IndexedDB is missing, blocked (private mode, policy) or failed to open. */
export class LogUnavailableError extends Error {
  override readonly name = 'LogUnavailableError';
}

export interface OpenLogOptions {
  /** Database name; tests use their own. */
  name?: string;
  /** Called when the database is closed under us: another tab upgrades it, or the browser drops it. */
  onClosed?: () => void;
}

/** Opens (creating or migrating) the local event log. Rejects with LogUnavailableError. */
export async function openLog(options: OpenLogOptions = {}): Promise<LogDb> {
  if (typeof indexedDB === 'undefined') throw new LogUnavailableError('This browser has no IndexedDB.');
  try {
    const db = await openDB<LogSchema>(options.name ?? DB_NAME, DB_VERSION, {
      upgrade(database, oldVersion, _newVersion, tx) {
        // A JS error mid-migration must not commit a half-migrated database.
        upgrade(database, oldVersion, tx).catch(() => abortQuietly(tx));
      },
      // Another tab wants to upgrade: let it, rather than block it forever.
      blocking(_current, _blocked, event) {
        (event.target as IDBDatabase).close();
        options.onClosed?.();
      },
      terminated: options.onClosed,
    });
    const deviceId = await db.get('settings', DEVICE_ID_KEY);
    if (typeof deviceId !== 'string') throw new Error('the log has no device id');
    return new LogDb(db, deviceId);
  } catch (cause) {
    const reason = errorText(cause);
    throw new LogUnavailableError(`The local log could not be opened: ${reason}`, { cause });
  }
}

function abortQuietly(tx: { abort(): void }): void {
  try {
    tx.abort();
  } catch {
    // Already finished or aborted by the failing request.
  }
}

/** The event log: one object per open database. */
export class LogDb {
  /** `deviceId`: this install's random id (schema.ts), the first part of the uid of every event made here. */
  constructor(
    readonly db: LogDatabase,
    readonly deviceId: string,
  ) {}

  /** Gives an event made on this device its uid and marks it as this device's (entrance ''). */
  private stamp(event: NewLogEvent): StampedEvent {
    return { ...event, uid: event.uid ?? newUid(this.deviceId, event.firstSeen), entrance: event.entrance ?? '' };
  }

  /** Writes one final event in its own transaction (see addEvent for quota handling). */
  add(event: NewLogEvent) {
    return addEvent(this.db, this.stamp(event));
  }

  /**
   * Stores events that keep their uid (pulled from other entrances, or in a version 2 export file) in one
   * transaction, all or nothing, skipping those whose uid is already in the log (the unique index makes a
   * repeated pull or import harmless); returns how many were new.
   */
  async addPulled(events: readonly StampedEvent[]): Promise<number> {
    const tx = this.db.transaction('events', 'readwrite');
    const uids = tx.store.index('uid');
    const added = await allOrNothing(tx, events, async (event) => {
      if ((await uids.getKey(event.uid)) !== undefined) return 0;
      await tx.store.add(toStored(event) as StampedEvent & { id: number });
      return 1;
    });
    return added.reduce<number>((a, b) => a + b, 0);
  }

  /** Events made on this device with an id above `afterId`, oldest first, at most `limit` (the sync outbox). */
  async ownEventsAfter(afterId: number, limit: number) {
    const rows = await this.db.getAll('events', IDBKeyRange.lowerBound(afterId, true), limit);
    return { rows: rows.filter((e) => e.entrance === '').map(toLogEvent), lastId: rows.at(-1)?.id ?? afterId };
  }

  /** The entrances in the log ('' = this device), sorted; one index step per entrance. */
  entrances() {
    return listEntrances(this.db);
  }

  page(filter: EventFilter, limit: number, after: PageCursor | null = null) {
    return pageEvents(this.db, filter, limit, after);
  }

  /** Every matching event, newest first, without holding them all in memory. */
  iterate(filter: EventFilter) {
    return iterateEvents(this.db, filter);
  }

  count(filter: EventFilter) {
    return countEvents(this.db, filter);
  }

  timeBounds(filter: EventFilter) {
    return timeBounds(this.db, filter);
  }

  histogram(filter: EventFilter & { from: number; to: number }, unit: BucketUnit) {
    return histogram(this.db, filter, unit);
  }

  /** Counts per class of each entrance ('' = this device). */
  countByEntrance(filter: EventFilter, entrances: readonly string[]) {
    return countByEntrance(this.db, filter, entrances);
  }

  /** The chart's buckets split by entrance. */
  entranceHistogram(
    filter: EventFilter & { from: number; to: number },
    unit: BucketUnit,
    entrances: readonly string[],
  ) {
    return entranceHistogram(this.db, filter, unit, entrances);
  }

  async deleteByIds(ids: readonly number[]): Promise<void> {
    const tx = this.db.transaction('events', 'readwrite');
    await allOrNothing(tx, ids, (id) => tx.store.delete(id));
  }

  async deleteAll(): Promise<void> {
    await this.db.clear('events');
  }

  /** Deletes events older than `days` days before `now`; returns how many. */
  async deleteOlderThan(days: number, now = Date.now()): Promise<number> {
    const tx = this.db.transaction('events', 'readwrite');
    const ids = await tx.store.index('time').getAllKeys(IDBKeyRange.upperBound(now - days * DAY_MS, true));
    await allOrNothing(tx, ids, (id) => tx.store.delete(id));
    return ids.length;
  }

  /** Applies the retention setting; returns how many events were deleted. */
  async applyRetention(now = Date.now()): Promise<number> {
    const { retentionDays } = await this.getSettings();
    return retentionDays > 0 ? this.deleteOlderThan(retentionDays, now) : 0;
  }

  /** Removes every stored thumbnail (e.g. after the user turns thumbnails off). */
  clearThumbnails(): Promise<number> {
    return purgeOldestThumbnails(this.db, Infinity);
  }

  /** Adds all events in one transaction: either all are stored or none. */
  async importEvents(events: readonly NewLogEvent[]): Promise<number> {
    const tx = this.db.transaction('events', 'readwrite');
    // The store assigns ids (autoIncrement); idb's typing wants full records.
    await allOrNothing(tx, events, (event) => tx.store.add({ ...this.stamp(event) } as StampedEvent & { id: number }));
    return events.length;
  }

  getSettings(): Promise<Settings> {
    return getSettings(this.db);
  }

  setSettings(changes: Partial<Settings>): Promise<Settings> {
    return setSettings(this.db, changes);
  }

  close(): void {
    this.db.close();
  }
}
