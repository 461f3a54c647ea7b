/**
 * Face detection for MaskGate: BlazeFace (short- or full-range) run over the
 * whole frame plus overlapping tiles, merged with weighted NMS.
 *
 * The models run through MediaPipe's ImageEmbedder, used as a plain tensor
 * runner (raw regressor + score outputs), and are decoded here. The
 * FaceDetector task is not used because its graph hard-codes the short-range
 * SSD anchors, 896 boxes and 128 px box scale (tasks-vision 1.1.0): the
 * full-range model (192 px, 2304 anchors) loads there without error but only
 * its first 896 boxes are decoded, with the wrong anchors. Decoding here also
 * lets tile detections be merged before NMS.
 */
import { FilesetResolver, ImageEmbedder } from '@mediapipe/tasks-vision';
import { intersectionArea, iou, type Box, type ScoredBox } from '../geometry/box';
import { GRID_COLUMNS, gridRows, lumaGrid, regionChange, type LumaGrid } from './frameChange';
import { scalePlan, type PlannedRegion, type ScalePlanParams } from './scalePlan';

export type DetectorModel = 'short' | 'full';
export interface FaceDetectorOptions {
  model: DetectorModel;
  wasmBaseUrl: string;
  /** The URL of one of MediaPipe's wasm files (by name) when it is not simply `${wasmBaseUrl}/<name>` (the app's versioned URLs). */
  wasmUrl?: (file: string) => string;
  modelUrl: string;
  minScore?: number;
  delegate?: 'CPU' | 'GPU';
  /** Overrides of the scan plans (used by tests/detect-eval). */
  tuning?: Partial<DetectorTuning>;
  /**
   * Photos only: a second model run over the same photo (with its own plan and scores, `tuning` overriding its
   * defaults), its boxes merged with the first model's before NMS. The two BlazeFace models miss different faces.
   */
  photoCompanion?: { model: DetectorModel; modelUrl: string; tuning?: Partial<DetectorTuning> };
}

/** A detection before the final merge, with the score it needs if no other region saw the face. */
interface RawBox extends ScoredBox {
  single: number;
}
export interface FaceFinder {
  detectImage(src: HTMLCanvasElement | HTMLImageElement | ImageBitmap): ScoredBox[];
  /** One video frame, all of it in one call: `refreshVideoTiles` then `detectVideoFrame`. */
  detectVideo(video: HTMLVideoElement, timestampMs: number): ScoredBox[];
  /**
   * Copies the video's current frame (and its halvings) for the next `detectVideoFrame`, which then detects on
   * that copy instead of copying the video itself: the live loop copies in the frame callback and detects in a
   * task of its own.
   */
  captureVideoFrame(video: HTMLVideoElement): void;
  /** The whole frame, merged with the rotating tiles' latest results (see `refreshVideoTiles`). */
  detectVideoFrame(video: HTMLVideoElement, timestampMs: number): ScoredBox[];
  /**
   * Runs the next `count` rotating tiles (default: the tuning's tiles per frame) on this frame and keeps their
   * results for the next `detectVideoFrame`s. Apart from it so that the live loop can run each tile in a task
   * of its own.
   */
  refreshVideoTiles(video: HTMLVideoElement, timestampMs: number, count?: number): void;
  /** How many rotating tiles a video frame gets. */
  readonly videoTilesPerFrame: number;
  /** A copy of the video frame that the latest video detection looked at (null before any), for crops that match its boxes. */
  readonly lastVideoFrame: HTMLCanvasElement | null;
  close(): void;
}

