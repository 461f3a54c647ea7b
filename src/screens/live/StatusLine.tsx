// The line under the video: classifier model (and why it was picked), backend (and why not WebGPU),
// detection speed, classification time.
import type { ModelsState } from '../../pipeline/models';
import type { LiveStats } from './useLiveSession';

function backendText(state: ModelsState): string {
  if (!state.backend) return '—';
  return state.backend === 'webgpu' ? 'WebGPU' : `WASM${state.threads > 1 ? ` ×${state.threads}` : ''}`;
}

export function StatusLine({ state, running, stats }: { state: ModelsState; running: boolean; stats: LiveStats }) {
  // Auto mode's reason often is the backend note already ("auto: no WebGPU adapter"): say it once.
  const note =
    state.backend === 'wasm' && state.backendNote && !(state.modelReason ?? '').includes(state.backendNote)
      ? state.backendNote
      : null;
  return (
    <p class="status-line" data-testid="status-line" aria-live="off">
      <span data-testid="classifier-model">
        {state.modelId && state.classifier === 'ready'
          ? `${state.modelId} v${state.modelVersion}${state.modelReason ? ` (${state.modelReason})` : ''}`
          : 'loading the classifier…'}
      </span>
      {' · '}
      <span data-testid="backend">{backendText(state)}</span>
      {note && <span data-testid="backend-note"> ({note})</span>}
      {' · '}
      <span>{running ? `${stats.fps.toFixed(1)} fps detection (${stats.detectMs.toFixed(0)} ms)` : 'camera off'}</span>
      {' · '}
      <span data-testid="classify-ms">
        classify {state.classifyMs !== null ? `${state.classifyMs.toFixed(0)} ms` : '—'}
      </span>
      {state.restarting && (
        <span data-testid="classifier-restarting" role="status">
          {' · '}
          restarting the classifier: {state.restarting}
        </span>
      )}
    </p>
  );
}
