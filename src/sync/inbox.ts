// The importer: writes events pulled from other entrances into the log, so "all entrances" works offline.
// Idempotent: the log's unique uid index skips an event it already has.
import type { LogDb } from '../log/db';
import type { StampedEvent } from '../log/types';
import { fromDoc } from './docs';
import { readMark, writeMark } from './localDoc';

const MARK = 'maskgate-inbox';
export const INBOX_BATCH = 500;

export interface InboxDb {
  get(id: string): Promise<object>;
  put(doc: { _id: string; _rev?: string }): Promise<unknown>;
  changes(options: {
    since: number | string;
    limit: number;
    include_docs: true;
    attachments: boolean;
    binary: boolean;
  }): Promise<{ results: { doc?: object }[]; last_seq: number | string }>;
}

/** Imports every document that arrived since the last call; returns how many events were new to the log. */
export async function drainInbox(
  log: LogDb,
  db: InboxDb,
  options: { thumbnails: boolean; batch?: number; notBefore?: number | null },
): Promise<number> {
  let mark = await readMark<{ since: number | string }>(db, MARK, { since: 0 });
  let added = 0;
  for (;;) {
    const changes = await db.changes({
      since: mark.since,
      limit: options.batch ?? INBOX_BATCH,
      include_docs: true,
      attachments: options.thumbnails,
      binary: true,
    });
    if (changes.results.length === 0) return added;
    const events: StampedEvent[] = [];
    for (const { doc } of changes.results) {
      const record = doc as Record<string, unknown> | undefined;
      // This device's own documents come back too; the log has them already (or deleted them on purpose).
      if (!record || record['device'] === log.deviceId) continue;
      const event = fromDoc(record, options.thumbnails);
      // Past the log's retention: the log would delete it at once (and may have, if it came back after the
      // local copy was pruned and checkpoints lost).
      if (event && !(options.notBefore != null && event.time < options.notBefore)) events.push(event);
    }
    added += await log.addPulled(events);
    mark = await writeMark(db, MARK, mark, { since: changes.last_seq });
  }
}
