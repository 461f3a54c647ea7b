// Live mode: camera picker, start/stop, the video with an aligned overlay, the faces as text, and a
// status line (backend, detection fps, classification ms).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Models, ModelsState } from '../../pipeline/models';
import { CameraError, listCameras, openCamera, type Facing } from '../../camera/camera';
import type { MaskClass } from '../../classify/classes';
import { CLASS_SHORT } from '../../classify/classes';
import type { TrackEvent } from '../../track/tracker';
import { drawFaces } from '../common/drawFaces';
import { FaceList } from '../common/FaceList';
import type { ShownFace } from '../../pipeline/shownFace';
import { AlertThrottle, keepScreenAwake, playAlertTone } from './alerts';
import { LiveLoop, type LiveFrame } from '../../pipeline/liveLoop';
import { errorText } from '../../errorText';

const LIST_REFRESH_MS = 250;
const FLASH_MS = 700;

/** Crops (RGBA, inputSize²) of the tracks whose events are being logged, when thumbnails are on. */
export type EventCrops = Map<number, Uint8ClampedArray>;

interface Props {
  models: Models;
  state: ModelsState;
  /** Thumbnails of logged faces are kept only when the user turned them on. */
  keepThumbnails: boolean;
  soundAlerts: boolean;
  onSoundAlertsChange(on: boolean): void;
  onEvents(events: TrackEvent[], camera: string, crops: EventCrops): void;
  onUsePhotos(): void;
}

const ZERO_COUNTS: Record<MaskClass, number> = { correct: 0, incorrect: 0, none: 0 };

