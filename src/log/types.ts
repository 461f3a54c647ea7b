import type { MaskClass } from '../classify/classes';

/** One logged person, as written and read. */
export interface LogEvent {
  id: number;
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
  /** The entrance that logged the event; absent for events of this device (set by the sync). */
  entrance?: string;
  modelId: string;
  modelVersion: string;
  /** JPEG crop, only when the user turned thumbnails on. */
  thumbnail?: Blob;
}

/** An event before the database assigns its id. */
export type NewLogEvent = Omit<LogEvent, 'id'>;

/** Which events a query covers; missing `labels` means all classes, an empty list none. */
export interface EventFilter {
  labels?: readonly MaskClass[];
  /** Inclusive, ms since epoch. */
  from?: number;
  /** Inclusive, ms since epoch. */
  to?: number;
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
