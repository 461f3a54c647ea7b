// The live pipeline, one video frame at a time: detect (main thread) → track → classify (worker, at a
// bounded rate, never awaited by the frame loop) → events, which go to the sink (the log, built by App)
// with the camera's name and, when thumbnails are on, each face's latest crop. Drawing is left to the
// screen, which also hears of each event (entrance counters).
import { ClassifierStoppedError, type ClassifierClient } from '../classify/classifierClient';
import { cropFaces } from '../classify/cropImage';
import { predictionAt } from '../classify/prediction';
import type { FaceFinder } from '../detect/faceDetector';
import { batchCap } from '../track/schedule';
import { Tracker, type TrackEvent, type TrackView } from '../track/tracker';
import { errorText } from '../errorText';

/**
 * A User Timing measure per face, from its first detection to its first label (read by `npm run bench` as
 * labelLatencyMs). Cleared at once, so a long session keeps no timeline entries; observers still get it.
 */
export const LABEL_LATENCY_MEASURE = 'maskgate:label-latency';
/**
 * A User Timing measure per analysed frame: starts when the frame is copied, lasts as long as the main thread
 * worked on it (the copy in the frame callback plus its analysis task, not the wait between). Read by
 * `npm run bench` as the live loop's work per frame; cleared at once like the label latency.
 */
export const FRAME_WORK_MEASURE = 'maskgate:frame-work';

/** Each face is re-classified at most this often. */
export const RECLASSIFY_MS = 400;
/** At most this many faces go to the worker in one batch… */
export const MAX_BATCH = 6;
/**
 * …and no more than fit in about this much worker time (measured per face), so a face that appears while a
 * batch runs waits at most this long for its own: 150 ms leaves most of the 500 ms a label should take.
 */
export const BATCH_BUDGET_MS = 150;

export interface LiveFrame {
  /** The frame's timestamp; tracks with lastSeen === timestamp are the faces in this frame. */
  timestamp: number;
  tracks: TrackView[];
  width: number;
  height: number;
  detectFps: number;
  detectMs: number;
}

/** Face crops (RGBA, inputSize x inputSize) by track id. */
export type EventCrops = ReadonlyMap<number, Uint8ClampedArray>;
/** The classifier (id, version) that gave each track its latest result, by track id. */
export type EventModels = ReadonlyMap<number, { id: string; version: string }>;

/** Where each person's event goes once final. App builds it from src/log. */
export interface EventSink {
  /** Whether crops are wanted for thumbnails; read on every batch (privacy: off by default). */
  readonly wantsCrops: boolean;
  record(
    events: readonly TrackEvent[],
    source: { camera: string; crops: EventCrops; cropSize: number; labelledBy: EventModels },
  ): void;
}

export interface LiveLoopSetup {
  video: HTMLVideoElement;
  finder: FaceFinder;
  classifier: ClassifierClient;
  /** The classifier's input size: crops are made at this size. */
  inputSize: number;
  /** The camera's name as the browser reports it, logged with each event. */
  camera: string;
  sink: EventSink;
}

export interface LiveLoopHandlers {
  onFrame(frame: LiveFrame): void;
  onEvents(events: readonly TrackEvent[]): void;
  onError(message: string): void;
}

export class LiveLoop {
  /** Latest crop per track, kept only while the sink wants them. */
  private readonly crops = new Map<number, Uint8ClampedArray>();
  /** Which classifier gave each live track its latest result (the choice can change mid-run). */
  private readonly labelledBy = new Map<number, { id: string; version: string }>();
  private running = false;
  private readonly tracker = new Tracker();
  private lastTs = 0;
  /** A frame is copied and its analysis task not yet run. */
  private analysisPending = false;
  private fps = 0;
  private frameHandle = 0;
  /** Measured time per face of a classified batch (request to answer), smoothed; null before the first. */
  private msPerFace: number | null = null;
  /** Whether the rotating tiles' task is queued, and how long it last took (ms). */
  private tilesPending = false;
  private tilesMs = 0;
  /** The latest frame given to onFrame: shown again, with the new labels, when a face gets its first one. */
  private lastFrame: LiveFrame | null = null;

