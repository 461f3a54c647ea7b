import { describe, expect, it } from 'vitest';
import type { Probs } from '../classify/classes';
import type { ScoredBox } from '../geometry/box';
import { Tracker, type TrackEvent } from './tracker';

const FRAME_MS = 33;
const CORRECT: Probs = [0.9, 0.05, 0.05];
const NONE: Probs = [0.05, 0.05, 0.9];

function face(cx: number, cy: number, size = 80): ScoredBox {
  return { x: cx - size / 2, y: cy - size / 2, w: size, h: size, score: 0.9 };
}

/** Deterministic pseudo-random jitter in [-1, 1). */
function jitter(seed: number): number {
  const s = Math.sin(seed * 12.9898) * 43758.5453;
  return (s - Math.floor(s)) * 2 - 1;
}

/** Centre x of a track's box. */
function centreX(tracker: Tracker, id: number): number | undefined {
  const box = tracker.activeTracks.find((t) => t.id === id)?.box;
  return box && box.x + box.w / 2;
}

describe('Tracker matching', () => {
  it('keeps one id for a jittery box', () => {
    const tracker = new Tracker();
    for (let i = 0; i < 100; i++) {
      tracker.update(i * FRAME_MS, [face(300 + jitter(i) * 8, 200 + jitter(i + 500) * 8, 80 + jitter(i + 900) * 6)]);
    }
    expect(tracker.activeTracks.map((t) => t.id)).toEqual([1]);
  });

  it('keeps ids when two faces cross', () => {
    const tracker = new Tracker();
    for (let i = 0; i <= 60; i++) {
      // A walks right, B walks left, slightly lower; they pass through each other at i = 30.
      const ax = 100 + i * 10;
      const bx = 700 - i * 10;
      tracker.update(i * FRAME_MS, [face(ax, 200), face(bx, 230)]);
      expect(centreX(tracker, 1)).toBe(ax);
      expect(centreX(tracker, 2)).toBe(bx);
    }
    expect(tracker.activeTracks).toHaveLength(2);
  });

  it('keeps ids when the front face hides the other while crossing', () => {
    const tracker = new Tracker();
    for (let i = 0; i <= 60; i++) {
      const ax = 100 + i * 10;
      const bx = 700 - i * 10;
      const hidden = i >= 27 && i <= 33;
      tracker.update(i * FRAME_MS, hidden ? [face(ax, 200)] : [face(ax, 200), face(bx, 210)]);
      expect(centreX(tracker, 1)).toBe(ax);
      if (!hidden) expect(centreX(tracker, 2)).toBe(bx);
    }
    expect(tracker.activeTracks.map((t) => t.id)).toEqual([1, 2]);
  });

  it('bridges an occlusion of a few frames', () => {
    const tracker = new Tracker({ memoryMs: 500 });
    for (let i = 0; i < 10; i++) tracker.update(i * FRAME_MS, [face(100 + i * 5, 200)]);
    for (let i = 10; i < 16; i++) tracker.update(i * FRAME_MS, []); // ~200 ms hidden
    for (let i = 16; i < 25; i++) tracker.update(i * FRAME_MS, [face(100 + i * 5, 200)]);
    expect(tracker.activeTracks.map((t) => t.id)).toEqual([1]);
  });

  it('gives a new id on re-entry after memory expiry', () => {
    const tracker = new Tracker({ memoryMs: 300 });
    tracker.update(0, [face(100, 100)]);
    tracker.update(FRAME_MS, [face(100, 100)]);
    tracker.update(400, []);
    expect(tracker.activeTracks).toHaveLength(0);
    tracker.update(433, [face(100, 100)]);
    expect(tracker.activeTracks.map((t) => t.id)).toEqual([2]);
  });

  it('does not match distant faces by centre distance', () => {
    const tracker = new Tracker();
    tracker.update(0, [face(100, 100)]);
    tracker.update(FRAME_MS, [face(500, 100)]);
    expect(tracker.activeTracks.map((t) => t.id)).toEqual([1, 2]);
  });

  it('matches a fast face by centre distance when boxes barely overlap', () => {
    const tracker = new Tracker();
    tracker.update(0, [face(100, 100)]);
    tracker.update(FRAME_MS, [face(140, 100)]); // IoU 0.33 → overlap match, velocity learnt
    tracker.update(2 * FRAME_MS, [face(205, 100)]); // ahead of prediction: IoU 0.28
    expect(tracker.activeTracks.map((t) => t.id)).toEqual([1]);
  });
});

