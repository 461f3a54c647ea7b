import type { MaskClass, Probs } from '../classify/classes';
import { centreDistance, iou, type Box, type ScoredBox } from '../geometry/box';
import { pickForClassification } from './schedule';
import { ClassSmoother, type SmootherOptions } from './smoother';

export interface TrackerOptions extends SmootherOptions {
  /** A track survives this long without a matching detection. */
  memoryMs: number;
  /** A track still in view is logged once it is this old… */
  settleMs: number;
  /** …and has at least this many classification results, with no class switch pending. */
  settleMinResults: number;
  /** Minimum IoU (track's predicted box vs detection) for an overlap match. */
  minIou: number;
  /** Fallback match when boxes do not overlap enough: centre distance below this × box size. */
  maxCentreDistance: number;
  /** A track seen in fewer frames than this is never logged: a box that flickers for a frame or two is no person. */
  minFrames: number;
}

export const DEFAULT_TRACKER_OPTIONS: TrackerOptions = {
  memoryMs: 1000,
  settleMs: 3000,
  settleMinResults: 3,
  minIou: 0.3,
  maxCentreDistance: 0.6,
  // In the 6-face bench clip, a box seen in one frame as the faces left was classified and logged as a person
  // (2026-11-30 probe); a person at a door is in view for seconds, dozens of frames.
  minFrames: 3,
  alpha: 0.35,
  switchMargin: 0.15,
  switchCount: 2,
};

/** Read-only snapshot of a live track. */
export interface TrackView {
  id: number;
  box: Box;
  firstSeen: number;
  lastSeen: number;
  /** Hysteresis-filtered class; null until the first classification result. */
  label: MaskClass | null;
  /** Smoothed probability of `label`. */
  confidence: number;
  classifications: number;
  /** True once this track's event has been emitted. */
  logged: boolean;
}

/** One person seen: emitted once per classified track. */
export interface TrackEvent {
  trackId: number;
  label: MaskClass;
  /** Mean probability of `label` over all of the track's results up to the event. */
  confidence: number;
  firstSeen: number;
  lastSeen: number;
  classifications: number;
  /** 'settled': still in view after settleMs; 'ended': left view (unseen longer than memoryMs). */
  reason: 'settled' | 'ended';
}

interface Track {
  id: number;
  box: Box;
  /** Centre velocity in px/ms, smoothed, used to predict where the face is next. */
  vx: number;
  vy: number;
  firstSeen: number;
  lastSeen: number;
  /** Frames with a detection matched to this track (its first included). */
  frames: number;
  smoother: ClassSmoother;
  lastResultAt: number;
  requestedAt: number | null;
  logged: boolean;
}

const VELOCITY_ALPHA = 0.5;
/** Centre-distance fallback only between boxes of similar size. */
const MAX_SCALE_RATIO = 2;

/**
 * Light multi-face tracker: greedy matching of detections to tracks (IoU of the
 * motion-predicted box, then centre distance), short memory, per-track class
 * smoothing, and one log event per person.
 *
 * Logging policy: a track's event is emitted exactly once — when the track ends,
 * or earlier when it has been in view for `settleMs` with a stable label (so a
 * person lingering at the door is logged without waiting for them to leave).
 * A class change after the event is shown live (`TrackView.label`) but not
 * logged again: the log counts people, and one person must count once.
 */
export class Tracker {
  readonly options: TrackerOptions;
  private tracks: Track[] = [];
  private nextId = 1;
  private lastFrameMs = -Infinity;

  constructor(options: Partial<TrackerOptions> = {}) {
    this.options = { ...DEFAULT_TRACKER_OPTIONS, ...options };
  }

  /** Feeds one frame's detections; returns the events that became final. */
  update(timestampMs: number, detections: readonly ScoredBox[]): TrackEvent[] {
    this.lastFrameMs = timestampMs;
    const matchedTracks = new Set<Track>();
    const matchedDetections = new Set<number>();
    for (const { track, detection } of this.match(timestampMs, detections)) {
      const det = detections[detection];
      if (!det) continue;
      matchedTracks.add(track);
      matchedDetections.add(detection);
      this.moveTrack(track, det, timestampMs);
    }
    detections.forEach((det, i) => {
      if (!matchedDetections.has(i)) this.tracks.push(this.newTrack(det, timestampMs));
    });

    const events: TrackEvent[] = [];
    this.tracks = this.tracks.filter((track) => {
      if (timestampMs - track.lastSeen > this.options.memoryMs) {
        const event = this.finish(track, 'ended');
        if (event) events.push(event);
        return false;
      }
      if (this.isSettled(track, timestampMs)) {
        const event = this.finish(track, 'settled');
        if (event) events.push(event);
      }
      return true;
    });
    return events;
  }

  /**
   * Records a classification result for a track. Results for tracks that have
   * already ended, or older than the track's latest result, are ignored.
   */
  addProbs(trackId: number, probs: Probs, timestampMs: number): void {
    const track = this.tracks.find((t) => t.id === trackId);
    if (!track || timestampMs < track.lastResultAt) return;
    if (!probs.every((p) => Number.isFinite(p))) return;
    track.lastResultAt = timestampMs;
    track.smoother.add(probs);
  }

