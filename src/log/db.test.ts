import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LogUnavailableError, openLog, type LogDb } from './db';
import { complianceRate } from './query';
import { upgradeToV1, type LogDatabase } from './schema';
import { freshLogs, makeEvent } from '../../tests/helpers/testLog';
import type { MaskClass } from '../classify/classes';
import { DEFAULT_SETTINGS } from './types';

const LABELS: MaskClass[] = ['correct', 'incorrect', 'none'];
const freshLog = freshLogs('test');

/** Seeds `n` events 1 s apart from t = 1_000_000, classes in rotation, in one transaction. */
async function seed(log: LogDb, n: number, sameTime = false): Promise<void> {
  await log.importEvents(
    Array.from({ length: n }, (_, i) => makeEvent(sameTime ? 1_000_000 : 1_000_000 + i * 1000, LABELS[i % 3])),
  );
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('openLog', () => {
  it('migrates a real v1 database with data in it', async () => {
    const name = `v1-${Math.random()}`;
    const v1 = await openDB(name, 1, { upgrade: (db) => upgradeToV1(db as unknown as LogDatabase) });
    await v1.add('events', { time: 5000, label: 'none', confidence: 0.8 });
    await v1.add('events', { time: 7000, label: 'correct', confidence: 0.7 });
    v1.close();

    const log = await openLog({ name });
    expect(log.db.version).toBe(3);
    expect([...log.db.objectStoreNames].sort()).toEqual(['events', 'settings']);
    const page = await log.page({}, 10);
    // v3 gave each event a uid made of this device's id, its firstSeen and a random part, and marked it as
    // this device's (entrance '').
    expect(log.deviceId).toMatch(/^[0-9a-z]{12}$/);
    expect(page.events.map((e) => e.uid)).toEqual([
      expect.stringMatching(new RegExp(`^${log.deviceId}:7000:[0-9a-z]{6}$`)),
      expect.stringMatching(new RegExp(`^${log.deviceId}:5000:[0-9a-z]{6}$`)),
    ]);
    expect(page.events.map(({ uid: _, ...rest }) => rest)).toEqual([
      {
        id: 2,
        time: 7000,
        firstSeen: 7000,
        lastSeen: 7000,
        durationMs: 0,
        label: 'correct',
        confidence: 0.7,
        camera: '',
        modelId: 'unknown',
        modelVersion: '',
        entrance: '',
      },
      {
        id: 1,
        time: 5000,
        firstSeen: 5000,
        lastSeen: 5000,
        durationMs: 0,
        label: 'none',
        confidence: 0.8,
        camera: '',
        modelId: 'unknown',
        modelVersion: '',
        entrance: '',
      },
    ]);
    expect(await log.count({ labels: ['none'] })).toEqual({ correct: 0, incorrect: 0, none: 1 });
    const { id } = await log.add(makeEvent(9000));
    expect(id).toBe(3);
    expect(await log.count({ entrances: [''] })).toEqual({ correct: 2, incorrect: 0, none: 1 });
    log.close();
  });

  it('rejects with LogUnavailableError when indexedDB.open throws', async () => {
    vi.spyOn(indexedDB, 'open').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    await expect(openLog({ name: 'x' })).rejects.toBeInstanceOf(LogUnavailableError);
  });

  it('rejects with LogUnavailableError when IndexedDB is missing', async () => {
    vi.stubGlobal('indexedDB', undefined);
    try {
      await expect(openLog()).rejects.toThrow(LogUnavailableError);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('queries', () => {
  it('pages newest first with cursors and no overlap', async () => {
    const log = await freshLog();
    await seed(log, 230);
    const seen: number[] = [];
    let page = await log.page({}, 50);
    let pages = 1;
    seen.push(...page.events.map((e) => e.time));
    while (page.next) {
      page = await log.page({}, 50, page.next);
      pages++;
      seen.push(...page.events.map((e) => e.time));
    }
    expect(pages).toBe(5);
    expect(seen).toHaveLength(230);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect(new Set(seen).size).toBe(230);
  });

  it('pages correctly through events with identical times', async () => {
    const log = await freshLog();
    await seed(log, 25, true);
    const ids: number[] = [];
    let after = null;
    do {
      const page = await log.page({ labels: ['correct', 'none'] }, 4, after);
      ids.push(...page.events.map((e) => e.id));
      after = page.next;
    } while (after);
    const expected = Array.from({ length: 25 }, (_, i) => i + 1)
      .filter((id) => (id - 1) % 3 !== 1)
      .reverse();
    expect(ids).toEqual(expected);
  });

  it('filters by class and time range', async () => {
    const log = await freshLog();
    await seed(log, 30);
    const page = await log.page({ labels: ['incorrect'], from: 1_005_000, to: 1_020_000 }, 100);
    expect(page.events.map((e) => e.time)).toEqual([1_019_000, 1_016_000, 1_013_000, 1_010_000, 1_007_000]);
    expect(page.events.every((e) => e.label === 'incorrect')).toBe(true);
    expect(page.next).toBeNull();
    expect((await log.page({ labels: [] }, 100)).events).toEqual([]);
    expect(await log.count({ labels: [] })).toEqual({ correct: 0, incorrect: 0, none: 0 });
  });

  it('counts per class and computes the compliance rate', async () => {
    const log = await freshLog();
    await seed(log, 10);
    const counts = await log.count({});
    expect(counts).toEqual({ correct: 4, incorrect: 3, none: 3 });
    expect(complianceRate(counts)).toBeCloseTo(0.4);
    expect(await log.count({ labels: ['none'], to: 1_005_000 })).toEqual({ correct: 0, incorrect: 0, none: 2 });
    expect(complianceRate({ correct: 0, incorrect: 0, none: 0 })).toBeNull();
  });

  it('builds an hourly histogram by class', async () => {
    const log = await freshLog();
    const base = new Date(2026, 0, 5, 10, 0, 0).getTime();
    const hour = 3_600_000;
    await log.importEvents([
      makeEvent(base + 5 * 60_000, 'correct'),
      makeEvent(base + 50 * 60_000, 'none'),
      makeEvent(base + hour + 1, 'correct'),
      makeEvent(base + 3 * hour + 10, 'incorrect'),
    ]);
    const bounds = await log.timeBounds({});
    expect(bounds).toEqual({ from: base + 5 * 60_000, to: base + 3 * hour + 10 });
    const buckets = await log.histogram({ from: bounds?.from ?? 0, to: bounds?.to ?? 0 }, 'hour');
    expect(buckets.map((b) => b.start)).toEqual([base, base + hour, base + 2 * hour, base + 3 * hour]);
    expect(buckets.map((b) => b.counts)).toEqual([
      { correct: 1, incorrect: 0, none: 1 },
      { correct: 1, incorrect: 0, none: 0 },
      { correct: 0, incorrect: 0, none: 0 },
      { correct: 0, incorrect: 1, none: 0 },
    ]);
    const days = await log.histogram({ from: base, to: base + 3 * hour + 10, labels: ['correct'] }, 'day');
    expect(days).toEqual([{ start: new Date(2026, 0, 5).getTime(), counts: { correct: 2, incorrect: 0, none: 0 } }]);
  });

  it('reads a page in bounded work, however big the log', async () => {
    const log = await freshLog();
    await seed(log, 3000);
    // Counted, not timed (a busy machine must not fail it): the IndexedDB requests of two pages from the middle
    // (idb awaits each request, a cursor's open and every step, through its 'success' event).
    const listen = vi.spyOn(IDBRequest.prototype, 'addEventListener');
    const requests = () => listen.mock.calls.filter(([type]) => type === 'success').length;
    const filter = { labels: ['none', 'incorrect'] as MaskClass[] };
    const middle = await log.page(filter, 50, { time: 1_000_000 + 1500 * 1000, id: 1501 });
    const next = await log.page(filter, 50, middle.next);
    expect(middle.events).toHaveLength(50);
    expect(next.events).toHaveLength(50);
    expect(next.events[0]?.time).toBeLessThan(middle.events.at(-1)?.time ?? 0);
    // A page reads at most (limit + 1) records per class: 2 pages × 2 classes × (open, skip, 51 steps); a scan
    // of the 2000 events of those classes would take thousands.
    expect(requests()).toBeGreaterThanOrEqual(2 * 2 * 50);
    expect(requests()).toBeLessThanOrEqual(2 * 2 * (2 + 51));
    const counts = await log.count({});
    expect(counts.correct + counts.incorrect + counts.none).toBe(3000);
  });
});

describe('deletion and retention', () => {
  it('deletes by ids, by age and all', async () => {
    const log = await freshLog();
    const day = 86_400_000;
    const now = 100 * day;
    await log.importEvents([
      makeEvent(now - 40 * day),
      makeEvent(now - 31 * day),
      makeEvent(now - 2 * day),
      makeEvent(now),
    ]);
    await log.deleteByIds([4]);
    expect((await log.page({}, 10)).events.map((e) => e.id)).toEqual([3, 2, 1]);
    expect(await log.deleteOlderThan(30, now)).toBe(2);
    expect((await log.page({}, 10)).events.map((e) => e.id)).toEqual([3]);
    await log.setSettings({ retentionDays: 1 });
    expect(await log.applyRetention(now)).toBe(1);
    await log.add(makeEvent(now));
    await log.deleteAll();
    expect(await log.count({})).toEqual({ correct: 0, incorrect: 0, none: 0 });
  });
});

describe('settings', () => {
  it('defaults, stores and validates', async () => {
    const log = await freshLog();
    expect(await log.getSettings()).toEqual(DEFAULT_SETTINGS);
    expect(DEFAULT_SETTINGS.thumbnails).toBe(false);
    expect(await log.setSettings({ thumbnails: true, soundAlerts: true })).toEqual({
      ...DEFAULT_SETTINGS,
      thumbnails: true,
      soundAlerts: true,
    });
    await expect(log.setSettings({ retentionDays: -1 })).rejects.toThrow(RangeError);
    expect((await log.getSettings()).retentionDays).toBe(DEFAULT_SETTINGS.retentionDays);
  });
});

describe('quota handling', () => {
  const jpeg = () => new Blob([new Uint8Array(1000)], { type: 'image/jpeg' });
  const quotaError = () => new DOMException('full', 'QuotaExceededError');

  /** Makes adding new events (records without id) fail while `full()` is true. */
  function simulateQuota(full: (value: { thumbnail?: Blob }) => boolean) {
    const original = IDBObjectStore.prototype.add;
    vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(function (this: IDBObjectStore, value, key) {
      if (full(value as { thumbnail?: Blob })) throw quotaError();
      return original.call(this, value, key);
    });
  }

  it('purges the oldest thumbnails first, then stores the event with its thumbnail', async () => {
    const log = await freshLog();
    for (let i = 0; i < 60; i++) await log.add(makeEvent(1000 + i, 'correct', { thumbnail: jpeg() }));
    let failures = 2;
    simulateQuota(() => failures-- > 0);
    const result = await log.add(makeEvent(5000, 'none', { thumbnail: jpeg() }));
    expect(result).toEqual({ id: 61, thumbnailsPurged: 60, thumbnailDropped: false });
    const events = (await log.page({}, 100)).events;
    expect(events[0]?.thumbnail).toBeInstanceOf(Blob);
    expect(events.filter((e) => e.thumbnail)).toHaveLength(1);
  });

  it('keeps the newest thumbnails when one batch is enough', async () => {
    const log = await freshLog();
    for (let i = 0; i < 60; i++) await log.add(makeEvent(1000 + i, 'correct', { thumbnail: jpeg() }));
    let failures = 1;
    simulateQuota(() => failures-- > 0);
    expect(await log.add(makeEvent(5000))).toMatchObject({ thumbnailsPurged: 50, thumbnailDropped: false });
    const withThumbs = (await log.page({}, 100)).events.filter((e) => e.thumbnail).map((e) => e.time);
    expect(withThumbs).toEqual([1059, 1058, 1057, 1056, 1055, 1054, 1053, 1052, 1051, 1050]);
  });

  it('stores the event without its thumbnail as a last resort', async () => {
    const log = await freshLog();
    simulateQuota((value) => value.thumbnail !== undefined);
    const result = await log.add(makeEvent(5000, 'incorrect', { thumbnail: jpeg() }));
    expect(result).toEqual({ id: 1, thumbnailsPurged: 0, thumbnailDropped: true });
    expect((await log.page({}, 10)).events[0]).toMatchObject({ label: 'incorrect' });
  });

  it('rejects when the event itself cannot be stored', async () => {
    const log = await freshLog();
    simulateQuota(() => true);
    await expect(log.add(makeEvent(5000))).rejects.toThrow('full');
  });

  it('clears all thumbnails on request', async () => {
    const log = await freshLog();
    for (let i = 0; i < 3; i++) await log.add(makeEvent(1000 + i, 'correct', { thumbnail: jpeg() }));
    expect(await log.clearThumbnails()).toBe(3);
    expect((await log.page({}, 10)).events.some((e) => e.thumbnail)).toBe(false);
  });
});
