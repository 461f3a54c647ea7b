// Entry of the bench page: exposes window.bench for bench/run.mjs (driven through playwright-core).
import { createFaceFinder, TUNED_SHORT_MIN_SCORE, TUNED_SHORT_TUNING } from '../../src/detect/faceDetector';
import { APP_DETECTOR_MODELS, ORT_WASM } from '../../src/servedFiles';
import type { ClassifierJob, ClassifierResult, DetectJob, DetectResult, FromClassifierWorker } from './protocol';

const origin = location.origin;

function classify(job: Omit<ClassifierJob, 'wasmPaths' | 'modelUrl'> & { model: string }): Promise<ClassifierResult> {
  const worker = new Worker(new URL('./classifier.worker.ts', import.meta.url), { type: 'module' });
  const full: ClassifierJob = {
    ...job,
    modelUrl: `${origin}/models/${job.model}`,
    // The build the app loads for this backend (src/servedFiles.ts): WASM rows time the plain build.
    wasmPaths: {
      mjs: `${origin}/${ORT_WASM[job.backend].mjs}`,
      wasm: `${origin}/${ORT_WASM[job.backend].wasm}`,
    },
  };
  return new Promise<ClassifierResult>((resolve, reject) => {
    let latest: ClassifierResult | null = null;
    const finish = (r: ClassifierResult | null, error?: string) => {
      clearTimeout(timer);
      worker.terminate();
      if (r) resolve(r);
      else reject(new Error(error ?? 'no result'));
    };
    // A cell that times out before its session is ready has nothing to show: that is its error.
    const timer = setTimeout(
      () =>
        finish(
          latest && { ...latest, timedOut: true },
          `no session within the cell's ${(job.timeoutMs / 1000).toFixed(0)} s limit`,
        ),
      job.timeoutMs,
    );
    worker.onmessage = (e: MessageEvent<FromClassifierWorker>) => {
      if ('error' in e.data) return finish(null, e.data.error);
      latest = e.data.result;
      if (e.data.done) finish(latest);
    };
    worker.onerror = (e) => finish(null, e.message);
    worker.postMessage(full);
  });
}

async function detect(job: DetectJob): Promise<DetectResult> {
  const img = new Image();
  img.src = job.photo;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = 640;
  canvas.height = 480;
  const ctx = canvas.getContext('2d')!;
  const t0 = performance.now();
  // The file and settings the app runs for this model (src/pipeline/models.ts).
  const finder = await createFaceFinder({
    model: job.model,
    wasmBaseUrl: `${origin}/mediapipe`,
    modelUrl: `${origin}/${APP_DETECTOR_MODELS[job.model]}`,
    ...(job.model === 'short' ? { minScore: TUNED_SHORT_MIN_SCORE, tuning: TUNED_SHORT_TUNING } : {}),
  });
  const createMs = performance.now() - t0;
  // Cover-fit the photo, 10% wider than the frame, and pan across it so no two frames are identical.
  const scale = Math.max((640 * 1.1) / img.width, 480 / img.height);
  const w = img.width * scale;
  const h = img.height * scale;
  const times: number[] = [];
  const faces: number[] = [];
  for (let i = 0; i < job.warmup + job.frames; i++) {
    ctx.fillStyle = '#303030';
    ctx.fillRect(0, 0, 640, 480);
    ctx.drawImage(img, -(w - 640) * (0.5 + 0.5 * Math.sin(i / 5)), (480 - h) / 2, w, h);
    const d0 = performance.now();
    // detectVideo reads only width/height and drawImage from its source, so a canvas stands in for the video.
    const boxes = finder.detectVideo(canvas as unknown as HTMLVideoElement, d0);
    if (i >= job.warmup) {
      times.push(performance.now() - d0);
      faces.push(boxes.length);
    }
  }
  finder.close();
  return { model: job.model, createMs, times, faces };
}

declare global {
  interface Window {
    bench: { classify: typeof classify; detect: typeof detect; ready: true };
  }
}
window.bench = { classify, detect, ready: true };
