import type { LogDb } from './db';
import type { EventFilter, LogEvent } from './types';

export const CSV_COLUMNS = [
  'id',
  'time_iso',
  'time_ms',
  'first_seen_ms',
  'last_seen_ms',
  'duration_ms',
  'label',
  'confidence',
  'camera',
  'model_id',
  'model_version',
  // Export version 2: appended, so the columns above keep their places.
  'uid',
  'entrance',
] as const;

/** Leading characters that make spreadsheets treat a cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: formula-looking text prefixed with `'`, then RFC 4180 quoting. */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(event: LogEvent): string {
  return [
    event.id,
    new Date(event.time).toISOString(),
    event.time,
    event.firstSeen,
    event.lastSeen,
    event.durationMs,
    event.label,
    event.confidence,
    event.camera,
    event.modelId,
    event.modelVersion,
    event.uid,
    event.entrance,
  ]
    .map(csvCell)
    .join(',');
}

/** CSV (header + one row per event, newest first, CRLF line ends); thumbnails are never exported. */
export async function exportCsv(log: LogDb, filter: EventFilter): Promise<Blob> {
  const lines = [CSV_COLUMNS.join(',')];
  for await (const event of log.iterate(filter)) lines.push(csvRow(event));
  return new Blob([lines.join('\r\n'), '\r\n'], { type: 'text/csv;charset=utf-8' });
}