export interface DetectorTuning {
  /** Photos: scale-aware tile pyramid (src/detect/scalePlan.ts); null = the fixed `imageLevels` instead. */
  imagePyramid: ScalePlanParams | null;
  /** Video: pyramid whose whole frame runs every frame and whose tiles rotate; null = `videoLevels`. */
  videoPyramid: ScalePlanParams | null;
  /**
   * Photos: extra zoomed-out regions, each a square of this many times the photo's longer side centred on the
   * photo (the rest black), so that a face filling the frame, or cut by its edge, reaches the model at a ratio it
   * handles. Empty = none.
   */
  imageZoomOut: number[];
  /**
   * Boxes from the zoomed-out regions whose longer side is below this fraction of the photo's longer side are
   * dropped: smaller faces are the pyramid's, and in a zoomed-out region they are too small to be more than noise.
   */
  zoomOutMinFill: number;
  /**
   * Photos: a tile's boxes larger than this fraction of the tile's side are dropped (0 = keep all): such a face
   * belongs to a coarser level, and a tile that cuts it can box part of it, which then pulls the merged box off.
   */
  tileMaxFill: number;
  /**
   * A box with more than this fraction of its area inside a box of 1.5x its side or more is dropped (0: off): a
   * face does not hold a smaller face, but a tile over part of a large face can box an eye or the mouth.
   */
  nestedMaxInside: number;
  /** Drop a box whose centre lies inside a higher-scoring box of similar or larger size (dropCentreInside). */
  centreInsideDrop: boolean;
  /** Fixed tile levels for photos (when imagePyramid is null): 1 = whole frame, n >= 2 = tiles of min(W,H)/n (plus overlap). */
  imageLevels: number[];
  /** Fixed tile levels for video (when videoPyramid is null); level 1 runs every frame, the other tiles rotate. */
  videoLevels: number[];
  /**
   * Drop a tile's detections that touch one of its inner edges (an edge not on the frame's border): the face is
   * cut there, and the pyramid's overlap puts it whole in a neighbouring tile or a coarser level.
   */
  dropEdgeBoxes: boolean;
  /**
   * A face seen in only one region (one scale, one tile) must score at least this; faces merged from two or more
   * regions need only the finder's min score. Most false detections show up in a single region.
   */
  singleMinScore: number;
  /**
   * Scale regions down from an image pyramid of successive halvings (each a 2x2 average) rather than straight from
   * the source: a 1280 px photo scaled to a 128 px input in one bilinear step aliases (it samples 1 pixel in 10).
   */
  prefilter: boolean;
  /** Canvas resampling used to scale regions to the model input. */
  smoothing: ImageSmoothingQuality;
  /** Tiles (besides the whole frame) run per video frame. */
  videoTilesPerFrame: number;
  /** Cached tile results older than this are dropped (slow frames must not show stale boxes). */
  videoTileMaxAgeMs: number;
  /**
   * A cached tile's box is dropped, and its tile runs again before the rotation's next tiles, when the picture
   * under the box has changed by more than this since the tile ran (mean absolute luma difference, 0–255, over a
   * coarse grid; see src/detect/frameChange.ts): the face it boxed has gone. Infinity: off.
   */
  videoBoxMaxChange: number;
  /** Fraction by which neighbouring tiles of `imageLevels` / `videoLevels` overlap. */
  overlap: number;
  /** IoU above which detections are merged. */
  nmsIou: number;
  /** Box scale-up around the centre (BlazeFace boxes are tighter than head boxes), and centre shift in box heights. */
  boxScale: number;
  boxShiftY: number;
}

/**
 * Chosen on data/detect (every 10th photo; tests/detect-eval/RESULTS.md) with the pyramid: a face merged from
 * two or more regions needs 0.5, a face seen in one region only needs singleMinScore 0.6. That keeps the recall
 * of min score 0.5 (95 % of faces >= 40 px) at half its unmatched boxes (0.48 per photo instead of 0.91).
 * (MaskGate's fine-tuned short-range weights want 0.6 / 0.7: TUNED_SHORT_MIN_SCORE below.)
 */
export const DEFAULT_MIN_SCORE = 0.5;
/** Per-model min score when the options give none (full range: 0.4, with singleMinScore 0.5). */
export const MODEL_MIN_SCORE: Record<DetectorModel, number> = { short: DEFAULT_MIN_SCORE, full: 0.4 };

export const DEFAULT_TUNING: DetectorTuning = {
  imagePyramid: { minFace: 40, kMax: 5, factor: 2, maxRegions: 160 },
  // Live: whole frame every frame + 4 pyramid tiles in rotation (640x480: 24 tiles, all refreshed every 6 frames).
  videoPyramid: { minFace: 40, kMax: 5, factor: 2, maxRegions: 40 },
  dropEdgeBoxes: true,
  imageZoomOut: [],
  zoomOutMinFill: 0,
  tileMaxFill: 0,
  // Off with MediaPipe's weights (their part boxes are rare); photos' fine-tuned weights use 0.5, which took
  // unmatched boxes per photo on data/detect's held-out tenth 0.53 -> 0.34 (photos) and 1.10 -> 0.90 (640x480
  // video) and lost no face; without the score rule it lost 3 (tests/detect-eval/RESULTS.md).
  nestedMaxInside: 0,
  centreInsideDrop: false,
  singleMinScore: 0.6,
  prefilter: false,
  smoothing: 'low',
  imageLevels: [1, 2],
  videoLevels: [1, 2],
  videoTilesPerFrame: 4,
  videoTileMaxAgeMs: 700,
  videoBoxMaxChange: 25,
  overlap: 0.25,
  nmsIou: 0.3,
  // Measured on the scenes set: matched head boxes are ~0.93x as wide, ~1.05x as tall and centred
  // ~0.09 box heights lower (the mask/chin) than BlazeFace boxes, so shift rather than scale.
  boxScale: 1,
  boxShiftY: 0.08,
};

