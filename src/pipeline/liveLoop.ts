// The live pipeline, one video frame at a time: detect (main thread) → track → classify (worker, at a
// bounded rate, never awaited by the frame loop) → events. Drawing is left to the screen.
import { ClassifierStoppedError, type ClassifierClient } from '../classify/classifierClient';
import { cropFaces } from '../classify/cropImage';
import { predictionAt } from '../classify/prediction';
import type { FaceFinder } from '../detect/faceDetector';
import { Tracker, type TrackEvent, type TrackView } from '../track/tracker';
import { errorText } from '../errorText';

/** Each face is re-classified at most this often. */
export const RECLASSIFY_MS = 400;
/** At most this many faces go to the worker in one batch. */
export const MAX_BATCH = 6;

export interface LiveFrame {
  /** The frame's timestamp; tracks with lastSeen === timestamp are the faces in this frame. */
  timestamp: number;
  tracks: TrackView[];
  width: number;
  height: number;
  detectFps: number;
  detectMs: number;
}

export interface LiveLoopHandlers {
  onFrame(frame: LiveFrame): void;
  onEvents(events: TrackEvent[]): void;
  onError(message: string): void;
}

export class LiveLoop {
  /** Latest crop per track, kept only when thumbnails are on (privacy: off by default). */
  keepCrops = false;
  private readonly crops = new Map<number, Uint8ClampedArray>();
  private running = false;
  private readonly tracker = new Tracker();
  private lastTs = 0;
  private fps = 0;
  private frameHandle = 0;

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly finder: FaceFinder,
    private readonly classifier: ClassifierClient,
    private readonly inputSize: number,
    private readonly handlers: LiveLoopHandlers,
  ) {}

  start(): void {
    this.running = true;
    this.schedule();
  }

  /** Stops the loop and returns the events of the faces still in view. */
  stop(): void {
    this.running = false;
    // Cancel with the scheduler that made the handle: the two number their handles independently.
    if ('cancelVideoFrameCallback' in this.video) this.video.cancelVideoFrameCallback(this.frameHandle);
    else cancelAnimationFrame(this.frameHandle);
    const events = this.tracker.flush();
    if (events.length) this.handlers.onEvents(events);
  }

  /** The latest face crop of a track (size x size RGBA), handed over once. */
  takeCrop(trackId: number): Uint8ClampedArray | null {
    const crop = this.crops.get(trackId) ?? null;
    this.crops.delete(trackId);
    return crop;
  }

  private schedule(): void {
    if (!this.running) return;
    // requestVideoFrameCallback fires once per new camera frame, so no frame is analysed twice.
    if ('requestVideoFrameCallback' in this.video) {
      this.frameHandle = this.video.requestVideoFrameCallback(() => this.tick());
    } else {
      this.frameHandle = requestAnimationFrame(() => this.tick());
    }
  }

  private tick(): void {
    if (!this.running) return;
    const video = this.video;
    const width = video.videoWidth;
    const height = video.videoHeight;
    if (width > 0 && height > 0 && video.readyState >= 2) {
      // MediaPipe's VIDEO mode needs strictly increasing timestamps.
      const now = Math.max(performance.now(), this.lastTs + 1);
      const dt = now - this.lastTs;
      this.lastTs = now;
      this.fps = this.fps === 0 ? 1000 / dt : this.fps * 0.9 + (1000 / dt) * 0.1;
      try {
        const t0 = performance.now();
        const boxes = this.finder.detectVideo(video, now);
        const detectMs = performance.now() - t0;
        const events = this.tracker.update(now, boxes);
        if (events.length) this.handlers.onEvents(events);
        this.classifyDue(now, width, height);
        this.handlers.onFrame({ timestamp: now, tracks: this.tracker.activeTracks, width, height, detectFps: this.fps, detectMs });
      } catch (e) {
        this.handlers.onError(`Face detection failed: ${errorText(e)}`);
      }
    }
    this.schedule();
  }

  private rememberCrops(tracks: TrackView[], rgba: ArrayBuffer): void {
    const bytes = this.inputSize * this.inputSize * 4;
    tracks.forEach((t, i) => this.crops.set(t.id, new Uint8ClampedArray(rgba.slice(i * bytes, (i + 1) * bytes))));
    // Forget crops of tracks that ended without an event (never classified, or already logged).
    const live = new Set(this.tracker.activeTracks.map((t) => t.id));
    for (const id of this.crops.keys()) if (!live.has(id)) this.crops.delete(id);
  }

  private classifyDue(now: number, width: number, height: number): void {
    if (this.classifier.busy) return;
    const due = this.tracker.dueForClassification(now, RECLASSIFY_MS, MAX_BATCH);
    if (due.length === 0) return;
    const rgba = cropFaces(this.video, width, height, due.map((t) => t.box), this.inputSize);
    if (this.keepCrops) this.rememberCrops(due, rgba);
    this.classifier.classify(rgba, this.inputSize, due.length).then(
      (probs) => due.forEach((t, i) => this.tracker.addProbs(t.id, predictionAt(probs, i).probs, now)),
      // A failed batch is retried for those faces after RECLASSIFY_MS; say why. A stopped worker is not
      // this loop's to report: the model holder says it is restarting (or gave up).
      (e: unknown) => {
        if (!(e instanceof ClassifierStoppedError)) this.handlers.onError(`Classification failed: ${errorText(e)}`);
      },
    );
  }
}
