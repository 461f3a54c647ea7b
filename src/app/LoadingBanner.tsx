import { useState } from 'preact/hooks';
import type { ModelsState } from '../pipeline/models';

const mb = (n: number) => (n / 1048576).toFixed(1);

/** Model download/compile progress and load errors: the user always sees what the app is doing. */
export function LoadingBanner({ state }: { state: ModelsState }) {
  const [offlineRetry, setOfflineRetry] = useState(false);
  if (state.errors.length > 0) {
    // Reloading without a network (and before the app was installed) would replace the page with the
    // browser's own error page, so retry only once the connection is back.
    const retry = () => {
      if (navigator.onLine) window.location.reload();
      else setOfflineRetry(true);
    };
    return (
      <div class="notice error" role="alert" data-testid="model-error">
        {state.errors.map((e) => (
          <p key={e}>{e}</p>
        ))}
        <p>Photos and live checks need the models; the history still works.</p>
        {offlineRetry && (
          <p data-testid="retry-offline">
            This device is still offline. Connect to the network, then press Retry to finish installing MaskGate.
          </p>
        )}
        <button type="button" data-testid="model-retry" onClick={retry}>
          Retry
        </button>
      </div>
    );
  }
  if (state.classifier === 'ready' && state.detector === 'ready') return null;
  const p = state.progress;
  let text = 'Loading the face detector and the mask classifier…';
  let value: number | undefined;
  if (p?.stage === 'download') {
    text = p.total
      ? `Downloading ${p.file}: ${mb(p.loaded)} of ${mb(p.total)} MB`
      : `Downloading ${p.file}: ${mb(p.loaded)} MB`;
    value = p.total ? p.loaded / p.total : undefined;
  } else if (p?.stage === 'compile') {
    text = `Preparing ${p.file} for this device…`;
  }
  return (
    <div class="notice info" role="status" data-testid="model-progress">
      <p>{text}</p>
      <progress max={1} value={value} aria-label="Model loading progress" />
    </div>
  );
}
