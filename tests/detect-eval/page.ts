/** Eval page: runs a detection configuration over given scene files and returns boxes in photo pixels with timings. */
import { FilesetResolver } from '@mediapipe/tasks-vision';
import {
  createBlazeFaceEmbedder,
  createFaceFinder,
  TUNED_SHORT_MIN_SCORE,
  TUNED_SHORT_TUNING,
  type DetectorModel,
  type DetectorTuning,
} from '../../src/detect/faceDetector';
import type { ScoredBox } from '../../src/geometry/box';

export interface EvalRequest {
  model: DetectorModel;
  /** Omitted: the app's default. */
  minScore?: number;
  tuning: Partial<DetectorTuning>;
  /** The settings the app runs the fine-tuned short range with (TUNED_SHORT_MIN_SCORE, TUNED_SHORT_TUNING), under `tuning`. */
  appTuned?: boolean;
  mode: 'image' | 'video';
  /** Video mode: camera frame size the photo is letterboxed into. */
  frame?: [number, number];
  /** Image mode: a second model merged in (FaceDetectorOptions.photoCompanion). */
  companion?: { model: DetectorModel; tuning?: Partial<DetectorTuning> };
  /** Image mode: photo enlarged by this factor first (simulates larger photos of the same scenes); boxes mapped back. */
  upscale?: number;
  /** Video mode: consecutive frames fed per photo (enough for every rotating tile to run once). */
  frames?: number;
  files: string[];
  /** Image mode: per file, a crop of another photo scaled to `size` instead (the detect-zoom set of harness.mjs). */
  views?: ({ src: string; crop: [number, number, number, number]; size: [number, number]; sharp: boolean } | null)[];
}
export interface EvalImageResult {
  file: string;
  boxes: ScoredBox[];
  ms: number;
}

async function loadImage(file: string): Promise<HTMLImageElement> {
  const img = new Image();
  img.src = `/images/${encodeURIComponent(file)}`;
  await img.decode();
  return img;
}

async function run(req: EvalRequest): Promise<EvalImageResult[]> {
  const finder = await createFaceFinder({
    model: req.model,
    wasmBaseUrl: '/mp-wasm',
    modelUrl: `/models/face_detection_${req.model === 'short' ? 'short' : 'full'}_range.tflite`,
    ...(req.appTuned
      ? { minScore: req.minScore ?? TUNED_SHORT_MIN_SCORE, tuning: { ...TUNED_SHORT_TUNING, ...req.tuning } }
      : { ...(req.minScore !== undefined ? { minScore: req.minScore } : {}), tuning: req.tuning }),
    ...(req.companion
      ? { photoCompanion: { ...req.companion, modelUrl: `/models/face_detection_${req.companion.model}_range.tflite` } }
      : {}),
  });
  const results: EvalImageResult[] = [];
  try {
    // Warm-up so graph start and XNNPACK setup are not timed.
    finder.detectImage(await loadImage(req.views?.[0]?.src ?? req.files[0]!));
    for (const [i, file] of req.files.entries()) {
      const view = req.views?.[i];
      const img = await loadImage(view ? view.src : file);
      if (req.mode === 'image') {
        const u = req.upscale ?? 1;
        let src: HTMLImageElement | HTMLCanvasElement = img;
        if (view) {
          src = document.createElement('canvas');
          [src.width, src.height] = view.size;
          const c = src.getContext('2d')!;
          c.imageSmoothingQuality = 'high';
          c.imageSmoothingEnabled = !view.sharp;
          c.drawImage(img, ...view.crop, 0, 0, ...view.size);
        } else if (u !== 1) {
          src = document.createElement('canvas');
          src.width = Math.round(img.naturalWidth * u);
          src.height = Math.round(img.naturalHeight * u);
          const c = src.getContext('2d')!;
          c.imageSmoothingQuality = 'high';
          c.drawImage(img, 0, 0, src.width, src.height);
        }
        const t0 = performance.now();
        const boxes = finder.detectImage(src);
        const ms = performance.now() - t0;
        results.push({
          file,
          ms,
          boxes: boxes.map((b) => ({ x: b.x / u, y: b.y / u, w: b.w / u, h: b.h / u, score: b.score })),
        });
        continue;
      }
      // Video: the photo letterboxed into a camera-sized frame, fed as consecutive frames until every tile ran once.
      const [fw, fh] = req.frame ?? [640, 480];
      const canvas = document.createElement('canvas');
      canvas.width = fw;
      canvas.height = fh;
      const scale = Math.min(fw / img.naturalWidth, fh / img.naturalHeight);
      canvas.getContext('2d')!.drawImage(img, 0, 0, img.naturalWidth * scale, img.naturalHeight * scale);
      const video = Object.assign(canvas, { videoWidth: fw, videoHeight: fh }) as unknown as HTMLVideoElement;
      const frames = req.frames ?? 8;
      let boxes: ScoredBox[] = [];
      const t0 = performance.now();
      for (let f = 0; f < frames; f++) boxes = finder.detectVideo(video, results.length * 1000 + f * 33);
      const ms = (performance.now() - t0) / frames;
      results.push({
        file,
        ms,
        boxes: boxes.map((b) => ({ x: b.x / scale, y: b.y / scale, w: b.w / scale, h: b.h / scale, score: b.score })),
      });
    }
  } finally {
    finder.close();
  }
  return results;
}

