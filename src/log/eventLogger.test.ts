import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openLog } from './db';
import { logTrackEvents } from './eventLogger';
import type { TrackEvent } from '../track/tracker';

const event = (trackId: number, label: TrackEvent['label']): TrackEvent => ({
  trackId,
  label,
  confidence: 0.9,
  firstSeen: 1000,
  lastSeen: 4000,
  classifications: 5,
  reason: 'ended',
});

describe('logTrackEvents', () => {
  it('stores each event with wall-clock times, camera and model', async () => {
    const db = await openLog({ name: `logger-${Math.random()}` });
    const out = await logTrackEvents(db, [event(1, 'correct'), event(2, 'none')], {
      camera: 'Front camera',
      modelId: 'mask_vgg16_224',
      modelVersion: '1.0.0',
      timeOrigin: 1_700_000_000_000,
    });
    expect(out).toEqual({ saved: 2, thumbnailsPurged: 0, thumbnailsDropped: 0, errors: [] });
    const page = await db.page({}, 10);
    expect(page.events.map((e) => e.label).sort()).toEqual(['correct', 'none']);
    const e = page.events[0]!;
    expect(e.firstSeen).toBe(1_700_000_001_000);
    expect(e.lastSeen).toBe(1_700_000_004_000);
    expect(e.durationMs).toBe(3000);
    expect(e.camera).toBe('Front camera');
    expect(e.thumbnail).toBeUndefined();
  });

  it("stores the classifier that labelled each track, else the context's", async () => {
    const db = await openLog({ name: `logger-${Math.random()}` });
    await logTrackEvents(db, [event(1, 'correct'), event(2, 'none')], {
      camera: 'c',
      modelId: 'mask_vgg16_224',
      modelVersion: '2.0.0',
      timeOrigin: 0,
      labelledBy: (id) => (id === 1 ? { id: 'mask_mnv3s_224', version: '1.0.0' } : null),
    });
    const stored = (await db.page({}, 10)).events;
    expect(stored.find((e) => e.label === 'correct')).toMatchObject({
      modelId: 'mask_mnv3s_224',
      modelVersion: '1.0.0',
    });
    expect(stored.find((e) => e.label === 'none')).toMatchObject({ modelId: 'mask_vgg16_224', modelVersion: '2.0.0' });
  });

  it('keeps a thumbnail only when one is made; a failed thumbnail still saves the event', async () => {
    const db = await openLog({ name: `logger-${Math.random()}` });
    const thumb = new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/jpeg' });
    const out = await logTrackEvents(db, [event(1, 'incorrect'), event(2, 'correct')], {
      camera: 'c',
      modelId: 'm',
      modelVersion: '1',
      timeOrigin: 0,
      thumbnailFor: async (id) => {
        if (id === 2) throw new Error('camera frame gone');
        return thumb;
      },
    });
    expect(out).toEqual({ saved: 2, thumbnailsPurged: 0, thumbnailsDropped: 0, errors: [] });
    const stored = (await db.page({}, 10)).events;
    expect(stored.find((e) => e.label === 'incorrect')?.thumbnail).toBeInstanceOf(Blob);
    expect(stored.find((e) => e.label === 'correct')?.thumbnail).toBeUndefined();
  });

  it('reports a write that fails', async () => {
    const db = await openLog({ name: `logger-${Math.random()}` });
    db.close();
    const out = await logTrackEvents(db, [event(1, 'none')], {
      camera: 'c',
      modelId: 'm',
      modelVersion: '1',
      timeOrigin: 0,
    });
    expect(out.saved).toBe(0);
    expect(out.errors).toHaveLength(1);
  });
});
