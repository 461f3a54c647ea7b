// Live mode: camera picker, start/stop, the video with an aligned overlay, the faces as text, and a
// status line. The session hook runs the camera and the loop; this component only shows.
import { useRef } from 'preact/hooks';
import type { EventSink } from '../../pipeline/liveLoop';
import type { Models, ModelsState } from '../../pipeline/models';
import { FaceList } from '../common/FaceList';
import { EntranceCounters, useEntranceMode } from './EntranceMode';
import { StatusLine } from './StatusLine';
import { useLiveSession } from './useLiveSession';

interface Props {
  models: Models;
  state: ModelsState;
  /** Where each person's event goes (the log). */
  sink: EventSink;
  soundAlerts: boolean;
  onSoundAlertsChange(on: boolean): void;
  onUsePhotos(): void;
}

export function LiveScreen({ models, state, sink, soundAlerts, onSoundAlertsChange, onUsePhotos }: Props) {
  const sectionRef = useRef<HTMLElement>(null);
  // Called from the frame loop, after this render: `entrance` is set by then.
  const session = useLiveSession(models, sink, {
    onStart: () => entrance.resetCounts(),
    onEvents: (events) => entrance.onEvents(events),
  });
  const entrance = useEntranceMode(sectionRef, session.running, soundAlerts);
  const { running, starting, error } = session;
  const blocked = state.classifier === 'error' || state.detector === 'error';

  return (
    <section
      ref={sectionRef}
      class={`screen live-screen${entrance.active ? ' entrance' : ''}${entrance.flash ? ' alert-flash' : ''}`}
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
            value={session.choice}
            disabled={running}
            onChange={(e) => session.choose(e.currentTarget.value)}
          >
            <option value="environment">Back</option>
            <option value="user">Front</option>
            <option value="any">Any</option>
            {session.cameras.map((c, i) => (
              <option key={c.deviceId} value={c.deviceId}>
                {c.label || `Camera ${i + 1}`}
              </option>
            ))}
          </select>
        </label>
        {running ? (
          <button type="button" data-testid="stop-camera" onClick={session.stop}>
            Stop
          </button>
        ) : (
          <button
            type="button"
            class="primary"
            data-testid="start-camera"
            disabled={starting || blocked}
            onClick={() => void session.start()}
          >
            {starting ? 'Starting…' : 'Start camera'}
          </button>
        )}
        <button
          type="button"
          data-testid="entrance-toggle"
          aria-pressed={entrance.active}
          onClick={() => void entrance.toggle()}
        >
          {entrance.active ? 'Leave entrance mode' : 'Entrance mode'}
        </button>
        {entrance.active && (
          <label>
            <input
              type="checkbox"
              checked={soundAlerts}
              onChange={(e) => onSoundAlertsChange(e.currentTarget.checked)}
            />{' '}
            Sound on incorrect / no mask
          </label>
        )}
      </div>
      {entrance.active && <EntranceCounters counts={entrance.counts} />}
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
        <video ref={session.videoRef} muted playsInline aria-label="Camera view" />
        <canvas ref={session.overlayRef} class="overlay" aria-hidden="true" />
        {!running && (
          <p class="stage-hint">{blocked ? 'Models failed to load.' : 'Start the camera to check faces.'}</p>
        )}
      </div>
      <StatusLine state={state} running={running} stats={session.stats} />
      {running && <FaceList faces={session.faces} label="Faces in view" emptyText="No face in view." />}
    </section>
  );
}
