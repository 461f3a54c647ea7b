/** Eval page: runs a detection configuration over given scene files and returns boxes in photo pixels with timings. */
import { createFaceFinder, type DetectorModel, type DetectorTuning } from '../../src/detect/faceDetector';
import type { ScoredBox } from '../../src/geometry/box';

export interface EvalRequest {
  model: DetectorModel;
  minScore: number;
  tuning: Partial<DetectorTuning>;
  mode: 'image' | 'video';
  /** Video mode: camera frame size the photo is letterboxed into. */
  frame?: [number, number];
  files: string[];
}
export interface EvalImageResult {
  file: string;
  boxes: ScoredBox[];
  ms: number;
}

async function loadImage(file: string): Promise<HTMLImageElement> {
  const img = new Image();
  img.src = `/scenes/${encodeURIComponent(file)}`;
  await img.decode();
  return img;
}

async function run(req: EvalRequest): Promise<EvalImageResult[]> {
  const finder = await createFaceFinder({
    model: req.model,
    wasmBaseUrl: '/mp-wasm',
    modelUrl: `/models/face_detection_${req.model === 'short' ? 'short' : 'full'}_range.tflite`,
    minScore: req.minScore,
    tuning: req.tuning,
  });
  const results: EvalImageResult[] = [];
  try {
    // Warm-up so graph start and XNNPACK setup are not timed.
    finder.detectImage(await loadImage(req.files[0]!));
    for (const file of req.files) {
      const img = await loadImage(file);
      if (req.mode === 'image') {
        const t0 = performance.now();
        const boxes = finder.detectImage(img);
        results.push({ file, boxes, ms: performance.now() - t0 });
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
      const frames = 8;
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

Object.assign(window, { detectEval: { run } });