/** Per-model overrides of DEFAULT_TUNING: the pyramid's ratios follow each model's recall-vs-scale curve. */
export const MODEL_TUNING: Record<DetectorModel, Partial<DetectorTuning>> = {
  // Photos: one zoomed-out region (the photo at half size in the input) for faces that fill the frame or are
  // cut by its edge (detect-zoom, every 10th view, with the companion's below: faces >= 200 px found 83.9 % ->
  // 89.5 %; tests/detect-eval/RESULTS.md).
  short: { imageZoomOut: [2], zoomOutMinFill: 0.25 },
  // Full range scores faces lower (tests/detect-eval/probe.mjs), so its one-region floor is lower too.
  full: { imagePyramid: { minFace: 40, kMax: 8, factor: 2.5, maxRegions: 100 }, singleMinScore: 0.5 },
};

/**
 * The app's short range, live and photos: MediaPipe's graph with MaskGate's fine-tuned weights (training/detector/),
 * which score faces higher, so min score 0.6 (0.7 seen in one region only), and nested boxes dropped. Chosen on the
 * held-out tenth of data/detect (96.2 / 95.8 / 94.7 % of faces >= 40 px found at min score 0.5 / 0.6 / 0.7 with
 * 0.38 / 0.28 / 0.20 unmatched boxes per photo; MediaPipe's weights: 95.1 % at 0.50). Held out, scenes-real:
 * photos (with the full-range companion) 89.2 -> 91.4 % found, 640x480 video 83.9 -> 90.3 %
 * (tests/detect-eval/RESULTS.md).
 */
export const TUNED_SHORT_MIN_SCORE = 0.6;
export const TUNED_SHORT_TUNING: Partial<DetectorTuning> = {
  singleMinScore: 0.7,
  nestedMaxInside: 0.5,
  centreInsideDrop: true,
};

/**
 * Full range as the short-range finder's photo companion: the whole photo plus zoomed-out regions (its pyramid
 * added nothing more).
 */
export const PHOTO_COMPANION_TUNING: Partial<DetectorTuning> = {
  imagePyramid: null,
  imageLevels: [1],
  // Full range at 1.5x and 2.5x zoomed out too: it scores a frame-filling face low (probe: 38 % at k = 1.25).
  imageZoomOut: [1.5, 2.5],
  // Only boxes of >= 1/4 of the photo's longer side: without this the zoomed-out regions' small boxes raised the
  // unmatched boxes on data/detect from 0.50 to 0.93 per photo (0.52 with it).
  zoomOutMinFill: 0.25,
};

interface ModelSpec {
  inputSize: number;
  anchors: Float32Array; // x, y centres (anchor w = h = 1)
}

/** SSD anchors as MediaPipe's SsdAnchorsCalculator builds them for BlazeFace (fixed size, aspect 1). */
function ssdAnchors(inputSize: number, layers: { stride: number; perCell: number }[]): Float32Array {
  const out: number[] = [];
  for (const { stride, perCell } of layers) {
    const cells = Math.ceil(inputSize / stride);
    for (let y = 0; y < cells; y++) {
      for (let x = 0; x < cells; x++) {
        for (let a = 0; a < perCell; a++) out.push((x + 0.5) / cells, (y + 0.5) / cells);
      }
    }
  }
  return Float32Array.from(out);
}

const MODELS: Record<DetectorModel, () => ModelSpec> = {
  // face_detection_short_range.pbtxt: strides 8,16,16,16 with interpolated anchors -> 2 + 6 per cell = 896.
  short: () => ({
    inputSize: 128,
    anchors: ssdAnchors(128, [
      { stride: 8, perCell: 2 },
      { stride: 16, perCell: 6 },
    ]),
  }),
  // face_detection_full_range.pbtxt: one stride-4 layer, one anchor per cell = 2304.
  full: () => ({ inputSize: 192, anchors: ssdAnchors(192, [{ stride: 4, perCell: 1 }]) }),
};

type Region = Box;

/** A photo region; boxes from it whose longer side is below `minSide` (px) are dropped. */
export interface ImageRegion extends PlannedRegion {
  minSide?: number;
}

/**
 * Boxes without those lying more than `maxInside` of their area inside a box of 1.5x their side or more that
 * scores at least as high (0: all).
 */
export function dropNested<T extends ScoredBox>(boxes: T[], maxInside: number): T[] {
  if (!maxInside) return boxes;
  return boxes.filter(
    (b) =>
      !boxes.some((a) => {
        if (a.score < b.score || Math.max(a.w, a.h) < 1.5 * Math.max(b.w, b.h)) return false;
        return intersectionArea(a, b) > maxInside * b.w * b.h;
      }),
  );
}

