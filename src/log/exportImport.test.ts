import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openLog, type LogDb } from './db';
import { csvCell, exportCsv } from './exportCsv';
import { exportJson, toExportedEvent } from './exportJson';
import { importJson, MAX_IMPORT_BYTES, validateLogJson } from './importJson';
import { freshLogs, makeEvent } from '../../tests/helpers/testLog';
import type { MaskClass } from '../classify/classes';

const freshLog = freshLogs('io');

const validEvent = () => toExportedEvent({ id: 1, uid: 'd:1:x', entrance: '', ...makeEvent(2000) });
const file = (events: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ format: 'maskgate-log', version: 1, exportedAt: '2026-01-01T00:00:00.000Z', events, ...extra });

describe('CSV', () => {
  it('quotes per RFC 4180', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(0.25)).toBe('0.25');
  });

  it('escapes formula injection', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\rx')).toBe(`"'\rx"`);
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('exports a header and one row per event, newest first', async () => {
    const log = await freshLog();
    await log.add(makeEvent(10_000, 'none', { camera: '=cmd|calc' }));
    await log.add(makeEvent(20_000, 'correct', { camera: 'Cam, "A"', modelVersion: '@1' }));
    const text = await (await exportCsv(log, {})).text();
    expect(text.split('\r\n')).toEqual([
      'id,time_iso,time_ms,first_seen_ms,last_seen_ms,duration_ms,label,confidence,camera,model_id,model_version',
      `2,1970-01-01T00:00:20.000Z,20000,18500,20000,1500,correct,0.9,"Cam, ""A""",mask-cls,'@1`,
      "1,1970-01-01T00:00:10.000Z,10000,8500,10000,1500,none,0.9,'=cmd|calc,mask-cls,1.0.0",
      '',
    ]);
  });
});

describe('JSON round trip', () => {
  it('exports and re-imports the same events, without thumbnails', async () => {
    const source = await freshLog();
    await source.add(makeEvent(10_000, 'incorrect', { thumbnail: new Blob(['x'], { type: 'image/jpeg' }) }));
    await source.add(makeEvent(20_000, 'none', { camera: 'Side "door"' }));
    const blob = await exportJson(source, {}, new Date(0));
    const parsed = JSON.parse(await blob.text()) as { exportedAt: string; events: object[] };
    expect(parsed.exportedAt).toBe('1970-01-01T00:00:00.000Z');
    expect(JSON.stringify(parsed)).not.toContain('thumbnail');

    const target = await freshLog();
    expect(await importJson(target, blob)).toEqual({ ok: true, imported: 2 });
    // The imported events are new events of this log: their own uids, this device's.
    const events = (await target.page({}, 10)).events.map(({ id: _, uid, entrance, ...rest }) => {
      expect(uid.startsWith(`${target.deviceId}:`)).toBe(true);
      expect(entrance).toBe('');
      return rest;
    });
    expect(events).toEqual([makeEvent(20_000, 'none', { camera: 'Side "door"' }), makeEvent(10_000, 'incorrect')]);
  });
});

describe('JSON import validation', () => {
  const rejects = (json: string, message: string | RegExp) => {
    const result = validateLogJson(json);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  };

  it('accepts a valid file', () => {
    expect(validateLogJson(file([validEvent()]))).toEqual({ ok: true, events: [validEvent()] });
  });

  it('names the bad event and field', () => {
    const events = Array.from({ length: 20 }, validEvent);
    events[16] = { ...validEvent(), label: 'maybe' as MaskClass };
    rejects(file(events), 'event 17: label must be correct, incorrect or none');
  });

  it('rejects hostile and malformed input', () => {
    rejects('not json', /^not valid JSON/);
    rejects('[]', 'file must be an object');
    rejects(file([], { format: 'other' }), /not a MaskGate log/);
    rejects(file([], { version: 2 }), /unsupported version/);
    rejects(file([], { extra: 1 }), 'file: unknown field "extra"');
    rejects('{"__proto__":{"polluted":true},"format":"maskgate-log"}', 'file: forbidden key "__proto__"');
    rejects(file([{ ...validEvent(), constructor: 1 }]), 'event 1: forbidden key "constructor"');
    rejects(file([JSON.parse('{"prototype":{}}')]), 'event 1: forbidden key "prototype"');
    rejects(file([{ ...validEvent(), note: 'x' }]), 'event 1: unknown field "note"');
    rejects(file([validEvent(), 'x']), 'event 2 must be an object');
    rejects(file([{ ...validEvent(), time: undefined }]), 'event 1: time is missing');
    rejects(
      file([validEvent()]).replace('"confidence":0.9', '"confidence":1e400'),
      'event 1: confidence must be a finite number',
    );
    rejects(file([{ ...validEvent(), confidence: 1.5 }]), 'event 1: confidence must be between 0 and 1');
    rejects(file([{ ...validEvent(), durationMs: '5' }]), 'event 1: durationMs must be a finite number');
    rejects(file([{ ...validEvent(), camera: 7 }]), 'event 1: camera must be a string');
    rejects(file([{ ...validEvent(), camera: 'x'.repeat(201) }]), /camera is longer than 200/);
    rejects(file([{ ...validEvent(), firstSeen: 5000 }]), 'event 1: firstSeen must not be after lastSeen');
    rejects(file([{ ...validEvent(), time: 1 }]), 'event 1: time must equal lastSeen');
    rejects(file({} as unknown[]), 'file: events must be an array');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('imports nothing from a bad file', async () => {
    const log = await freshLog();
    const result = await importJson(log, new Blob([file([validEvent(), { ...validEvent(), label: 'x' }])]));
    expect(result).toEqual({ ok: false, message: 'event 2: label must be correct, incorrect or none' });
    expect(await log.count({})).toEqual({ correct: 0, incorrect: 0, none: 0 });
  });

  it('imports nothing when the write fails part-way', async () => {
    const log = await freshLog();
    const original = IDBObjectStore.prototype.add;
    let calls = 0;
    IDBObjectStore.prototype.add = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      if (++calls === 3) throw new DOMException('full', 'QuotaExceededError');
      return original.call(this, value, key);
    };
    try {
      const result = await importJson(log, new Blob([file([validEvent(), validEvent(), validEvent(), validEvent()])]));
      expect(result).toEqual({ ok: false, message: 'the events could not be stored (full)' });
    } finally {
      IDBObjectStore.prototype.add = original;
    }
    expect(await log.count({})).toEqual({ correct: 0, incorrect: 0, none: 0 });
  });

  it('rejects oversized files before reading them', async () => {
    const log = await freshLog();
    const huge = { size: MAX_IMPORT_BYTES + 1, text: () => Promise.reject(new Error('read')) } as unknown as Blob;
    expect(await importJson(log, huge)).toEqual({ ok: false, message: 'file is larger than 64 MiB' });
  });
});
