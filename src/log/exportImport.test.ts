import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openLog, type LogDb } from './db';
import { csvCell, exportCsv } from './exportCsv';
import { exportJson, toExportedEvent } from './exportJson';
import { importJson, MAX_IMPORT_BYTES, validateLogJson } from './importJson';
import { freshLogs, makeEvent } from '../../tests/helpers/testLog';
import type { MaskClass } from '../classify/classes';

const freshLog = freshLogs('io');

const UID = 'abcdefghij12:500:xyz789';
/** A version 1 event: no uid, no entrance. */
const validEvent = () => {
  const { uid: _, entrance: __, ...v1 } = toExportedEvent({ id: 1, uid: UID, entrance: '', ...makeEvent(2000) });
  return v1;
};
const file = (events: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ format: 'maskgate-log', version: 1, exportedAt: '2026-01-01T00:00:00.000Z', events, ...extra });
/** A version 2 event, and a version 2 file. */
const v2Event = (uid = UID, entrance = 'North') => toExportedEvent({ id: 1, uid, entrance, ...makeEvent(2000) });
const file2 = (events: unknown[]) => file(events, { version: 2 });

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
    await log.addPulled([
      { ...makeEvent(5000, 'incorrect'), uid: 'otherdevice1:3500:aaaaaa', entrance: '=North, "A"' },
    ]);
    const text = await (await exportCsv(log, {})).text();
    const [first, second] = (await log.page({}, 2)).events.map((e) => e.uid);
    expect(text.split('\r\n')).toEqual([
      'id,time_iso,time_ms,first_seen_ms,last_seen_ms,duration_ms,label,confidence,camera,model_id,model_version,uid,entrance',
      `2,1970-01-01T00:00:20.000Z,20000,18500,20000,1500,correct,0.9,"Cam, ""A""",mask-cls,'@1,${first},`,
      `1,1970-01-01T00:00:10.000Z,10000,8500,10000,1500,none,0.9,'=cmd|calc,mask-cls,1.0.0,${second},`,
      `3,1970-01-01T00:00:05.000Z,5000,3500,5000,1500,incorrect,0.9,Front door,mask-cls,1.0.0,otherdevice1:3500:aaaaaa,"'=North, ""A"""`,
      '',
    ]);
    // The columns before the new ones keep their places (tests/e2e/live.test.mjs reads the label at index 6).
    expect(text.split('\r\n')[0]?.split(',')[6]).toBe('label');
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

    expect(parsed).toMatchObject({ version: 2 });

    const target = await freshLog();
    expect(await importJson(target, blob)).toEqual({ ok: true, imported: 2, alreadyInLog: 0 });
    // The same events, with the same uids. Made on the source device, so here their entrance is the source's
    // device id (as sync names a document without an entrance): this device must not take them for its own.
    const events = (await target.page({}, 10)).events.map(({ id: _, ...rest }) => rest);
    const sourceEvents = (await source.page({}, 10)).events.map(({ id: _, thumbnail: __, ...rest }) => rest);
    expect(events).toEqual(sourceEvents.map((e) => ({ ...e, entrance: source.deviceId })));
    expect(events.map((e) => e.uid.split(':')[0])).toEqual([source.deviceId, source.deviceId]);
    expect(events.map(({ uid: _, entrance: __, ...rest }) => rest)).toEqual([
      makeEvent(20_000, 'none', { camera: 'Side "door"' }),
      makeEvent(10_000, 'incorrect'),
    ]);
    // None of them is this device's own, so sync would not send them as such.
    expect((await target.ownEventsAfter(0, 10)).rows).toEqual([]);

    // Importing the same file again adds nothing.
    expect(await importJson(target, blob)).toEqual({ ok: true, imported: 0, alreadyInLog: 2 });
    expect(await target.count({})).toEqual({ correct: 0, incorrect: 1, none: 1 });
  });

  it("keeps pulled events' entrances; own events stay own when imported back into the same log", async () => {
    const log = await freshLog();
    await log.add(makeEvent(10_000, 'correct'));
    await log.addPulled([{ ...makeEvent(20_000, 'none'), uid: 'otherdevice1:18500:aaaaaa', entrance: 'South' }]);
    const blob = await exportJson(log, {});
    const before = (await log.page({}, 10)).events;
    await log.deleteAll();
    expect(await importJson(log, blob)).toEqual({ ok: true, imported: 2, alreadyInLog: 0 });
    const after = (await log.page({}, 10)).events;
    expect(after.map(({ id: _, ...e }) => e)).toEqual(before.map(({ id: _, ...e }) => e));
    expect(after.map((e) => e.entrance)).toEqual(['South', '']);

    // Half of a file already in the log: the rest is imported, the result counts both.
    await log.deleteByIds([after[0]?.id ?? -1]);
    expect(await importJson(log, blob)).toEqual({ ok: true, imported: 1, alreadyInLog: 1 });
    expect(await log.count({})).toEqual({ correct: 1, incorrect: 0, none: 1 });
  });

  it('still imports version 1 files as before: new events of this log with their own uids', async () => {
    const target = await freshLog();
    const v1 = file([validEvent(), { ...validEvent(), label: 'none' }]);
    expect(await importJson(target, new Blob([v1]))).toEqual({ ok: true, imported: 2, alreadyInLog: 0 });
    const events = (await target.page({}, 10)).events;
    for (const { uid, entrance } of events) {
      expect(uid.startsWith(`${target.deviceId}:500:`)).toBe(true);
      expect(entrance).toBe('');
    }
    expect(new Set(events.map((e) => e.uid)).size).toBe(2);
    // A version 1 file has no uids, so importing it again imports its events again (as before).
    expect(await importJson(target, new Blob([v1]))).toEqual({ ok: true, imported: 2, alreadyInLog: 0 });
  });
});

