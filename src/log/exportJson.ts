import type { LogDb } from './db';
import type { EventFilter, LogEvent, StampedEvent } from './types';

export const EXPORT_FORMAT = 'maskgate-log';
/** 2: each event carries its `uid` and `entrance` (1 had neither; importJson.ts still reads 1). */
export const EXPORT_VERSION = 2;

/**
 * An event in an export file: no id (the importing log assigns its own) and no thumbnail. `uid` is the event's
 * stable id (its _id on the sync server; its first part is the id of the device that made it), `entrance` ''
 * for an event made on the exporting device, else the entrance it was pulled from.
 */
export type ExportedEvent = Omit<StampedEvent, 'thumbnail'>;

export interface ExportFile {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  /** ISO 8601. */
  exportedAt: string;
  events: ExportedEvent[];
}

export function toExportedEvent(event: LogEvent): ExportedEvent {
  return {
    uid: event.uid,
    entrance: event.entrance,
    time: event.time,
    firstSeen: event.firstSeen,
    lastSeen: event.lastSeen,
    durationMs: event.durationMs,
    label: event.label,
    confidence: event.confidence,
    camera: event.camera,
    modelId: event.modelId,
    modelVersion: event.modelVersion,
  };
}

/**
 * JSON export, newest first. Thumbnails are left out on purpose: they are
 * photos of people and an export file is easily shared.
 */
export async function exportJson(log: LogDb, filter: EventFilter, now = new Date()): Promise<Blob> {
  const events: ExportedEvent[] = [];
  for await (const event of log.iterate(filter)) events.push(toExportedEvent(event));
  const file: ExportFile = { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: now.toISOString(), events };
  return new Blob([JSON.stringify(file)], { type: 'application/json' });
}
