// One live session: the camera the user picked, the live loop on its video, the overlay, and the
// figures the screen shows (faces in view, detection fps). Events go to the sink; the screen hears of
// them through `onEvents` (entrance counters).
import { useEffect, useRef, useState } from 'preact/hooks';
import { CameraError, listCameras, openCamera, type Facing } from '../../camera/camera';
import { errorText } from '../../errorText';
import { LiveLoop, type EventSink } from '../../pipeline/liveLoop';
import type { Models } from '../../pipeline/models';
import type { ShownFace } from '../../pipeline/shownFace';
import type { TrackEvent } from '../../track/tracker';
import { clearOverlay, drawOverlay } from './overlay';

/**
 * The face list's boxes and scores follow the video at most this often (a re-render per frame costs the live
 * loop); a face coming, going or getting its label shows at once: with the list refreshed only every 250 ms,
 * a first label reached it ~230 ms after the classifier's answer (warm start, 2026-11-30).
 */
const LIST_REFRESH_MS = 250;

/** The faces' keys and labels: what the list must show without waiting for its next refresh. */
const listIdentity = (faces: readonly ShownFace[]) => faces.map((f) => `${f.key}:${f.label ?? ''}`).join(' ');

export interface LiveError {
  message: string;
  /** The camera is the problem: photo mode is offered instead. */
  offerPhotos: boolean;
}

export interface LiveStats {
  fps: number;
  detectMs: number;
}

export interface LiveSessionHandlers {
  onStart(): void;
  onEvents(events: readonly TrackEvent[]): void;
}

export function useLiveSession(models: Models, sink: EventSink, handlers: LiveSessionHandlers) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const overlayRef = useRef<HTMLCanvasElement>(null);
  const loopRef = useRef<LiveLoop | null>(null);
  const streamRef = useRef<MediaStream | null>(null);
  const lastListUpdate = useRef(0);
  const lastListIdentity = useRef('');
  const [facing, setFacing] = useState<Facing>('environment');
  const [deviceId, setDeviceId] = useState('');
  const [cameras, setCameras] = useState<MediaDeviceInfo[]>([]);
  const [running, setRunning] = useState(false);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<LiveError | null>(null);
  const [faces, setFaces] = useState<ShownFace[]>([]);
  const [stats, setStats] = useState<LiveStats>({ fps: 0, detectMs: 0 });
  // The frame loop outlives renders: it reads the latest handlers through a ref.
  const latest = useRef(handlers);
  latest.current = handlers;

  useEffect(() => () => stop(), []);

  /** A camera choice: a facing ('user', 'environment', 'any') or a device id. */
  const choose = (value: string) => {
    if (value === 'user' || value === 'environment' || value === 'any') {
      setFacing(value);
      setDeviceId('');
    } else setDeviceId(value);
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
        setError({
          message: 'The camera stopped (it was unplugged, or another app took it). Start it again when it is back.',
          offerPhotos: true,
        });
      });
      setCameras(await listCameras());
      const video = videoRef.current!;
      video.srcObject = stream;
      await video.play();
      const [finder, ready] = await Promise.all([models.faceFinder(), models.classifier.ready]);
      const setup = {
        video,
        finder,
        classifier: models.classifier,
        inputSize: ready.model.inputSize,
        camera: track?.label || 'camera',
        sink,
      };
      const loop = new LiveLoop(setup, {
        onFrame: (frame) => {
          const canvas = overlayRef.current;
          if (!canvas) return;
          const shown = drawOverlay(canvas, frame);
          const now = performance.now();
          const identity = listIdentity(shown);
          if (now - lastListUpdate.current > LIST_REFRESH_MS || identity !== lastListIdentity.current) {
            lastListUpdate.current = now;
            lastListIdentity.current = identity;
            setFaces(shown);
            setStats({ fps: frame.detectFps, detectMs: frame.detectMs });
          }
        },
        onEvents: (events) => latest.current.onEvents(events),
        onError: (message) => setError({ message, offerPhotos: false }),
      });
      loopRef.current = loop;
      latest.current.onStart();
      loop.start();
      setRunning(true);
    } catch (e) {
      stop();
      setError({ message: errorText(e), offerPhotos: e instanceof CameraError });
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
    clearOverlay(overlayRef.current);
    setRunning(false);
    lastListIdentity.current = '';
    setFaces([]);
  }

  return {
    videoRef,
    overlayRef,
    cameras,
    /** The camera select's value. */
    choice: deviceId || facing,
    choose,
    running,
    starting,
    error,
    faces,
    stats,
    start,
    stop,
  };
}
