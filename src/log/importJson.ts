import { isMaskClass } from '../classify/classes';
import type { LogDb } from './db';
import { EXPORT_FORMAT, EXPORT_VERSION, type ExportedEvent } from './exportJson';
import { deviceOfUid, isUid } from './schema';
import type { NewLogEvent } from './types';
import { errorText } from '../errorText';

export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;
export const MAX_IMPORT_EVENTS = 500_000;
const MAX_TEXT = 200;
/** Latest time a JS Date can hold. */
const MAX_TIME = 8.64e15;

/** `alreadyInLog`: events of a version 2 file whose uid the log has already (skipped, not doubled). */
export type ImportResult = { ok: true; imported: number; alreadyInLog: number } | { ok: false; message: string };
/** Version 1 events have no uid or entrance (the log gives them new ones); version 2 events have both. */
export type ValidationResult =
  | { ok: true; version: 1; events: V1Event[] }
  | { ok: true; version: 2; events: ExportedEvent[] }
  | { ok: false; message: string };
/** An event of a version 1 file. */
export type V1Event = Omit<NewLogEvent, 'thumbnail' | 'uid' | 'entrance'>;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const FILE_KEYS = new Set(['format', 'version', 'exportedAt', 'events']);
const V1_KEYS: readonly (keyof V1Event)[] = [
  'time',
  'firstSeen',
  'lastSeen',
  'durationMs',
  'label',
  'confidence',
  'camera',
  'modelId',
  'modelVersion',
];
const V2_KEYS: readonly (keyof ExportedEvent)[] = [...V1_KEYS, 'uid', 'entrance'];

class InvalidImport extends Error {}

function fail(message: string): never {
  throw new InvalidImport(message);
}

function asRecord(value: unknown, where: string, allowed: ReadonlySet<string>): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${where} must be an object`);
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) fail(`${where}: forbidden key "${key}"`);
    if (!allowed.has(key)) fail(`${where}: unknown field "${key}"`);
  }
  return value as Record<string, unknown>;
}

function num(record: Record<string, unknown>, key: string, where: string, min: number, max: number): number {
  const value = record[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(`${where}: ${key} must be a finite number`);
  if (value < min || value > max) fail(`${where}: ${key} must be between ${min} and ${max}`);
  return value;
}

function text(record: Record<string, unknown>, key: string, where: string): string {
  const value = record[key];
  if (typeof value !== 'string') fail(`${where}: ${key} must be a string`);
  if (value.length > MAX_TEXT) fail(`${where}: ${key} is longer than ${MAX_TEXT} characters`);
  return value;
}

function parseEvent(record: Record<string, unknown>, where: string): V1Event {
  const label = record['label'];
  if (!isMaskClass(label)) fail(`${where}: label must be correct, incorrect or none`);
  const event: V1Event = {
    time: num(record, 'time', where, 0, MAX_TIME),
    firstSeen: num(record, 'firstSeen', where, 0, MAX_TIME),
    lastSeen: num(record, 'lastSeen', where, 0, MAX_TIME),
    durationMs: num(record, 'durationMs', where, 0, MAX_TIME),
    label,
    confidence: num(record, 'confidence', where, 0, 1),
    camera: text(record, 'camera', where),
    modelId: text(record, 'modelId', where),
    modelVersion: text(record, 'modelVersion', where),
  };
  if (event.firstSeen > event.lastSeen) fail(`${where}: firstSeen must not be after lastSeen`);
  if (event.time !== event.lastSeen) fail(`${where}: time must equal lastSeen`);
  return event;
}

function parseV1Event(value: unknown, where: string): V1Event {
  const record = asRecord(value, where, new Set(V1_KEYS));
  for (const key of V1_KEYS) if (!(key in record)) fail(`${where}: ${key} is missing`);
  return parseEvent(record, where);
}

function parseV2Event(value: unknown, where: string): ExportedEvent {
  const record = asRecord(value, where, new Set(V2_KEYS));
  for (const key of V2_KEYS) if (!(key in record)) fail(`${where}: ${key} is missing`);
  const uid = record['uid'];
  if (!isUid(uid)) fail(`${where}: uid must be a MaskGate event id (device:time:random)`);
  return { ...parseEvent(record, where), uid, entrance: text(record, 'entrance', where) };
}

/**
 * Strictly validates an export file (see exportJson.ts), version 1 or 2. Throws InvalidImport
 * with a message naming the first problem; events are numbered from 1.
 */
function parseFile(json: string): ValidationResult {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    fail(`not valid JSON (${errorText(error)})`);
  }
  const file = asRecord(data, 'file', FILE_KEYS);
  if (file['format'] !== EXPORT_FORMAT) fail(`not a MaskGate log (format must be "${EXPORT_FORMAT}")`);
  const version = file['version'];
  if (version !== 1 && version !== EXPORT_VERSION) fail(`unsupported version (expected 1 or ${EXPORT_VERSION})`);
  if (typeof file['exportedAt'] !== 'string') fail('file: exportedAt must be a string');
  const events = file['events'];
  if (!Array.isArray(events)) fail('file: events must be an array');
  if (events.length > MAX_IMPORT_EVENTS) fail(`too many events (at most ${MAX_IMPORT_EVENTS})`);
  if (version === 1)
    return { ok: true, version, events: events.map((e: unknown, i) => parseV1Event(e, `event ${i + 1}`)) };
  const parsed = events.map((e: unknown, i) => parseV2Event(e, `event ${i + 1}`));
  // The log's uid index is unique: a file naming one event twice is not an export.
  const first = new Map<string, number>();
  parsed.forEach(({ uid }, i) => {
    const earlier = first.get(uid);
    if (earlier !== undefined) fail(`event ${i + 1}: uid is the same as event ${earlier + 1}'s`);
    first.set(uid, i);
  });
  return { ok: true, version, events: parsed };
}

/** Validation only, for callers that already hold the text. */
export function validateLogJson(json: string): ValidationResult {
  try {
    return parseFile(json);
  } catch (error) {
    if (error instanceof InvalidImport) return { ok: false, message: error.message };
    throw error;
  }
}

/**
 * The events of a version 2 file as this log stores them. An event made on this device keeps entrance ''; one
 * that another device made with entrance '' (made there, exported there) gets that device's id as its entrance,
 * as sync names a document without one (src/sync/docs.ts): otherwise this device would take it for its own
 * and send it to the sync server under its own entrance.
 */
export function asLogEvents(events: readonly ExportedEvent[], deviceId: string): ExportedEvent[] {
  return events.map((event) => {
    const device = deviceOfUid(event.uid);
    return event.entrance === '' && device !== deviceId ? { ...event, entrance: device } : event;
  });
}

/**
 * Imports an export file all-or-nothing: a bad file or a failed write stores nothing. Version 1 events get new
 * uids; version 2 events keep theirs, and those already in the log (by uid, as sync's pulled events) are skipped.
 */
export async function importJson(log: LogDb, file: Blob): Promise<ImportResult> {
  if (file.size > MAX_IMPORT_BYTES) {
    return { ok: false, message: `file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB` };
  }
  const result = validateLogJson(await file.text());
  if (!result.ok) return result;
  try {
    if (result.version === 1) return { ok: true, imported: await log.importEvents(result.events), alreadyInLog: 0 };
    const imported = await log.addPulled(asLogEvents(result.events, log.deviceId));
    return { ok: true, imported, alreadyInLog: result.events.length - imported };
  } catch (error) {
    const reason = errorText(error);
    return { ok: false, message: `the events could not be stored (${reason})` };
  }
}