describe('Tracker classification', () => {
  it('uses hysteresis so that one odd result does not flip the label', () => {
    const tracker = new Tracker();
    tracker.update(0, [face(100, 100)]);
    const labels: (string | null)[] = [];
    const seq: Probs[] = [CORRECT, CORRECT, CORRECT, NONE, CORRECT, NONE, CORRECT, [0.45, 0.1, 0.45], CORRECT];
    seq.forEach((p, i) => {
      tracker.addProbs(1, p, i * 100);
      labels.push(tracker.activeTracks[0]?.label ?? null);
    });
    expect(new Set(labels)).toEqual(new Set(['correct']));
  });

  it('switches after a decisive, repeated change', () => {
    const tracker = new Tracker();
    tracker.update(0, [face(100, 100)]);
    for (let i = 0; i < 4; i++) tracker.addProbs(1, CORRECT, i * 100);
    const labels: (string | null)[] = [];
    for (let i = 4; i < 10; i++) {
      tracker.addProbs(1, NONE, i * 100);
      labels.push(tracker.activeTracks[0]?.label ?? null);
    }
    expect(labels[0]).toBe('correct');
    expect(labels.at(-1)).toBe('none');
    // Exactly one switch: no back-and-forth.
    expect(labels.filter((l, i) => i > 0 && l !== labels[i - 1])).toHaveLength(1);
  });

  it('ignores stale, unknown-track and non-finite results', () => {
    const tracker = new Tracker();
    tracker.update(0, [face(100, 100)]);
    tracker.addProbs(1, CORRECT, 200);
    tracker.addProbs(1, NONE, 100);
    tracker.addProbs(1, [Number.NaN, 0, 0], 300);
    tracker.addProbs(99, NONE, 300);
    expect(tracker.activeTracks[0]).toMatchObject({ label: 'correct', classifications: 1 });
  });

  it('paces classification requests per track', () => {
    const tracker = new Tracker();
    tracker.update(0, [face(100, 100), face(400, 100)]);
    expect(tracker.dueForClassification(0, 250, 1).map((t) => t.id)).toEqual([1]);
    expect(tracker.dueForClassification(10, 250).map((t) => t.id)).toEqual([2]);
    tracker.update(100, [face(100, 100), face(400, 100)]);
    expect(tracker.dueForClassification(100, 250)).toEqual([]);
    tracker.update(260, [face(100, 100), face(400, 100)]);
    expect(tracker.dueForClassification(260, 250).map((t) => t.id)).toEqual([1, 2]);
  });

  it('classifies a face that just appeared before re-checking faces with a stable label', () => {
    const tracker = new Tracker();
    const people = [face(100, 100), face(300, 100), face(500, 100)];
    // Three faces labelled for a while: stable.
    for (let t = 0; t <= 1200; t += 100) {
      tracker.update(t, people);
      for (const due of tracker.dueForClassification(t, 400)) tracker.addProbs(due.id, CORRECT, t);
    }
    // A fourth person walks in; the first answer for them is lost (a failed batch). When all four are due
    // again, the batch of two takes the unlabelled face first, though it was asked for more recently.
    const all = [...people, face(300, 350)];
    tracker.update(1300, all);
    expect(tracker.dueForClassification(1300, 400).map((t) => t.id)).toEqual([4]);
    tracker.update(1700, all);
    const batch = tracker.dueForClassification(1700, 400, 2);
    expect(batch.map((t) => t.id)).toEqual([4, 1]);
    expect(batch[0]).toMatchObject({ label: null, classifications: 0 });
  });

  it('does not request classification for a face not in the latest frame', () => {
    const tracker = new Tracker();
    tracker.update(0, [face(100, 100)]);
    tracker.update(FRAME_MS, []);
    expect(tracker.dueForClassification(FRAME_MS, 0)).toEqual([]);
  });
});

