import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { freshLogs, makeEvent } from '../../tests/helpers/testLog';
import type { StampedEvent } from './types';

const freshLog = freshLogs('entrances');

/** An event as pulled from another entrance. */
function pulled(time: number, entrance: string, n: number): StampedEvent {
  return { ...makeEvent(time, n % 2 ? 'none' : 'correct'), uid: `other:${time}:${n}`, entrance };
}

describe('entrances in the log', () => {
  it('stores a pulled event once however often it arrives, and scopes queries by entrance', async () => {
    const log = await freshLog();
    await log.add(makeEvent(1000, 'incorrect'));
    await log.add(makeEvent(2000, 'correct'));
    const batch = [pulled(1500, 'North', 1), pulled(2500, 'North', 2), pulled(3000, 'South', 3)];
    expect(await log.addPulled(batch)).toBe(3);
    expect(await log.addPulled(batch)).toBe(0);
    expect(await log.addPulled([...batch, pulled(3500, 'South', 4)])).toBe(1);

    expect(await log.entrances()).toEqual(['', 'North', 'South']);
    expect(await log.count({})).toEqual({ correct: 3, incorrect: 1, none: 2 });
    expect(await log.count({ entrances: [''] })).toEqual({ correct: 1, incorrect: 1, none: 0 });
    expect(await log.count({ entrances: ['North', 'South'], labels: ['none'] })).toEqual({
      correct: 0,
      incorrect: 0,
      none: 2,
    });
    expect(await log.countByEntrance({}, ['', 'South'])).toEqual({
      '': { correct: 1, incorrect: 1, none: 0 },
      South: { correct: 1, incorrect: 0, none: 1 },
    });
    expect(await log.timeBounds({ entrances: ['North'] })).toEqual({ from: 1500, to: 2500 });
    expect(await log.timeBounds({ entrances: ['nowhere'] })).toBeNull();
  });

  it('pages a scoped log newest first across entrances, with no event twice or missing', async () => {
    const log = await freshLog();
    const events = Array.from({ length: 25 }, (_, i) => pulled(1000 + Math.floor(i / 3) * 10, i % 2 ? 'A' : 'B', i));
    await log.addPulled(events);
    for (let i = 0; i < 5; i++) await log.add(makeEvent(1000 + i * 10));
    const seen: string[] = [];
    let after = null;
    do {
      const page = await log.page({ entrances: ['A', 'B'] }, 4, after);
      seen.push(...page.events.map((e) => e.uid));
      expect(page.events.every((e, i, all) => i === 0 || (all[i - 1]?.time ?? 0) >= e.time)).toBe(true);
      after = page.next;
    } while (after);
    expect(seen.sort()).toEqual(events.map((e) => e.uid).sort());
  });

  it('splits the chart by entrance', async () => {
    const log = await freshLog();
    const hour = 3_600_000;
    const t0 = new Date(2024, 0, 1, 10).getTime();
    await log.add(makeEvent(t0 + 60_000));
    await log.addPulled([pulled(t0 + 120_000, 'North', 1), pulled(t0 + hour + 1, 'North', 2)]);
    const buckets = await log.entranceHistogram({ from: t0, to: t0 + hour + 1 }, 'hour', ['', 'North']);
    expect(buckets).toEqual([
      { start: t0, byEntrance: { '': 1, North: 1 } },
      { start: t0 + hour, byEntrance: { '': 0, North: 1 } },
    ]);
  });

  it('keeps a pulled thumbnail where quota recovery finds it', async () => {
    const log = await freshLog();
    const thumbnail = new Blob([new Uint8Array([0xff, 0xd8])], { type: 'image/jpeg' });
    await log.addPulled([{ ...pulled(1000, 'North', 1), thumbnail }]);
    expect(await log.clearThumbnails()).toBe(1);
  });

  it('lists own events after an id for the sync outbox, leaving out pulled ones', async () => {
    const log = await freshLog();
    const { id: first } = await log.add(makeEvent(1000));
    await log.addPulled([pulled(1100, 'North', 1)]);
    const { id: second } = await log.add(makeEvent(1200));
    const all = await log.ownEventsAfter(0, 10);
    expect(all.rows.map((e) => e.id)).toEqual([first, second]);
    expect(all.lastId).toBe(second);
    const rest = await log.ownEventsAfter(first, 1);
    // The one row read was the pulled event: nothing to send, but the position still moves on.
    expect(rest.rows).toEqual([]);
    expect(rest.lastId).toBe(first + 1);
  });
});
