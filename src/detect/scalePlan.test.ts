import { describe, expect, it } from 'vitest';
import { scalePlan, windowStarts } from './scalePlan';

const P = { minFace: 40, kMax: 5, factor: 2, maxRegions: 1000 };

/** The regions in which a face box lies whole, with its region-to-face ratio k. */
function seenAt(plan: ReturnType<typeof scalePlan>, f: { x: number; y: number; s: number }) {
  return plan
    .filter((r) => f.x >= r.x && f.y >= r.y && f.x + f.s <= r.x + r.w && f.y + f.s <= r.y + r.h)
    .map((r) => Math.max(r.w, r.h) / f.s);
}

describe('windowStarts', () => {
  it('spreads windows over the length with at least the asked overlap', () => {
    const xs = windowStarts(1000, 200, 80);
    expect(xs[0]).toBe(0);
    expect(xs.at(-1)).toBe(800);
    for (let i = 1; i < xs.length; i++) expect(xs[i - 1]! + 200 - xs[i]!).toBeGreaterThanOrEqual(80);
  });
  it('is one window when the window covers the length', () => {
    expect(windowStarts(100, 128, 10)).toEqual([0]);
  });
});

describe('scalePlan', () => {
  it('a small photo is one whole-frame region', () => {
    expect(scalePlan(160, 120, P)).toEqual([{ x: 0, y: 0, w: 160, h: 120, level: 0, whole: true }]);
  });

  it('finest tiles are minFace x kMax, coarser ones grow by factor, whole frame last', () => {
    const plan = scalePlan(1280, 960, P);
    const sides = [...new Set(plan.filter((r) => !r.whole).map((r) => r.w))];
    expect(sides).toEqual([200, 400, 800]);
    expect(plan.at(-1)).toMatchObject({ x: 0, y: 0, w: 1280, h: 960, whole: true });
    for (const r of plan) {
      expect(r.x).toBeGreaterThanOrEqual(0);
      expect(r.y).toBeGreaterThanOrEqual(0);
      expect(r.x + r.w).toBeLessThanOrEqual(1280 + 1e-9);
      expect(r.y + r.h).toBeLessThanOrEqual(960 + 1e-9);
    }
  });

  it('every face from minFace to the frame lies whole in a region at a ratio k within [kMax / factor, kMax]', () => {
    for (const [w, h] of [
      [1280, 960],
      [640, 480],
      [1280, 720],
      [400, 300],
      [960, 1280],
    ] as const) {
      const plan = scalePlan(w, h, P);
      for (let s = 40; s <= Math.min(w, h); s = Math.ceil(s * 1.3)) {
        for (let y = 0; y + s <= h; y += Math.max(7, Math.floor(s / 3))) {
          for (let x = 0; x + s <= w; x += Math.max(11, Math.floor(s / 3))) {
            const ks = seenAt(plan, { x, y, s });
            // Faces larger than the finest band may only be seen by the whole frame, at k < kMin.
            expect(
              ks.some((k) => k <= P.kMax + 1e-9),
              `${w}x${h} face ${s} at ${x},${y}: ${ks.join(',')}`,
            ).toBe(true);
            if (s * P.kMax <= Math.max(w, h) / Math.sqrt(P.factor)) {
              expect(
                ks.some((k) => k >= P.kMax / P.factor - 1e-9 && k <= P.kMax + 1e-9),
                `${w}x${h} face ${s} at ${x},${y}: ${ks.join(',')}`,
              ).toBe(true);
            }
          }
        }
      }
    }
  });

  it('raises the smallest face when the plan would exceed maxRegions', () => {
    const full = scalePlan(4096, 3072, P);
    const capped = scalePlan(4096, 3072, { ...P, maxRegions: 100 });
    expect(full.length).toBeGreaterThan(100);
    expect(capped.length).toBeLessThanOrEqual(100);
    expect(capped.find((r) => !r.whole)!.w).toBeGreaterThan(200);
  });

  it('rejects nonsense parameters', () => {
    expect(() => scalePlan(640, 480, { ...P, factor: 1 })).toThrow(/invalid/);
  });
});