/**
 * Boxes without those whose centre lies inside a box of similar or larger size that scores higher: two boxes that
 * far apart on one face (IoU under the merge threshold, a black mask's face boxed twice) are one face, not two.
 */
export function dropCentreInside<T extends ScoredBox>(boxes: T[]): T[] {
  return boxes.filter(
    (b) =>
      !boxes.some((a) => {
        if (a === b || a.score <= b.score || Math.max(a.w, a.h) < 0.8 * Math.max(b.w, b.h)) return false;
        const cx = b.x + b.w / 2;
        const cy = b.y + b.h / 2;
        return cx > a.x && cx < a.x + a.w && cy > a.y && cy < a.y + a.h;
      }),
  );
}

/**
 * Whether a photo region's box is kept: zoomed-out regions keep boxes of at least their `minSide`; tiles (not the
 * whole frame) keep boxes of at most `tileMaxFill` x their side (0: all).
 */
export function keepRegionBox(b: Box, r: ImageRegion, tileMaxFill: number): boolean {
  const side = Math.max(b.w, b.h);
  if (r.minSide) return side >= r.minSide;
  return r.whole || !tileMaxFill || side <= tileMaxFill * Math.max(r.w, r.h);
}

/**
 * Squares of `zoom` x the frame's longer side centred on the frame (they reach outside it: drawn black), keeping
 * only boxes of at least `minFill` x that side.
 */
export function zoomOutRegions(
  width: number,
  height: number,
  zooms: number[],
  level: number,
  minFill: number,
): ImageRegion[] {
  const long = Math.max(width, height);
  return zooms.map((z, i) => ({
    x: (width - z * long) / 2,
    y: (height - z * long) / 2,
    w: z * long,
    h: z * long,
    level: level + i,
    whole: false,
    minSide: minFill * long,
  }));
}

/** MediaPipe's WEIGHTED NMS: each cluster becomes the score-weighted mean box with the top score. */
export function weightedNms(boxes: ScoredBox[], iouThreshold: number): ScoredBox[] {
  return weightedNmsWithSupport(boxes, iouThreshold).map((c) => c.box);
}

/** weightedNms that also says how many input boxes each output box merged, and which had the top score. */
export function weightedNmsWithSupport<T extends ScoredBox>(
  boxes: T[],
  iouThreshold: number,
): { box: ScoredBox; support: number; top: T }[] {
  const rest = [...boxes].sort((a, b) => b.score - a.score);
  const out: { box: ScoredBox; support: number; top: T }[] = [];
  while (rest.length > 0) {
    const top = rest[0]!;
    const cluster = rest.filter((b) => iou(top, b) > iouThreshold);
    const total = cluster.reduce((s, b) => s + b.score, 0);
    const mean = (f: (b: ScoredBox) => number) => cluster.reduce((s, b) => s + f(b) * b.score, 0) / total;
    out.push({
      box: { x: mean((b) => b.x), y: mean((b) => b.y), w: mean((b) => b.w), h: mean((b) => b.h), score: top.score },
      support: cluster.length,
      top,
    });
    for (const b of cluster) rest.splice(rest.indexOf(b), 1);
  }
  return out;
}

function positions(length: number, side: number, overlap: number): number[] {
  if (side >= length) return [0];
  const count = Math.ceil((length - side) / (side * (1 - overlap))) + 1;
  return Array.from({ length: count }, (_, i) => (i * (length - side)) / (count - 1));
}

/** Regions for one level: the whole frame for level 1, else square tiles of min(W,H)/level grown by the overlap. */
export function tileRegions(width: number, height: number, level: number, overlap: number): Region[] {
  if (level <= 1) return [{ x: 0, y: 0, w: width, h: height }];
  const side = Math.min(width, height, (Math.min(width, height) / level) * (1 + overlap));
  const out: Region[] = [];
  for (const y of positions(height, side, overlap)) {
    for (const x of positions(width, side, overlap)) out.push({ x, y, w: side, h: side });
  }
  return out;
}

/** A pyramid level: the image scaled by s. */
interface Scaled {
  img: CanvasImageSource;
  s: number;
}

type Source = CanvasImageSource & ({ width: number; height: number } | { videoWidth: number; videoHeight: number });

function sourceSize(src: Source): { width: number; height: number } {
  return 'videoWidth' in src
    ? { width: src.videoWidth, height: src.videoHeight }
    : { width: src.width, height: src.height };
}

/** A canvas with a CPU-side 2D context: its pixels are drawn from and read back every frame. */
function readableCanvas(): { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D } {
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('2D canvas is not available');
  return { canvas, ctx };
}

