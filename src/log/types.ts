import type { MaskClass } from '../classify/classes';

/** One logged person, as written and read. */
export interface LogEvent {
  id: number;
  /** Stable id across devices (`deviceId:firstSeen:random`, see schema.ts); the sync server's _id. */
  uid: string;
  /** '' for an event made on this device; the entrance name for one pulled from another entrance (src/sync/). */
  entrance: string;
  /** = lastSeen, ms since epoch; the time the list and filters use. */
  time: number;
  firstSeen: number;
  lastSeen: number;
  durationMs: number;
  label: MaskClass;
  /** Mean classifier probability of `label`, 0..1. */
  confidence: number;
  /** Camera label as the browser reports it. */
  camera: string;
  modelId: string;
  modelVersion: string;
  /** JPEG crop, only when the user turned thumbnails on. */
  thumbnail?: Blob;
}

/** An event before the database assigns its id; the log stamps `uid` and `entrance` ('') when they are missing. */
export type NewLogEvent = Omit<LogEvent, 'id' | 'uid' | 'entrance'> & Partial<Pick<LogEvent, 'uid' | 'entrance'>>;

/** An event ready to be stored: everything but the id. */
export type StampedEvent = Omit<LogEvent, 'id'>;

/** Which events a query covers; missing `labels` means all classes, an empty list none. */
export interface EventFilter {
  labels?: readonly MaskClass[];
  /** Inclusive, ms since epoch. */
  from?: number;
  /** Inclusive, ms since epoch. */
  to?: number;
  /** Only these entrances ('' = this device); missing means every event in the log. */
  entrances?: readonly string[];
}

export interface Settings {
  thumbnails: boolean;
  /** Events older than this many days are deleted; 0 keeps everything. */
  retentionDays: number;
  soundAlerts: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  thumbnails: false,
  retentionDays: 30,
  soundAlerts: false,
};
