import { describe, expect, it } from 'vitest';
import { batchCap, pickForClassification, type ScheduleCandidate } from './schedule';

const face = (id: number, patch: Partial<ScheduleCandidate> = {}): ScheduleCandidate => ({
  id,
  firstSeen: 0,
  requestedAt: null,
  results: 0,
  unsettled: true,
  ...patch,
});
const ids = (c: ScheduleCandidate[]) => c.map((x) => x.id);

describe('pickForClassification', () => {
  it('puts a face that just appeared ahead of stale re-checks of labelled faces', () => {
    const stable = [1, 2, 3].map((id) => face(id, { requestedAt: 0, results: 5, unsettled: false }));
    const fresh = face(9, { firstSeen: 900 });
    expect(ids(pickForClassification([...stable, fresh], 1000, 400, 2))).toEqual([9, 1]);
  });

  it('ranks no result, then unsettled, then stable; within a rank the longest-waiting first', () => {
    const c = [
      face(1, { requestedAt: 100, results: 4, unsettled: false }),
      face(2, { requestedAt: 500, results: 1, unsettled: true }),
      face(3, { requestedAt: 50, results: 1, unsettled: true }),
      face(4, { requestedAt: 200 }), // asked, answer lost: retried first
      face(5, { requestedAt: 0, results: 4, unsettled: false }),
    ];
    expect(ids(pickForClassification(c, 1000, 400, 10))).toEqual([4, 3, 2, 5, 1]);
  });

  it('never asks again for a face whose answer may still be in flight', () => {
    const c = [face(1, { requestedAt: 900 }), face(2, { requestedAt: 900, results: 3, unsettled: false })];
    expect(pickForClassification(c, 1000, 400, 10)).toEqual([]);
  });

  it('keeps to the cap; a new face is never the one left out while a labelled face is taken', () => {
    const c = [
      ...[1, 2, 3, 4].map((id) => face(id, { requestedAt: 0, results: 3, unsettled: false })),
      face(7, { firstSeen: 990 }),
      face(8, { firstSeen: 995 }),
    ];
    expect(ids(pickForClassification(c, 1000, 400, 3))).toEqual([7, 8, 1]);
    expect(ids(pickForClassification(c, 1000, 400, 1))).toEqual([7]);
    expect(pickForClassification(c, 1000, 400, 0)).toEqual([]);
  });
});

describe('batchCap', () => {
  it('sends one face until the speed is known', () => {
    expect(batchCap(null, 150, 6)).toBe(1);
    expect(batchCap(NaN, 150, 6)).toBe(1);
  });

  it('fits the batch to the time budget, between 1 and the maximum', () => {
    expect(batchCap(575, 150, 6)).toBe(1); // VGG16 on WASM: one face at a time
    expect(batchCap(40, 150, 6)).toBe(3);
    expect(batchCap(12, 150, 6)).toBe(6); // the fast tier: the whole frame
  });
});