/**
 * How far (grid cells: 10 px at 640×480) a cached box's face may have moved since its tile ran and still count as
 * there; the rotation runs each tile again within 6 frames.
 */
const BOX_SHIFT_CELLS = 2;

export class TiledFaceFinder implements FaceFinder {
  private readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  /** Video: latest detections per rotating tile, with the frame time and the luma grid of the frame they came from. */
  private tileCache = new Map<string, { at: number; grid: LumaGrid | null; boxes: ScoredBox[]; gone: boolean }>();
  private nextTile = 0;
  /** Photos: second model whose raw detections join this one's before the final merge. */
  private companion: TiledFaceFinder | undefined;
  /** Reused canvases of the halvings pyramid. */
  private readonly halvings: HTMLCanvasElement[] = [];
  /** The pyramid of the latest video frame pass, while its halvings still hold that frame. */
  private framePyramid: { width: number; height: number; levels: Scaled[] } | null = null;
  /** Whether framePyramid holds a frame captured for the next detectVideoFrame (captureVideoFrame). */
  private captured = false;
  /** The latest video frame, copied once per frame pass (frameOf). */
  private frameCopy: { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D } | null = null;
  /** The latest video frame's luma grid (frameOf), and the small canvas it is drawn on. */
  private frameGrid: LumaGrid | null = null;
  private gridCanvas: { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D } | null = null;

  constructor(
    private readonly embedder: ImageEmbedder,
    private readonly spec: ModelSpec,
    private readonly minScore: number,
    readonly tuning: DetectorTuning,
  ) {
    ({ canvas: this.canvas, ctx: this.ctx } = readableCanvas());
    this.canvas.width = this.canvas.height = spec.inputSize;
  }

  /** The source and its successive halvings down to about the model input size (largest first). */
  private pyramid(src: CanvasImageSource, width: number, height: number): Scaled[] {
    const out: Scaled[] = [{ img: src, s: 1 }];
    if (!this.tuning.prefilter) return out;
    let [w, h] = [width, height];
    for (let i = 0; Math.max(w, h) / 2 >= this.spec.inputSize; i++) {
      const prev = out[out.length - 1]!;
      [w, h] = [Math.ceil(w / 2), Math.ceil(h / 2)];
      const c = (this.halvings[i] ??= document.createElement('canvas'));
      if (c.width !== w || c.height !== h) [c.width, c.height] = [w, h];
      const ctx = c.getContext('2d');
      if (!ctx) throw new Error('2D canvas is not available');
      ctx.drawImage(prev.img, 0, 0, w, h);
      out.push({ img: c, s: w / width });
    }
    return out;
  }

  /**
   * The video's current frame, copied into a canvas that the frame pass and its tiles then draw from. Each draw
   * from a <video> converts its whole frame again: 6–13 ms per draw against 0.3 ms from the copy (640×480,
   * Chromium, this 2-core machine, 2026-11-30), and a frame pass with its 4 tiles drew the video 5 times. Live,
   * one face, CPU profile of the main thread: drawImage 19.8 → 12.5 ms per frame.
   */
  private frameOf(video: HTMLVideoElement, width: number, height: number): HTMLCanvasElement {
    const { canvas, ctx } = (this.frameCopy ??= readableCanvas());
    if (canvas.width !== width || canvas.height !== height) [canvas.width, canvas.height] = [width, height];
    ctx.drawImage(video, 0, 0, width, height);
    this.frameGrid = Number.isFinite(this.tuning.videoBoxMaxChange) ? this.gridOf(canvas, width, height) : null;
    return canvas;
  }

  private gridOf(frame: HTMLCanvasElement, width: number, height: number): LumaGrid {
    const { canvas, ctx } = (this.gridCanvas ??= readableCanvas());
    const rows = gridRows(width, height);
    if (canvas.width !== GRID_COLUMNS || canvas.height !== rows) [canvas.width, canvas.height] = [GRID_COLUMNS, rows];
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(frame, 0, 0, GRID_COLUMNS, rows);
    return lumaGrid(ctx.getImageData(0, 0, GRID_COLUMNS, rows).data, GRID_COLUMNS, rows);
  }

  /** Whether the picture under a cached tile's box changed since the tile ran (DetectorTuning.videoBoxMaxChange). */
  private boxGone(box: Box, grid: LumaGrid | null, width: number, height: number): boolean {
    const now = this.frameGrid;
    if (!grid || !now) return false;
    return regionChange(grid, now, box, width, height, BOX_SHIFT_CELLS) > this.tuning.videoBoxMaxChange;
  }

