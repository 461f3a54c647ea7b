import { useEffect, useRef, useState } from 'preact/hooks';
import { registerServiceWorker, type UpdateHandle } from '../pwa/registerServiceWorker';
import { HistoryScreen } from '../screens/history/HistoryScreen';
import { LiveScreen } from '../screens/live/LiveScreen';
import { PhotoScreen } from '../screens/photo/PhotoScreen';
import { SettingsScreen } from '../screens/settings/SettingsScreen';
import { Models, type ModelsState } from '../pipeline/models';
import { LoadingBanner } from './LoadingBanner';
import { isModelChoice } from '../classify/modelChoice';
import { loadPreferences, savePreferences, type Preferences } from './preferences';
import { needsModels, SCREENS, useScreen } from './route';
import { useLog } from './useLog';
import { useLogSink } from './useLogSink';
import { syncController } from '../sync/controller';

export function App() {
  const [prefs, setPrefs] = useState<Preferences>(loadPreferences);
  const [screen, go] = useScreen();
  // The models (~30 MB of wasm and weights to compile) load with the first screen that uses them, Live or
  // Photos: a reviewer who opens …/#history never pays for them.
  const [models, setModels] = useState<Models | null>(() => (needsModels(screen) ? new Models(prefs) : null));
  const [state, setState] = useState<ModelsState | null>(models?.state ?? null);
  const [update, setUpdate] = useState<UpdateHandle | null>(null);
  const [offlineReady, setOfflineReady] = useState(false);
  const [log, logControls] = useLog();
  const [logNotice, setLogNotice] = useState<string | null>(null);
  const swRegistered = useRef(false);

  useEffect(() => {
    if (!models && needsModels(screen)) setModels(new Models(prefs));
    // Settings may have changed on the Settings screen, whether the user left it by the nav or by Back.
    logControls.reloadSettings();
  }, [screen]);
  useEffect(() => models?.subscribe(setState), [models]);
  // The service worker is registered once the page has fetched its models and wasm: its precache then finds
  // them in the HTTP cache (same versioned URLs, a 304 each) instead of downloading them a second time beside
  // the page (bench start-up row: 1.65× the files' bytes sent on a first visit when both ran at once). A page
  // opened on History or Settings loads no models, so it registers at once.
  useEffect(() => {
    if (swRegistered.current) return;
    let unmounted = false;
    const register = () => {
      if (unmounted || swRegistered.current) return;
      swRegistered.current = true;
      registerServiceWorker(setUpdate, () => setOfflineReady(true));
    };
    if (models) void models.settled().then(register);
    else register();
    return () => {
      unmounted = true;
    };
  }, [models]);
  // Sync starts with the log when it is turned on (and loads nothing when it is off).
  useEffect(() => {
    if (log.db) void syncController.attach(log.db);
    else void syncController.detach();
  }, [log.db]);

  const changePrefs = (patch: Partial<Preferences>) => {
    const next = { ...prefs, ...patch };
    setPrefs(next);
    savePreferences(next);
    // Not loaded yet: the models start with these preferences when a screen needs them.
    if (patch.detectorModel) models?.setDetectorModel(patch.detectorModel);
    if (patch.classifierChoice) models?.setClassifierChoice(patch.classifierChoice);
  };

  const sink = useLogSink(log, state, setLogNotice);

  return (
    <div class="app">
      <header class="app-header">
        <h1>MaskGate</h1>
        <nav aria-label="Screens">
          {SCREENS.map((s) => (
            <button
              key={s.id}
              type="button"
              class={screen === s.id ? 'tab active' : 'tab'}
              aria-current={screen === s.id ? 'page' : undefined}
              data-testid={`nav-${s.id}`}
              onClick={() => go(s.id)}
            >
              {s.title}
            </button>
          ))}
        </nav>
      </header>
      {update && (
        <div class="notice info" role="status" data-testid="update-available">
          A new version of MaskGate is available.{' '}
          <button type="button" onClick={() => update.apply()}>
            Reload to update
          </button>
        </div>
      )}
      {offlineReady && (
        <div class="notice ok" role="status" data-testid="offline-ready">
          MaskGate is installed and now works offline.{' '}
          <button type="button" class="link-button" onClick={() => setOfflineReady(false)}>
            OK
          </button>
        </div>
      )}
      {state && <LoadingBanner state={state} />}
      {log.unavailable && (
        <div class="notice error" role="alert" data-testid="log-unavailable">
          {log.unavailable}
        </div>
      )}
      {logNotice && (
        <div class="notice error" role="alert" data-testid="log-notice">
          {logNotice}{' '}
          <button type="button" class="link-button" onClick={() => setLogNotice(null)}>
            OK
          </button>
        </div>
      )}
      <main>
        {screen === 'live' && models && state && (
          <LiveScreen
            models={models}
            state={state}
            sink={sink}
            soundAlerts={log.settings.soundAlerts}
            onSoundAlertsChange={(soundAlerts) => logControls.changeSettings({ soundAlerts })}
            onUsePhotos={() => go('photo')}
          />
        )}
        {screen === 'photo' && models && state && <PhotoScreen models={models} state={state} />}
        {screen === 'history' && (
          <HistoryScreen
            db={log.db}
            unavailableReason={log.unavailable ?? undefined}
            onOpenSettings={() => go('settings')}
          />
        )}
        {screen === 'settings' && <SettingsScreen db={log.db} unavailableReason={log.unavailable ?? undefined} />}
      </main>
      <footer class="app-footer">
        <label>
          Face detector{' '}
          <select
            data-testid="detector-select"
            value={prefs.detectorModel}
            onChange={(e) => changePrefs({ detectorModel: e.currentTarget.value === 'full' ? 'full' : 'short' })}
          >
            <option value="short">Short range (within ~2 m)</option>
            <option value="full">Full range (farther away)</option>
          </select>
        </label>
        <label>
          Mask classifier{' '}
          <select
            data-testid="classifier-select"
            value={prefs.classifierChoice}
            onChange={(e) => {
              const v = e.currentTarget.value;
              if (isModelChoice(v)) changePrefs({ classifierChoice: v });
            }}
          >
            <option value="auto">Auto (accurate if this device's GPU is fast enough)</option>
            <option value="accurate">Accurate (VGG16, needs a fast GPU)</option>
            <option value="fast">Fast (MobileNetV3, any device)</option>
          </select>
        </label>
        <span class="muted">
          {state?.modelId ? `Classifier ${state.modelId} v${state.modelVersion} · ` : ''}all processing stays on this
          device
        </span>
      </footer>
    </div>
  );
}
