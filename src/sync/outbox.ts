// The pump: copies this device's new events from the log into the sync's PouchDB database, from where
// live replication sends them. The log stays the source of truth; the position reached is kept in the
// same PouchDB database, so both are lost or kept together.
import type { LogDb } from '../log/db';
import { toDoc, type EventDoc } from './docs';
import { readMark, writeMark } from './localDoc';

const MARK = 'maskgate-outbox';
/** Events per bulk write: 500 took ~0.2 s in Chromium's IndexedDB, small enough not to stall the page. */
export const OUTBOX_BATCH = 500;

export interface OutboxDb {
  get(id: string): Promise<object>;
  put(doc: { _id: string; _rev?: string }): Promise<unknown>;
  bulkDocs(docs: EventDoc[]): Promise<({ ok: true } | { error: true; status?: number; message?: string })[]>;
}

export interface OutboxOptions {
  entrance: string;
  /** Attach each event's thumbnail (the separate "sync face thumbnails" switch). */
  thumbnails: boolean;
  batch?: number;
}

/** Copies every own event not copied yet; returns how many documents were written. */
export async function pumpOutbox(log: LogDb, db: OutboxDb, options: OutboxOptions): Promise<number> {
  let mark = await readMark(db, MARK, { lastId: 0 });
  let written = 0;
  for (;;) {
    const { rows, lastId } = await log.ownEventsAfter(mark.lastId, options.batch ?? OUTBOX_BATCH);
    if (lastId === mark.lastId) return written;
    if (rows.length) {
      const results = await db.bulkDocs(rows.map((e) => toDoc(e, log.deviceId, options.entrance, options.thumbnails)));
      // 409: the document is there already (a pump stopped between writing it and moving the mark). Events are
      // immutable, so that copy is the same event.
      const failed = results.flatMap((r) => ('error' in r && r.status !== 409 ? [r] : []));
      if (failed.length) throw new Error(`Could not queue ${failed.length} event(s) for sync: ${failed[0]?.message}`);
      written += results.length - results.filter((r) => 'error' in r).length;
    }
    mark = await writeMark(db, MARK, mark, { lastId });
  }
}