describe('Tracker events', () => {
  /** Runs a person walking across the view, classified every ~200 ms. */
  function walkThrough(tracker: Tracker, startMs: number, frames: number, probs: Probs): TrackEvent[] {
    const events: TrackEvent[] = [];
    for (let i = 0; i < frames; i++) {
      const t = startMs + i * FRAME_MS;
      events.push(...tracker.update(t, [face(50 + i * 6 + jitter(i) * 3, 240 + jitter(i + 7) * 3)]));
      for (const due of tracker.dueForClassification(t, 200)) tracker.addProbs(due.id, probs, t);
    }
    for (let t = startMs + frames * FRAME_MS; t < startMs + frames * FRAME_MS + 2000; t += FRAME_MS) {
      events.push(...tracker.update(t, []));
    }
    return events;
  }

  it('emits exactly one event for one person walking through', () => {
    const tracker = new Tracker({ settleMs: 60_000 });
    const events = walkThrough(tracker, 0, 90, CORRECT);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      trackId: 1,
      label: 'correct',
      reason: 'ended',
      firstSeen: 0,
      lastSeen: 89 * FRAME_MS,
    });
    expect(events[0]?.confidence).toBeCloseTo(0.9);
    expect(events[0]?.classifications).toBeGreaterThanOrEqual(10);
  });

  it('emits a settled event once for a person who lingers, and nothing when they leave', () => {
    const tracker = new Tracker({ settleMs: 1000 });
    const events = walkThrough(tracker, 0, 150, NONE);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ reason: 'settled', label: 'none' });
  });

  it('does not log a class change after the event (one person counts once)', () => {
    const tracker = new Tracker({ settleMs: 500 });
    const events: TrackEvent[] = [];
    for (let i = 0; i < 60; i++) {
      const t = i * FRAME_MS;
      events.push(...tracker.update(t, [face(300, 200)]));
      tracker.addProbs(1, i < 30 ? CORRECT : NONE, t);
    }
    expect(tracker.activeTracks[0]?.label).toBe('none');
    events.push(...tracker.update(5000, []));
    expect(events).toHaveLength(1);
    expect(events[0]?.label).toBe('correct');
  });

  it('emits no event for a track that was never classified', () => {
    const tracker = new Tracker();
    tracker.update(0, [face(100, 100)]);
    expect(tracker.update(2000, [])).toEqual([]);
    tracker.update(3000, [face(100, 100)]);
    expect(tracker.flush()).toEqual([]);
  });

  it('emits no event for a face seen in fewer than minFrames frames, classified or not', () => {
    const tracker = new Tracker();
    tracker.update(0, [face(100, 100)]);
    tracker.update(FRAME_MS, [face(100, 100)]);
    tracker.addProbs(1, NONE, FRAME_MS);
    expect(tracker.update(2000, [])).toEqual([]);
    tracker.update(3000, [face(100, 100)]);
    tracker.addProbs(2, NONE, 3000);
    expect(tracker.flush()).toEqual([]);
  });

  it('flush ends classified tracks', () => {
    const tracker = new Tracker();
    for (let i = 0; i < 3; i++) tracker.update(i * FRAME_MS, [face(100, 100)]);
    tracker.addProbs(1, NONE, 10);
    expect(tracker.flush()).toMatchObject([{ trackId: 1, label: 'none', reason: 'ended', classifications: 1 }]);
    expect(tracker.activeTracks).toEqual([]);
  });
});