  private readonly video: HTMLVideoElement;

  constructor(
    private readonly setup: LiveLoopSetup,
    private readonly handlers: LiveLoopHandlers,
  ) {
    this.video = setup.video;
  }

  start(): void {
    this.running = true;
    this.schedule();
  }

  /** Stops the loop; the faces still in view become events (a person is logged even when cut short). */
  stop(): void {
    this.running = false;
    // Cancel with the scheduler that made the handle: the two number their handles independently.
    if ('cancelVideoFrameCallback' in this.video) this.video.cancelVideoFrameCallback(this.frameHandle);
    else cancelAnimationFrame(this.frameHandle);
    this.emit(this.tracker.flush());
  }

  /** Hands final events, with their crops (each given once), to the sink, then to the screen. */
  private emit(events: readonly TrackEvent[]): void {
    if (events.length === 0) return;
    const crops = new Map<number, Uint8ClampedArray>();
    const labelledBy = new Map<number, { id: string; version: string }>();
    for (const e of events) {
      const crop = this.crops.get(e.trackId);
      this.crops.delete(e.trackId);
      if (crop) crops.set(e.trackId, crop);
      const model = this.labelledBy.get(e.trackId);
      this.labelledBy.delete(e.trackId);
      if (model) labelledBy.set(e.trackId, model);
    }
    this.setup.sink.record(events, {
      camera: this.setup.camera,
      crops,
      cropSize: this.setup.inputSize,
      labelledBy,
    });
    this.handlers.onEvents(events);
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

  /**
   * The frame callback only copies the frame; detection and the rest run in a task of their own. The frame
   * callback's task also paints, and copy + detection + paint in one task went over 50 ms 17 times in 40 s with
   * the 6-face clip (copy 7 ms median, up to 44; detection 9 ms, up to 80; 2026-11-30 probe). A frame that comes
   * while the last one still waits for its task is skipped: the copy is the one the waiting detection will read.
   */
  private tick(): void {
    if (!this.running) return;
    const video = this.video;
    const width = video.videoWidth;
    const height = video.videoHeight;
    if (!this.analysisPending && width > 0 && height > 0 && video.readyState >= 2) {
      // MediaPipe's VIDEO mode needs strictly increasing timestamps.
      const now = Math.max(performance.now(), this.lastTs + 1);
      const dt = now - this.lastTs;
      this.lastTs = now;
      this.fps = this.fps === 0 ? 1000 / dt : this.fps * 0.9 + (1000 / dt) * 0.1;
      try {
        this.setup.finder.captureVideoFrame(video);
        const copyMs = performance.now() - now;
        this.analysisPending = true;
        setTimeout(() => {
          this.analysisPending = false;
          if (this.running) this.analyse(now, width, height, copyMs);
        }, 0);
      } catch (e) {
        this.handlers.onError(`Face detection failed: ${errorText(e)}`);
      }
    }
    this.schedule();
  }

  /** Detection on the frame copied at `now`, then tracking, classification requests and the screen's frame. */
  private analyse(now: number, width: number, height: number, copyMs: number): void {
    try {
      const t0 = performance.now();
      const boxes = this.setup.finder.detectVideoFrame(this.video, now);
      const detectMs = copyMs + performance.now() - t0 + this.tilesMs;
      this.refreshTilesSoon();
      this.emit(this.tracker.update(now, boxes));
      this.classifyDue(now, width, height);
      this.lastFrame = {
        timestamp: now,
        tracks: this.tracker.activeTracks,
        width,
        height,
        detectFps: this.fps,
        detectMs,
      };
      this.handlers.onFrame(this.lastFrame);
      performance.measure(FRAME_WORK_MEASURE, { start: now, duration: copyMs + performance.now() - t0 });
      performance.clearMeasures(FRAME_WORK_MEASURE);
    } catch (e) {
      this.handlers.onError(`Face detection failed: ${errorText(e)}`);
    }
  }

  /**
   * The rotating tiles run after the frame's task, one tile per task: whole frame and 4 tiles in one task took
   * 46–53 ms per 640×480 frame under load (2026-11-29), and the 4 tiles in one task of their own still 53–131 ms
   * in a trace of the idle bench's 3-face clip (2026-11-30); a main-thread task over 50 ms holds up input and
   * rendering. Their results join the next frame's boxes.
   */
  private refreshTilesSoon(): void {
    if (this.tilesPending) return;
    this.tilesPending = true;
    let left = this.setup.finder.videoTilesPerFrame;
    let spent = 0;
    const next = () => {
      const video = this.video;
      if (!this.running || video.readyState < 2 || left <= 0) {
        this.tilesPending = false;
        this.tilesMs = spent;
        return;
      }
      const t0 = performance.now();
      try {
        this.setup.finder.refreshVideoTiles(video, Math.max(t0, this.lastTs), 1);
      } catch (e) {
        left = 0;
        this.handlers.onError(`Face detection failed: ${errorText(e)}`);
      }
      spent += performance.now() - t0;
      left--;
      setTimeout(next, 0);
    };
    setTimeout(next, 0);
  }

  private rememberCrops(tracks: TrackView[], rgba: ArrayBuffer): void {
    const bytes = this.setup.inputSize * this.setup.inputSize * 4;
    tracks.forEach((t, i) => this.crops.set(t.id, new Uint8ClampedArray(rgba.slice(i * bytes, (i + 1) * bytes))));
    // Forget crops of tracks that ended without an event (never classified, or already logged).
    const live = new Set(this.tracker.activeTracks.map((t) => t.id));
    for (const id of this.crops.keys()) if (!live.has(id)) this.crops.delete(id);
  }

  private classifyDue(now: number, width: number, height: number): void {
    const { classifier, inputSize, sink } = this.setup;
    if (classifier.busy) return;
    const cap = batchCap(this.msPerFace, BATCH_BUDGET_MS, MAX_BATCH);
    const due = this.tracker.dueForClassification(now, RECLASSIFY_MS, cap);
    if (due.length === 0) return;
    // From the frame the boxes were found in (the detector's copy): drawing from the <video> would convert a
    // whole frame again, and one that may already be newer than the boxes.
    const rgba = cropFaces(
      this.setup.finder.lastVideoFrame ?? this.video,
      width,
      height,
      due.map((t) => t.box),
      inputSize,
    );
    if (sink.wantsCrops) this.rememberCrops(due, rgba);
    else this.crops.clear();
    const sent = performance.now();
    classifier.classify(rgba, inputSize, due.length).then(
      (probs) => {
        const perFace = (performance.now() - sent) / due.length;
        this.msPerFace = this.msPerFace === null ? perFace : this.msPerFace * 0.7 + perFace * 0.3;
        due.forEach((t, i) => this.tracker.addProbs(t.id, predictionAt(probs, i).probs, now));
        const labelled = performance.now();
        let firstLabels = false;
        for (const t of due) {
          // `t` is the track as it was when asked: no result then means this is its first label.
          if (t.classifications > 0 || !this.tracker.activeTracks.some((a) => a.id === t.id)) continue;
          firstLabels = true;
          performance.measure(LABEL_LATENCY_MEASURE, { start: t.firstSeen, end: labelled });
          performance.clearMeasures(LABEL_LATENCY_MEASURE);
        }
        // A first label is shown now, on the last frame's boxes, not with the next frame: that comes a frame
        // interval plus a detection later (15 fps camera, 40–80 ms detection: 100–150 ms).
        if (firstLabels && this.running && this.lastFrame)
          this.handlers.onFrame({ ...this.lastFrame, tracks: this.tracker.activeTracks });
        const model = classifier.model;
        if (model) for (const t of due) this.labelledBy.set(t.id, { id: model.id, version: model.version });
        const live = new Set(this.tracker.activeTracks.map((t) => t.id));
        for (const id of this.labelledBy.keys()) if (!live.has(id)) this.labelledBy.delete(id);
      },
      // A failed batch is retried for those faces after RECLASSIFY_MS; say why. A stopped worker is not
      // this loop's to report: the model holder says it is restarting (or gave up).
      (e: unknown) => {
        if (!(e instanceof ClassifierStoppedError)) this.handlers.onError(`Classification failed: ${errorText(e)}`);
      },
    );
  }
}
