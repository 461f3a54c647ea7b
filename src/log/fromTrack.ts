import type { TrackEvent } from '../track/tracker';
import type { NewLogEvent } from './types';

/** Where and with what an event was seen; the tracker knows neither. */
export interface EventContext {
  camera: string;
  modelId: string;
  modelVersion: string;
  /** Only when the user turned thumbnails on. */
  thumbnail?: Blob;
}

/** The log record for a tracker event; `time` is when the person was last seen. */
export function logEventFromTrack(event: TrackEvent, context: EventContext): NewLogEvent {
  return {
    time: event.lastSeen,
    firstSeen: event.firstSeen,
    lastSeen: event.lastSeen,
    durationMs: event.lastSeen - event.firstSeen,
    label: event.label,
    confidence: event.confidence,
    camera: context.camera,
    modelId: context.modelId,
    modelVersion: context.modelVersion,
    ...(context.thumbnail ? { thumbnail: context.thumbnail } : {}),
  };
}
