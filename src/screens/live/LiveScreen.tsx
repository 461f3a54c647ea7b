// Live mode: camera picker, start/stop, the video with an aligned overlay, the faces as text, and a
// status line (backend, detection fps, classification ms).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Engine, EngineState } from '../../app/engine';
import { CameraError, listCameras, openCamera, type Facing } from '../../camera/camera';
import type { TrackEvent } from '../../track/tracker';
import { drawFaces } from '../common/drawFaces';
import { FaceList } from '../common/FaceList';
import type { ShownFace } from '../common/faces';
import { LiveLoop, type LiveFrame } from './liveLoop';

const LIST_REFRESH_MS = 250;

interface Props {
  engine: Engine;
  state: EngineState;
  onEvents(events: TrackEvent[], camera: string): void;
  onUsePhotos(): void;
}

export function LiveScreen({ engine, state, onEvents, onUsePhotos }: Props) {
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
  const onEventsRef = useRef(onEvents);
  onEventsRef.current = onEvents;

  useEffect(() => () => stop(), []);

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
    const latest = frame.tracks.reduce((m, t) => Math.max(m, t.lastSeen), 0);
    const shown: ShownFace[] = frame.tracks
      .filter((t) => t.lastSeen === latest)
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
      const [finder, ready] = await Promise.all([engine.faceFinder(), engine.classifier.ready]);
      const loop = new LiveLoop(video, finder, engine.classifier, ready.model.inputSize, {
        onFrame: drawFrame,
        onEvents: (events) => onEventsRef.current(events, cameraLabel()),
        onError: (message) => setError({ message, offerPhotos: false }),
      });
      loopRef.current = loop;
      loop.start();
      setRunning(true);
    } catch (e) {
      stop();
      if (e instanceof CameraError) setError({ message: e.message, offerPhotos: true });
      else setError({ message: e instanceof Error ? e.message : String(e), offerPhotos: false });
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
    <section class="screen live-screen" aria-labelledby="live-title">
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
      </div>
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
        {' · '}
        <span>{running ? `${stats.fps.toFixed(1)} fps detection (${stats.detectMs.toFixed(0)} ms)` : 'camera off'}</span>
        {' · '}
        <span>classify {engine.classifier.lastMs ? `${engine.classifier.lastMs.toFixed(0)} ms` : '—'}</span>
      </p>
      {running && <FaceList faces={faces} label="Faces in view" emptyText="No face in view." />}
    </section>
  );
}