  /** Runs the model on one region (letterboxed to the square input, top-left aligned) and returns boxes in source pixels. */
  private runRegion(levels: Scaled[], r: Region, frame?: { width: number; height: number }): ScoredBox[] {
    const size = this.spec.inputSize;
    const scale = size / Math.max(r.w, r.h);
    // The smallest pyramid level that is still at least as large as the region's scale.
    const from = levels.reduce((best, l) => (l.s >= scale && l.s < best.s ? l : best), levels[0]!);
    this.ctx.imageSmoothingQuality = this.tuning.smoothing;
    this.ctx.fillStyle = '#000';
    this.ctx.fillRect(0, 0, size, size);
    this.ctx.drawImage(
      from.img,
      r.x * from.s,
      r.y * from.s,
      r.w * from.s,
      r.h * from.s,
      0,
      0,
      r.w * scale,
      r.h * scale,
    );
    const [regressors, scores] = this.embedder.embed(this.canvas).embeddings.map((e) => e.floatEmbedding ?? []);
    if (!regressors || !scores) throw new Error('face model returned no tensors');
    const anchors = this.spec.anchors;
    const logit = Math.log(this.minScore / (1 - this.minScore));
    const out: ScoredBox[] = [];
    for (let i = 0; i < scores.length; i++) {
      const raw = Math.max(-100, Math.min(100, scores[i]!));
      if (raw < logit) continue;
      const o = i * 16;
      const cx = regressors[o]! / size + anchors[2 * i]!;
      const cy = regressors[o + 1]! / size + anchors[2 * i + 1]!;
      const w = regressors[o + 2]! / size;
      const h = regressors[o + 3]! / size;
      if (w <= 0 || h <= 0) continue;
      out.push({
        x: r.x + ((cx - w / 2) * size) / scale,
        y: r.y + ((cy - h / 2) * size) / scale,
        w: (w * size) / scale,
        h: (h * size) / scale,
        score: 1 / (1 + Math.exp(-raw)),
      });
    }
    // NMS per region first so each tile contributes one box per face to the cross-tile merge.
    const merged = weightedNms(out, this.tuning.nmsIou);
    if (!frame || !this.tuning.dropEdgeBoxes) return merged;
    const margin = 0.02 * Math.max(r.w, r.h);
    const inner = { l: r.x > 0.5, t: r.y > 0.5, r: r.x + r.w < frame.width - 0.5, b: r.y + r.h < frame.height - 0.5 };
    return merged.filter(
      (b) =>
        !(inner.l && b.x < r.x + margin) &&
        !(inner.t && b.y < r.y + margin) &&
        !(inner.r && b.x + b.w > r.x + r.w - margin) &&
        !(inner.b && b.y + b.h > r.y + r.h - margin),
    );
  }

  /** Scales boxes from BlazeFace's face extent to the head box used for crops and clamps them to the frame. */
  private finish(boxes: RawBox[], width: number, height: number): ScoredBox[] {
    const { boxScale, boxShiftY } = this.tuning;
    const kept = weightedNmsWithSupport(boxes, this.tuning.nmsIou).filter(
      (c) => c.support >= 2 || c.top.score >= c.top.single,
    );
    const merged = dropNested(
      kept.map((c) => c.box),
      this.tuning.nestedMaxInside,
    );
    return (this.tuning.centreInsideDrop ? dropCentreInside(merged) : merged).map((b) => {
      const cx = b.x + b.w / 2;
      const cy = b.y + b.h / 2 + boxShiftY * b.h;
      const x0 = Math.max(0, cx - (b.w * boxScale) / 2);
      const y0 = Math.max(0, cy - (b.h * boxScale) / 2);
      const x1 = Math.min(width, cx + (b.w * boxScale) / 2);
      const y1 = Math.min(height, cy + (b.h * boxScale) / 2);
      return { x: x0, y: y0, w: x1 - x0, h: y1 - y0, score: b.score };
    });
  }

  /** The regions a photo of this size is scanned with. */
  imageRegions(width: number, height: number): ImageRegion[] {
    const { imagePyramid, imageLevels, overlap, imageZoomOut, zoomOutMinFill } = this.tuning;
    const plan = imagePyramid
      ? scalePlan(width, height, imagePyramid)
      : imageLevels.flatMap((l) =>
          tileRegions(width, height, l, overlap).map((r) => ({ ...r, level: -l, whole: l <= 1 })),
        );
    const top = Math.max(...plan.map((r) => r.level));
    return [...plan, ...zoomOutRegions(width, height, imageZoomOut, top + 1, zoomOutMinFill)];
  }

