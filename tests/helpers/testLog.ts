// Test helpers for the log: sample events and throwaway databases (fake-indexeddb), closed after each test.
import { afterEach } from 'vitest';
import { openLog, type LogDb } from '../../src/log/db';
import type { MaskClass } from '../../src/classify/classes';
import type { NewLogEvent } from '../../src/log/types';

export function makeEvent(time: number, label: MaskClass = 'correct', extra: Partial<NewLogEvent> = {}): NewLogEvent {
  return {
    time,
    firstSeen: time - 1500,
    lastSeen: time,
    durationMs: 1500,
    label,
    confidence: 0.9,
    camera: 'Front door',
    modelId: 'mask-cls',
    modelVersion: '1.0.0',
    ...extra,
  };
}

/** Returns a function that opens a new, empty log per call; every log is closed after each test. */
export function freshLogs(prefix: string): () => Promise<LogDb> {
  let count = 0;
  const open: LogDb[] = [];
  afterEach(() => {
    for (const log of open.splice(0)) log.close();
  });
  return async () => {
    const log = await openLog({ name: `${prefix}-${++count}` });
    open.push(log);
    return log;
  };
}