  /**
   * Tracks visible in the latest frame whose last classification request is at least `minIntervalMs`
   * old, at most `max` of them, new faces first (src/track/schedule.ts): no result yet, then labels not
   * settled, then stable labels, the longest-waiting first. The returned tracks are marked as requested
   * at `nowMs`, so a lost result is retried after `minIntervalMs`.
   */
  dueForClassification(nowMs: number, minIntervalMs: number, max = Infinity): TrackView[] {
    const visible = this.tracks
      .filter((t) => t.lastSeen === this.lastFrameMs)
      .map((track) => ({
        track,
        id: track.id,
        firstSeen: track.firstSeen,
        requestedAt: track.requestedAt,
        results: track.smoother.count,
        unsettled: track.smoother.count < this.options.settleMinResults || track.smoother.switching,
      }));
    const due = pickForClassification(visible, nowMs, minIntervalMs, max).map((c) => c.track);
    for (const track of due) track.requestedAt = nowMs;
    return due.map(view);
  }

  /** Live tracks, including those briefly unseen. */
  get activeTracks(): TrackView[] {
    return this.tracks.map(view);
  }

  /** Ends every track (camera stopped, page hidden) and returns their pending events. */
  flush(): TrackEvent[] {
    const events = this.tracks.flatMap((t) => this.finish(t, 'ended') ?? []);
    this.tracks = [];
    return events;
  }

  private match(timestampMs: number, detections: readonly ScoredBox[]) {
    const pairs: { track: Track; detection: number; score: number }[] = [];
    for (const track of this.tracks) {
      const predicted = predict(track, timestampMs);
      detections.forEach((det, detection) => {
        const score = this.matchScore(predicted, det);
        if (score > 0) pairs.push({ track, detection, score });
      });
    }
    pairs.sort((a, b) => b.score - a.score);
    const usedTracks = new Set<Track>();
    const usedDetections = new Set<number>();
    const matches: typeof pairs = [];
    for (const pair of pairs) {
      if (usedTracks.has(pair.track) || usedDetections.has(pair.detection)) continue;
      usedTracks.add(pair.track);
      usedDetections.add(pair.detection);
      matches.push(pair);
    }
    return matches;
  }

  /** > 1 for an overlap match (ranks above any fallback), (0, 1] for a centre-distance match, 0 for none. */
  private matchScore(predicted: Box, det: Box): number {
    const overlap = iou(predicted, det);
    if (overlap >= this.options.minIou) return 1 + overlap;
    const size = Math.max(predicted.w, predicted.h);
    const scale = Math.max(det.w, det.h) / size;
    if (scale > MAX_SCALE_RATIO || scale < 1 / MAX_SCALE_RATIO) return 0;
    const limit = this.options.maxCentreDistance * size;
    const distance = centreDistance(predicted, det);
    return distance < limit ? 1 - distance / limit : 0;
  }

  private moveTrack(track: Track, det: ScoredBox, timestampMs: number): void {
    const dt = timestampMs - track.lastSeen;
    if (dt > 0) {
      const vx = (det.x + det.w / 2 - (track.box.x + track.box.w / 2)) / dt;
      const vy = (det.y + det.h / 2 - (track.box.y + track.box.h / 2)) / dt;
      track.vx = track.vx * (1 - VELOCITY_ALPHA) + vx * VELOCITY_ALPHA;
      track.vy = track.vy * (1 - VELOCITY_ALPHA) + vy * VELOCITY_ALPHA;
    }
    track.box = { x: det.x, y: det.y, w: det.w, h: det.h };
    track.lastSeen = timestampMs;
    track.frames++;
  }

  private newTrack(det: ScoredBox, timestampMs: number): Track {
    return {
      id: this.nextId++,
      box: { x: det.x, y: det.y, w: det.w, h: det.h },
      vx: 0,
      vy: 0,
      firstSeen: timestampMs,
      lastSeen: timestampMs,
      frames: 1,
      smoother: new ClassSmoother(this.options),
      lastResultAt: -Infinity,
      requestedAt: null,
      logged: false,
    };
  }

  private isSettled(track: Track, timestampMs: number): boolean {
    return (
      !track.logged &&
      timestampMs - track.firstSeen >= this.options.settleMs &&
      track.smoother.count >= this.options.settleMinResults &&
      !track.smoother.switching
    );
  }

  private finish(track: Track, reason: TrackEvent['reason']): TrackEvent | null {
    const label = track.smoother.label;
    if (track.logged || label === null || track.frames < this.options.minFrames) return null;
    track.logged = true;
    return {
      trackId: track.id,
      label,
      confidence: track.smoother.meanConfidence(label),
      firstSeen: track.firstSeen,
      lastSeen: track.lastSeen,
      classifications: track.smoother.count,
      reason,
    };
  }
}

/** Where the track's box should be at `timestampMs`, by constant velocity. */
function predict(track: Track, timestampMs: number): Box {
  const dt = timestampMs - track.lastSeen;
  return { ...track.box, x: track.box.x + track.vx * dt, y: track.box.y + track.vy * dt };
}

function view(track: Track): TrackView {
  return {
    id: track.id,
    box: { ...track.box },
    firstSeen: track.firstSeen,
    lastSeen: track.lastSeen,
    label: track.smoother.label,
    confidence: track.smoother.smoothedConfidence,
    classifications: track.smoother.count,
    logged: track.logged,
  };
}