  /** Photo detections of this model over its plan, before the final merge. */
  rawImage(src: HTMLCanvasElement | HTMLImageElement | ImageBitmap): RawBox[] {
    const frame = sourceSize(src);
    const regions = this.imageRegions(frame.width, frame.height);
    const { tileMaxFill } = this.tuning;
    // A photo draws its own halvings over the shared canvases.
    this.framePyramid = null;
    this.captured = false;
    const levels = this.pyramid(src, frame.width, frame.height);
    return this.tagged(
      regions.flatMap((r) => this.runRegion(levels, r, frame).filter((b) => keepRegionBox(b, r, tileMaxFill))),
    );
  }

  private tagged(boxes: ScoredBox[]): RawBox[] {
    return boxes.map((b) => ({ ...b, single: this.tuning.singleMinScore }));
  }

  detectImage(src: HTMLCanvasElement | HTMLImageElement | ImageBitmap): ScoredBox[] {
    const frame = sourceSize(src);
    const raw = [...this.rawImage(src), ...(this.companion?.rawImage(src) ?? [])];
    return this.finish(raw, frame.width, frame.height);
  }

  /**
   * Whole frame every call plus `videoTilesPerFrame` tiles in rotation; tile
   * results are reused until their tile comes round again (at most one
   * rotation or videoTileMaxAgeMs old), so the per-frame cost stays fixed.
   */
  detectVideo(video: HTMLVideoElement, timestampMs: number): ScoredBox[] {
    this.refreshVideoTiles(video, timestampMs);
    return this.detectVideoFrame(video, timestampMs);
  }

  detectVideoFrame(video: HTMLVideoElement, timestampMs: number): ScoredBox[] {
    const { width, height } = sourceSize(video);
    if (width === 0 || height === 0) return [];
    const { videoLevels, videoPyramid } = this.tuning;
    const wholeFrame = videoPyramid !== null || videoLevels.includes(1);
    let full: ScoredBox[] = [];
    if (wholeFrame) {
      const last = this.framePyramid;
      const levels =
        this.captured && last?.width === width && last.height === height
          ? last.levels
          : this.pyramid(this.frameOf(video, width, height), width, height);
      this.captured = false;
      this.framePyramid = { width, height, levels };
      full = this.runRegion(levels, { x: 0, y: 0, w: width, h: height }, { width, height });
    }
    const prefix = `${width}x${height}:`;
    const cached: ScoredBox[] = [];
    for (const [k, c] of this.tileCache) {
      if (!k.startsWith(prefix) || timestampMs - c.at > this.tuning.videoTileMaxAgeMs) continue;
      for (const b of c.boxes) {
        if (this.boxGone(b, c.grid, width, height)) c.gone = true;
        else cached.push(b);
      }
    }
    return this.finish(this.tagged([...full, ...cached]), width, height);
  }

  captureVideoFrame(video: HTMLVideoElement): void {
    const { width, height } = sourceSize(video);
    if (width === 0 || height === 0) return;
    this.framePyramid = { width, height, levels: this.pyramid(this.frameOf(video, width, height), width, height) };
    this.captured = true;
  }

  get videoTilesPerFrame(): number {
    return this.tuning.videoTilesPerFrame;
  }

  get lastVideoFrame(): HTMLCanvasElement | null {
    return this.frameCopy?.canvas ?? null;
  }

  refreshVideoTiles(video: HTMLVideoElement, timestampMs: number, count = this.tuning.videoTilesPerFrame): void {
    const { width, height } = sourceSize(video);
    if (width === 0 || height === 0) return;
    const { videoLevels, videoPyramid, overlap } = this.tuning;
    const tiles = videoPyramid
      ? scalePlan(width, height, videoPyramid).filter((r) => !r.whole)
      : videoLevels.filter((l) => l > 1).flatMap((l) => tileRegions(width, height, l, overlap));
    const key = (t: Region) => `${width}x${height}:${t.x},${t.y},${t.w}`;
    const keys = new Set(tiles.map(key));
    for (const k of this.tileCache.keys()) if (!keys.has(k)) this.tileCache.delete(k);
    if (tiles.length === 0) return;
    // The frame pass's copy and halvings (a frame old at most) serve the tiles: the live loop runs one tile per
    // task, and copying and halving the video again for every tile would redo that work 4 times per frame.
    const last = this.framePyramid;
    const levels =
      last?.width === width && last.height === height
        ? last.levels
        : this.pyramid(this.frameOf(video, width, height), width, height);
    // Tiles with a box whose face has gone (not shown since) go first, then the rotation.
    const n = tiles.length;
    const rotated = tiles.map((_, i) => tiles[(this.nextTile + i) % n]!);
    const run = rotated.filter((t) => this.tileCache.get(key(t))?.gone === true).slice(0, count);
    for (let i = 0; i < n && run.length < Math.min(count, n); i++) {
      const t = tiles[this.nextTile++ % n]!;
      if (!run.includes(t)) run.push(t);
    }
    for (const t of run)
      this.tileCache.set(key(t), {
        at: timestampMs,
        grid: this.frameGrid,
        boxes: this.runRegion(levels, t, { width, height }),
        gone: false,
      });
  }

