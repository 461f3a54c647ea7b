import { isMaskClass } from '../classify/classes';
import type { LogDb } from './db';
import { EXPORT_FORMAT, EXPORT_VERSION, type ExportedEvent } from './exportJson';
import { errorText } from '../errorText';

export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;
export const MAX_IMPORT_EVENTS = 500_000;
const MAX_TEXT = 200;
/** Latest time a JS Date can hold. */
const MAX_TIME = 8.64e15;

export type ImportResult = { ok: true; imported: number } | { ok: false; message: string };
export type ValidationResult = { ok: true; events: ExportedEvent[] } | { ok: false; message: string };

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const FILE_KEYS = new Set(['format', 'version', 'exportedAt', 'events']);
const EVENT_KEYS: readonly (keyof ExportedEvent)[] = [
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

function parseEvent(value: unknown, where: string): ExportedEvent {
  const record = asRecord(value, where, new Set(EVENT_KEYS));
  for (const key of EVENT_KEYS) if (!(key in record)) fail(`${where}: ${key} is missing`);
  const label = record['label'];
  if (!isMaskClass(label)) fail(`${where}: label must be correct, incorrect or none`);
  const event: ExportedEvent = {
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

/**
 * Strictly validates an export file (see exportJson.ts). Throws InvalidImport
 * with a message naming the first problem; events are numbered from 1.
 */
function parseFile(json: string): ExportedEvent[] {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    fail(`not valid JSON (${errorText(error)})`);
  }
  const file = asRecord(data, 'file', FILE_KEYS);
  if (file['format'] !== EXPORT_FORMAT) fail(`not a MaskGate log (format must be "${EXPORT_FORMAT}")`);
  if (file['version'] !== EXPORT_VERSION) fail(`unsupported version (expected ${EXPORT_VERSION})`);
  if (typeof file['exportedAt'] !== 'string') fail('file: exportedAt must be a string');
  const events = file['events'];
  if (!Array.isArray(events)) fail('file: events must be an array');
  if (events.length > MAX_IMPORT_EVENTS) fail(`too many events (at most ${MAX_IMPORT_EVENTS})`);
  return events.map((event: unknown, i) => parseEvent(event, `event ${i + 1}`));
}

/** Validation only, for callers that already hold the text. */
export function validateLogJson(json: string): ValidationResult {
  try {
    return { ok: true, events: parseFile(json) };
  } catch (error) {
    if (error instanceof InvalidImport) return { ok: false, message: error.message };
    throw error;
  }
}

/** Imports an export file all-or-nothing: a bad file or a failed write stores nothing. */
export async function importJson(log: LogDb, file: Blob): Promise<ImportResult> {
  if (file.size > MAX_IMPORT_BYTES) {
    return { ok: false, message: `file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB` };
  }
  const result = validateLogJson(await file.text());
  if (!result.ok) return result;
  try {
    return { ok: true, imported: await log.importEvents(result.events) };
  } catch (error) {
    const reason = errorText(error);
    return { ok: false, message: `the events could not be stored (${reason})` };
  }
}