describe('JSON import validation', () => {
  const rejects = (json: string, message: string | RegExp) => {
    const result = validateLogJson(json);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  };

  it('accepts a valid file, version 1 or 2', () => {
    expect(validateLogJson(file([validEvent()]))).toEqual({ ok: true, version: 1, events: [validEvent()] });
    expect(validateLogJson(file2([v2Event()]))).toEqual({ ok: true, version: 2, events: [v2Event()] });
    expect(validateLogJson(file2([v2Event(UID, '')]))).toMatchObject({ ok: true });
    expect(validateLogJson(file2([v2Event('abcdefghij12:1700000000000.5:000000')]))).toMatchObject({ ok: true });
  });

  it("checks a version 2 event's uid and entrance as strictly as its other fields", () => {
    rejects(file2([validEvent()]), 'event 1: uid is missing');
    rejects(file2([{ ...v2Event(), entrance: undefined }]), 'event 1: entrance is missing');
    rejects(file([v2Event()]), 'event 1: unknown field "uid"');
    for (const uid of [
      'd:1:x',
      'abcdefghij12:500:xyz78',
      'ABCDEFGHIJ12:500:xyz789',
      'abcdefghij12:-5:xyz789',
      'abcdefghij12:5e3:xyz789',
      'abcdefghij12:500:xyz789:extra',
      ' abcdefghij12:500:xyz789',
      '',
      7,
    ])
      rejects(file2([v2Event(uid as string)]), 'event 1: uid must be a MaskGate event id (device:time:random)');
    rejects(file2([{ ...v2Event(), entrance: 5 }]), 'event 1: entrance must be a string');
    rejects(file2([v2Event(UID, 'x'.repeat(201))]), /event 1: entrance is longer than 200/);
    rejects(file2([v2Event(), v2Event('abcdefghij12:500:aaaaaa'), v2Event()]), "event 3: uid is the same as event 1's");
    rejects(file2([{ ...v2Event(), label: 'maybe' }]), 'event 1: label must be correct, incorrect or none');
    rejects(file([], { version: 3 }), 'unsupported version (expected 1 or 2)');
  });

  it('imports nothing from a version 2 file with one bad event', async () => {
    const log = await freshLog();
    const result = await importJson(log, new Blob([file2([v2Event(), v2Event('bad')])]));
    expect(result).toEqual({ ok: false, message: 'event 2: uid must be a MaskGate event id (device:time:random)' });
    expect(await log.count({})).toEqual({ correct: 0, incorrect: 0, none: 0 });
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
    rejects(file([], { version: 2.5 }), /unsupported version/);
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