export interface ProbeFace {
  file: string;
  /** Annotated box [x, y, w, h] in photo pixels. */
  bbox: [number, number, number, number];
}
export interface ProbeRequest {
  model: DetectorModel;
  minScore: number;
  /** Window side as a multiple of the face's longer side. */
  ratios: number[];
  faces: ProbeFace[];
}
/** Per face and ratio: score of the best detection matching the face (IoU >= minIou), 0 when none. */
export interface ProbeResult {
  scores: number[][];
  ms: number;
}

/**
 * Scale probe: for each face and each ratio k, a square window of side k x face side around the face (offset
 * pseudo-randomly, the face kept inside, black outside the photo) is run through the model as one region.
 * Tells at which face-to-input ratios a model finds faces, which is what the tile pyramid is built from.
 */
async function probe(req: ProbeRequest & { minIou: number }): Promise<ProbeResult> {
  const finder = await createFaceFinder({
    model: req.model,
    wasmBaseUrl: '/mp-wasm',
    modelUrl: `/models/face_detection_${req.model === 'short' ? 'short' : 'full'}_range.tflite`,
    minScore: req.minScore,
    tuning: { imageLevels: [1] },
  });
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d')!;
  const scores: number[][] = [];
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const t0 = performance.now();
  let img: HTMLImageElement | undefined;
  let imgFile = '';
  try {
    for (const f of req.faces) {
      if (imgFile !== f.file) [img, imgFile] = [await loadImage(f.file), f.file];
      const [x, y, w, h] = f.bbox;
      const side = Math.max(w, h);
      const row: number[] = [];
      for (const k of req.ratios) {
        const s = Math.round(side * k);
        const cx = x + w / 2 + (rand() - 0.5) * (s - side) * 0.8;
        const cy = y + h / 2 + (rand() - 0.5) * (s - side) * 0.8;
        const wx = cx - s / 2;
        const wy = cy - s / 2;
        canvas.width = canvas.height = s;
        ctx.fillStyle = '#000';
        ctx.fillRect(0, 0, s, s);
        ctx.drawImage(img!, -wx, -wy);
        const boxes = finder.detectImage(canvas);
        let best = 0;
        for (const b of boxes) {
          const ix = Math.max(0, Math.min(b.x + b.w, x - wx + w) - Math.max(b.x, x - wx));
          const iy = Math.max(0, Math.min(b.y + b.h, y - wy + h) - Math.max(b.y, y - wy));
          const v = (ix * iy) / (b.w * b.h + w * h - ix * iy);
          if (v >= req.minIou) best = Math.max(best, b.score);
        }
        row.push(best);
      }
      scores.push(row);
    }
  } finally {
    finder.close();
  }
  return { scores, ms: performance.now() - t0 };
}

/** The model's raw outputs (as the app's detector gets them) for an image already at the model's input size. */
export interface RawOutputs {
  regressors: number[];
  scores: number[];
}

/**
 * Runs a model once, through src/detect/faceDetector.ts's createBlazeFaceEmbedder, on an image
 * file of exactly the input size (a lossless PNG, drawn without scaling): what tests/e2e/face-model.test.mjs
 * compares with PyTorch's outputs for the same pixels.
 */
async function raw(req: { model: DetectorModel; file: string }): Promise<RawOutputs> {
  const fileset = await FilesetResolver.forVisionTasks('/mp-wasm');
  const embedder = await createBlazeFaceEmbedder(fileset, `/models/face_detection_${req.model}_range.tflite`);
  try {
    const img = await loadImage(req.file);
    const canvas = document.createElement('canvas');
    [canvas.width, canvas.height] = [img.naturalWidth, img.naturalHeight];
    canvas.getContext('2d')!.drawImage(img, 0, 0);
    const [regressors, scores] = embedder.embed(canvas).embeddings.map((e) => Array.from(e.floatEmbedding ?? []));
    return { regressors: regressors ?? [], scores: scores ?? [] };
  } finally {
    embedder.close();
  }
}

Object.assign(window, { detectEval: { run, probe, raw } });