  withCompanion(companion: TiledFaceFinder | undefined): this {
    this.companion = companion;
    return this;
  }

  close(): void {
    this.embedder.close();
    this.companion?.close();
    this.tileCache.clear();
  }
}

type WasmFileset = Awaited<ReturnType<typeof FilesetResolver.forVisionTasks>>;

async function wasmFileset(o: FaceDetectorOptions): Promise<WasmFileset> {
  if (!o.wasmUrl) return FilesetResolver.forVisionTasks(o.wasmBaseUrl);
  // As forVisionTasks decides, but with the URLs given.
  const name = (await FilesetResolver.isSimdSupported()) ? 'vision_wasm_internal' : 'vision_wasm_nosimd_internal';
  return { wasmLoaderPath: o.wasmUrl(`${name}.js`), wasmBinaryPath: o.wasmUrl(`${name}.wasm`) };
}

/** A BlazeFace model as a plain tensor runner: raw regressor and score outputs (see the module comment). */
export function createBlazeFaceEmbedder(
  fileset: WasmFileset,
  modelUrl: string,
  delegate: 'CPU' | 'GPU' = 'CPU',
): Promise<ImageEmbedder> {
  return ImageEmbedder.createFromOptions(fileset, {
    baseOptions: { modelAssetPath: modelUrl, delegate },
    runningMode: 'IMAGE',
    l2Normalize: false,
    quantize: false,
  });
}

async function createTiled(
  fileset: WasmFileset,
  model: DetectorModel,
  modelUrl: string,
  o: FaceDetectorOptions,
  tuning: Partial<DetectorTuning> | undefined,
  minScore: number | undefined,
): Promise<TiledFaceFinder> {
  const embedder = await createBlazeFaceEmbedder(fileset, modelUrl, o.delegate);
  const t = { ...DEFAULT_TUNING, ...MODEL_TUNING[model], ...tuning };
  const spec = MODELS[model]();
  warmUp(embedder, spec.inputSize);
  return new TiledFaceFinder(embedder, spec, minScore ?? MODEL_MIN_SCORE[model], t);
}

/**
 * One run on a blank input while the models load: MediaPipe's first run compiles its wasm functions on first
 * call and sets up its WebGL image path, which took the first camera frames ~1.3 s to get through (warm start,
 * click → video 0.15 s → first face 1.4 s, 2026-11-30) while the classifier worker was still loading anyway.
 */
function warmUp(embedder: ImageEmbedder, size: number): void {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, size, size);
  embedder.embed(canvas);
}

/**
 * A finder for `o.model` alone, to which `addPhotoCompanion` can attach `o.photoCompanion` later: the companion
 * is a second MediaPipe wasm instance (13 MB of wasm compiled again, its own heap) that only photos use.
 */
export async function createLiveFaceFinder(o: FaceDetectorOptions): Promise<TiledFaceFinder> {
  const fileset = await wasmFileset(o);
  return createTiled(fileset, o.model, o.modelUrl, o, o.tuning, o.minScore);
}

/** Loads `o.photoCompanion` and attaches it to `main` (from createLiveFaceFinder with the same options). */
export async function addPhotoCompanion(main: TiledFaceFinder, o: FaceDetectorOptions): Promise<FaceFinder> {
  const c = o.photoCompanion;
  if (!c) return main;
  const fileset = await wasmFileset(o);
  return main.withCompanion(await createTiled(fileset, c.model, c.modelUrl, o, c.tuning, undefined));
}

/** Both models at once (the eval harnesses); the app loads the companion on first photo instead. */
export async function createFaceFinder(o: FaceDetectorOptions): Promise<FaceFinder> {
  const fileset = await wasmFileset(o);
  const c = o.photoCompanion;
  const [companion, main] = await Promise.allSettled([
    c ? createTiled(fileset, c.model, c.modelUrl, o, c.tuning, undefined) : Promise.resolve(undefined),
    createTiled(fileset, o.model, o.modelUrl, o, o.tuning, o.minScore),
  ]);
  if (main.status === 'rejected') {
    if (companion.status === 'fulfilled') companion.value?.close();
    throw main.reason;
  }
  if (companion.status === 'rejected') {
    main.value.close();
    const why = companion.reason instanceof Error ? companion.reason.message : String(companion.reason);
    throw new Error(`its photo companion model ${c?.modelUrl.split('/').pop() ?? ''} failed to load: ${why}`);
  }
  return main.value.withCompanion(companion.value);
}
