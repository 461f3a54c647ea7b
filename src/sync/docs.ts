// An event as a document on the sync server: immutable, its _id the event's stable uid, so a repeated push
// or pull never makes a second copy.
import { isMaskClass, type MaskClass } from '../classify/classes';
import { toExportedEvent, type ExportedEvent } from '../log/exportJson';
import { isUid } from '../log/schema';
import type { LogEvent, StampedEvent } from '../log/types';

export const DOC_TYPE = 'maskgate-event';
export const THUMBNAIL_NAME = 'thumbnail.jpg';

export interface Attachment {
  content_type: string;
  data: Blob;
}

/** The event's own fields as in an export (src/log/exportJson.ts), plus where it came from. */
export type EventDoc = Omit<ExportedEvent, 'uid' | 'entrance'> & {
  _id: string;
  type: typeof DOC_TYPE;
  /** The device id (first part of the uid): a device skips its own events when pulling. */
  device: string;
  entrance: string;
  _attachments?: Record<string, Attachment>;
};

/** The document for one of this device's events; the thumbnail goes along only when `withThumbnail`. */
export function toDoc(event: LogEvent, deviceId: string, entrance: string, withThumbnail: boolean): EventDoc {
  // The uid is the _id; the entrance is this device's name, not the log's '' for "made here".
  const { uid, entrance: _, ...fields } = toExportedEvent(event);
  const doc: EventDoc = {
    ...fields,
    _id: uid,
    type: DOC_TYPE,
    device: deviceId,
    entrance,
  };
  if (withThumbnail && event.thumbnail)
    doc._attachments = { [THUMBNAIL_NAME]: { content_type: 'image/jpeg', data: event.thumbnail } };
  return doc;
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const short = (v: unknown): v is string => typeof v === 'string' && v.length <= 200;

/**
 * The log event for a pulled document, or null when it is not a well-formed event document (the server is
 * shared, so its content is checked like any input; the _id must be a uid as the log makes it, so that every
 * event in the log can be exported and imported again). The entrance is the document's, or its device id when empty.
 */
export function fromDoc(doc: Record<string, unknown>, withThumbnail: boolean): StampedEvent | null {
  const { _id, type, device, entrance, time, firstSeen, lastSeen, durationMs, label, confidence } = doc;
  const { camera, modelId, modelVersion } = doc;
  if (type !== DOC_TYPE || !isUid(_id) || !short(device) || !short(entrance) || !isMaskClass(label)) return null;
  if (![time, firstSeen, lastSeen, durationMs, confidence].every(finite)) return null;
  if (!short(camera) || !short(modelId) || !short(modelVersion)) return null;
  const event: StampedEvent = {
    uid: _id,
    entrance: entrance.trim() || device,
    time: time as number,
    firstSeen: firstSeen as number,
    lastSeen: lastSeen as number,
    durationMs: durationMs as number,
    label,
    confidence: confidence as number,
    camera,
    modelId,
    modelVersion,
  };
  const attachments = doc['_attachments'] as Record<string, { data?: unknown }> | undefined;
  const thumbnail = attachments?.[THUMBNAIL_NAME]?.data;
  if (withThumbnail && thumbnail instanceof Blob) event.thumbnail = thumbnail;
  return event;
}
