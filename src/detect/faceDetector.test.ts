import { describe, expect, it } from 'vitest';
import {
  dropCentreInside,
  dropNested,
  keepRegionBox,
  tileRegions,
  weightedNms,
  weightedNmsWithSupport,
  zoomOutRegions,
} from './faceDetector';

describe('tileRegions', () => {
  it('level 1 is the whole frame', () => {
    expect(tileRegions(640, 480, 1, 0.25)).toEqual([{ x: 0, y: 0, w: 640, h: 480 }]);
  });

  it('covers the frame with overlapping square tiles', () => {
    const tiles = tileRegions(640, 480, 2, 0.25);
    expect(tiles).toHaveLength(6);
    for (const t of tiles) expect(t.w).toBe(300);
    expect(Math.max(...tiles.map((t) => t.x + t.w))).toBe(640);
    expect(Math.max(...tiles.map((t) => t.y + t.h))).toBe(480);
  });
});

describe('zoomOutRegions', () => {
  it('centres a square of zoom x the longer side on the frame', () => {
    expect(zoomOutRegions(1280, 720, [2], 4, 0.25)).toEqual([
      { x: -640, y: -920, w: 2560, h: 2560, level: 4, whole: false, minSide: 320 },
    ]);
  });
  it('none when no zoom is asked', () => {
    expect(zoomOutRegions(640, 480, [], 0, 0.25)).toEqual([]);
  });
});

describe('keepRegionBox', () => {
  const box = (side: number) => ({ x: 0, y: 0, w: side, h: side * 0.8 });
  const tile = { x: 100, y: 100, w: 400, h: 400, level: 1, whole: false };
  it('a zoomed-out region keeps only boxes of at least its minSide', () => {
    const zoom = { ...tile, minSide: 160 };
    expect(keepRegionBox(box(150), zoom, 0)).toBe(false);
    expect(keepRegionBox(box(170), zoom, 0.5)).toBe(true);
  });
  it('a tile drops boxes above tileMaxFill of its side; the whole frame keeps all', () => {
    expect(keepRegionBox(box(210), tile, 0.5)).toBe(false);
    expect(keepRegionBox(box(190), tile, 0.5)).toBe(true);
    expect(keepRegionBox(box(390), tile, 0)).toBe(true);
    expect(keepRegionBox(box(390), { ...tile, whole: true }, 0.5)).toBe(true);
  });
});

describe('weightedNms', () => {
  it('merges overlapping boxes into the score-weighted mean with the top score', () => {
    const out = weightedNms(
      [
        { x: 0, y: 0, w: 10, h: 10, score: 0.9 },
        { x: 1, y: 1, w: 10, h: 10, score: 0.3 },
        { x: 50, y: 50, w: 10, h: 10, score: 0.6 },
      ],
      0.3,
    );
    expect(out).toHaveLength(2);
    expect(out[0]!.score).toBe(0.9);
    expect(out[0]!.x).toBeCloseTo(0.25);
    expect(out[1]).toEqual({ x: 50, y: 50, w: 10, h: 10, score: 0.6 });
  });
});

describe('weightedNmsWithSupport', () => {
  it('counts the boxes each cluster merged', () => {
    const out = weightedNmsWithSupport(
      [
        { x: 0, y: 0, w: 10, h: 10, score: 0.55 },
        { x: 1, y: 0, w: 10, h: 10, score: 0.52 },
        { x: 0, y: 1, w: 10, h: 10, score: 0.51 },
        { x: 50, y: 50, w: 10, h: 10, score: 0.58 },
      ],
      0.3,
    );
    expect(out.map((c) => [c.box.score, c.support])).toEqual([
      [0.58, 1],
      [0.55, 3],
    ]);
  });
});

describe('dropCentreInside', () => {
  it('drops a box whose centre lies in a higher-scoring box of similar size', () => {
    const face = { x: 100, y: 100, w: 60, h: 60, score: 0.9 };
    const twin = { x: 125, y: 120, w: 55, h: 55, score: 0.8 };
    expect(dropCentreInside([twin, face])).toEqual([face]);
  });
  it('keeps neighbours, smaller faces in front of a larger box, and the higher-scoring box', () => {
    const face = { x: 100, y: 100, w: 60, h: 60, score: 0.9 };
    const neighbour = { x: 150, y: 100, w: 60, h: 60, score: 0.8 };
    const small = { x: 110, y: 110, w: 30, h: 30, score: 0.95 };
    expect(dropCentreInside([face, neighbour])).toEqual([face, neighbour]);
    expect(dropCentreInside([face, small])).toEqual([face, small]);
  });
});

describe('dropNested', () => {
  const face = { x: 100, y: 100, w: 200, h: 200, score: 0.95 };
  const eye = { x: 140, y: 150, w: 60, h: 60, score: 0.7 };
  it('drops a box mostly inside a box 1.5x its side that scores at least as high', () => {
    expect(dropNested([face, eye], 0.5)).toEqual([face]);
  });
  it('keeps it when it scores higher, lies mostly outside, or the boxes are of a size', () => {
    expect(dropNested([face, { ...eye, score: 0.99 }], 0.5)).toHaveLength(2);
    const edge = { ...eye, x: 270 }; // 30 of its 60 px width inside: half its area
    expect(dropNested([face, edge], 0.5)).toHaveLength(2);
    const neighbour = { ...face, x: 150, w: 150, h: 150 }; // 200 / 150 < 1.5
    expect(dropNested([face, { ...neighbour, score: 0.5 }], 0.5)).toHaveLength(2);
  });
  it('is off at 0', () => {
    expect(dropNested([face, eye], 0)).toHaveLength(2);
  });
});