export function LiveScreen({ models, state, keepThumbnails, soundAlerts, onSoundAlertsChange, onEvents, onUsePhotos }: Props) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const overlayRef = useRef<HTMLCanvasElement>(null);
  const loopRef = useRef<LiveLoop | null>(null);
  const streamRef = useRef<MediaStream | null>(null);
  const [facing, setFacing] = useState<Facing>('environment');
  const [deviceId, setDeviceId] = useState<string>('');
  const [cameras, setCameras] = useState<MediaDeviceInfo[]>([]);
  const [running, setRunning] = useState(false);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<{ message: string; offerPhotos: boolean } | null>(null);
  const [faces, setFaces] = useState<ShownFace[]>([]);
  const [stats, setStats] = useState({ fps: 0, detectMs: 0 });
  const lastListUpdate = useRef(0);
  const [entrance, setEntrance] = useState(false);
  const [counts, setCounts] = useState(ZERO_COUNTS);
  const [flash, setFlash] = useState(false);
  const sectionRef = useRef<HTMLElement>(null);
  const throttle = useRef(new AlertThrottle());
  // Handlers read the latest props through a ref: the frame loop outlives renders.
  const latest = useRef({ onEvents, soundAlerts, entrance });
  latest.current = { onEvents, soundAlerts, entrance };

  useEffect(() => () => stop(), []);
  useEffect(() => {
    if (loopRef.current) loopRef.current.keepCrops = keepThumbnails;
  }, [keepThumbnails]);
  useEffect(() => (entrance && running ? keepScreenAwake() : undefined), [entrance, running]);
  useEffect(() => {
    const onFullscreenExit = () => {
      if (!document.fullscreenElement) setEntrance(false);
    };
    document.addEventListener('fullscreenchange', onFullscreenExit);
    return () => document.removeEventListener('fullscreenchange', onFullscreenExit);
  }, []);

  const handleEvents = (events: TrackEvent[]) => {
    const loop = loopRef.current;
    // Take the crops now, synchronously: the loop forgets crops of ended tracks on its next batch.
    const crops: EventCrops = new Map();
    for (const e of events) {
      const crop = loop?.takeCrop(e.trackId);
      if (crop) crops.set(e.trackId, crop);
    }
    latest.current.onEvents(events, cameraLabel(), crops);
    setCounts((c) => {
      const next = { ...c };
      for (const e of events) next[e.label]++;
      return next;
    });
    const alarming = events.some((e) => e.label !== 'correct');
    if (alarming && latest.current.entrance && throttle.current.allow(performance.now())) {
      setFlash(true);
      setTimeout(() => setFlash(false), FLASH_MS);
      if (latest.current.soundAlerts) playAlertTone();
    }
  };

  const toggleEntrance = async () => {
    if (entrance) {
      setEntrance(false);
      if (document.fullscreenElement) await document.exitFullscreen().catch(() => undefined);
      return;
    }
    setEntrance(true);
    // Full screen needs this click's user activation; without it the CSS kiosk layout still fills the window.
    await sectionRef.current?.requestFullscreen?.().catch(() => undefined);
  };

  const cameraLabel = () => streamRef.current?.getVideoTracks()[0]?.label || 'camera';

  const drawFrame = (frame: LiveFrame) => {
    const canvas = overlayRef.current;
    if (!canvas) return;
    const rect = canvas.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    const cw = Math.round(rect.width * dpr);
    const ch = Math.round(rect.height * dpr);
    if (canvas.width !== cw || canvas.height !== ch) {
      canvas.width = cw;
      canvas.height = ch;
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, cw, ch);
    // The video is letterboxed (object-fit: contain): map frame pixels onto its content box.
    const scale = Math.min(cw / frame.width, ch / frame.height);
    const ox = (cw - frame.width * scale) / 2;
    const oy = (ch - frame.height * scale) / 2;
    // Only faces seen in this frame: a briefly lost track stays in the tracker, not on screen.
    const shown: ShownFace[] = frame.tracks
      .filter((t) => t.lastSeen === frame.timestamp)
      .map((t) => ({ key: `t${t.id}`, box: t.box, label: t.label, score: t.confidence }));
    drawFaces(ctx, shown, scale, ox, oy);
    const now = performance.now();
    if (now - lastListUpdate.current > LIST_REFRESH_MS) {
      lastListUpdate.current = now;
      setFaces(shown);
      setStats({ fps: frame.detectFps, detectMs: frame.detectMs });
    }
  };

  const start = async () => {
    setError(null);
    setStarting(true);
    try {
      const stream = await openCamera(facing, deviceId || null);
      streamRef.current = stream;
      const track = stream.getVideoTracks()[0];
      track?.addEventListener('ended', () => {
        stop();
        setError({ message: 'The camera stopped (it was unplugged, or another app took it). Start it again when it is back.', offerPhotos: true });
      });
      setCameras(await listCameras());
      const video = videoRef.current!;
      video.srcObject = stream;
      await video.play();
      const [finder, ready] = await Promise.all([models.faceFinder(), models.classifier.ready]);
      const loop = new LiveLoop(video, finder, models.classifier, ready.model.inputSize, {
        onFrame: drawFrame,
        onEvents: handleEvents,
        onError: (message) => setError({ message, offerPhotos: false }),
      });
      loop.keepCrops = keepThumbnails;
      loopRef.current = loop;
      setCounts(ZERO_COUNTS);
      loop.start();
      setRunning(true);
    } catch (e) {
      stop();
      if (e instanceof CameraError) setError({ message: e.message, offerPhotos: true });
      else setError({ message: errorText(e), offerPhotos: false });
    } finally {
      setStarting(false);
    }
  };

  function stop() {
    loopRef.current?.stop();
    loopRef.current = null;
    streamRef.current?.getTracks().forEach((t) => t.stop());
    streamRef.current = null;
    if (videoRef.current) videoRef.current.srcObject = null;
    overlayRef.current?.getContext('2d')?.clearRect(0, 0, overlayRef.current.width, overlayRef.current.height);
    setRunning(false);
    setFaces([]);
  }

  const blocked = state.classifier === 'error' || state.detector === 'error';

  return (
    <section
      ref={sectionRef}
      class={`screen live-screen${entrance ? ' entrance' : ''}${flash ? ' alert-flash' : ''}`}
      aria-labelledby="live-title"
      data-testid="live-screen"
    >
      <h2 id="live-title" class="visually-hidden">
        Live check
      </h2>
      <div class="live-controls">
        <label>
          Camera{' '}
          <select
            data-testid="camera-select"
            value={deviceId || facing}
            disabled={running}
            onChange={(e) => {
              const v = e.currentTarget.value;
              if (v === 'user' || v === 'environment' || v === 'any') {
                setFacing(v);
                setDeviceId('');
              } else setDeviceId(v);
            }}
          >
            <option value="environment">Back</option>
            <option value="user">Front</option>
            <option value="any">Any</option>
            {cameras.map((c, i) => (
              <option key={c.deviceId} value={c.deviceId}>
                {c.label || `Camera ${i + 1}`}
              </option>
            ))}
          </select>
        </label>
        {running ? (
          <button type="button" data-testid="stop-camera" onClick={stop}>
            Stop
          </button>
        ) : (
          <button type="button" class="primary" data-testid="start-camera" disabled={starting || blocked} onClick={() => void start()}>
            {starting ? 'Starting…' : 'Start camera'}
          </button>
        )}
        <button type="button" data-testid="entrance-toggle" aria-pressed={entrance} onClick={() => void toggleEntrance()}>
          {entrance ? 'Leave entrance mode' : 'Entrance mode'}
        </button>
        {entrance && (
          <label>
            <input type="checkbox" checked={soundAlerts} onChange={(e) => onSoundAlertsChange(e.currentTarget.checked)} /> Sound
            on incorrect / no mask
          </label>
        )}
      </div>
      {entrance && (
        <div class="entrance-counters" role="status" aria-label="People since start" data-testid="entrance-counters">
          {(['correct', 'incorrect', 'none'] as const).map((k) => (
            <div key={k} class={`counter counter-${k}`} data-label={k} data-count={counts[k]}>
              <span class="counter-value">{counts[k]}</span>
              <span class="counter-name">{CLASS_SHORT[k]}</span>
            </div>
          ))}
        </div>
      )}
      {error && (
        <div class="notice error" role="alert" data-testid="live-error">
          <p>{error.message}</p>
          {error.offerPhotos && (
            <button type="button" onClick={onUsePhotos} data-testid="use-photos">
              Check photos instead
            </button>
          )}
        </div>
      )}
      <div class="video-stage">
        <video ref={videoRef} muted playsInline aria-label="Camera view" />
        <canvas ref={overlayRef} class="overlay" aria-hidden="true" />
        {!running && <p class="stage-hint">{blocked ? 'Models failed to load.' : 'Start the camera to check faces.'}</p>}
      </div>
      <p class="status-line" data-testid="status-line" aria-live="off">
        <span data-testid="backend">{state.backend ? (state.backend === 'webgpu' ? 'WebGPU' : `WASM${state.threads > 1 ? ` ×${state.threads}` : ''}`) : '—'}</span>
        {state.backend === 'wasm' && state.backendNote && <span data-testid="backend-note"> ({state.backendNote})</span>}
        {' · '}
        <span>{running ? `${stats.fps.toFixed(1)} fps detection (${stats.detectMs.toFixed(0)} ms)` : 'camera off'}</span>
        {' · '}
        <span data-testid="classify-ms">classify {state.classifyMs !== null ? `${state.classifyMs.toFixed(0)} ms` : '—'}</span>
        {state.restarting && (
          <span data-testid="classifier-restarting" role="status">
            {' · '}
            restarting the classifier: {state.restarting}
          </span>
        )}
      </p>
      {running && <FaceList faces={faces} label="Faces in view" emptyText="No face in view." />}
    </section>
  );
}
