import { useEffect, useMemo, useState } from 'preact/hooks';
import { registerServiceWorker, type UpdateHandle } from '../pwa/registerServiceWorker';
import { HistoryScreen } from '../screens/history/HistoryScreen';
import { LiveScreen } from '../screens/live/LiveScreen';
import { PhotoScreen } from '../screens/photo/PhotoScreen';
import { SettingsScreen } from '../screens/settings/SettingsScreen';
import { Models, type ModelsState } from '../pipeline/models';
import { LoadingBanner } from './LoadingBanner';
import { isModelChoice } from '../classify/modelChoice';
import { loadPreferences, savePreferences, type Preferences } from './preferences';
import { useLog } from './useLog';
import { useLogSink } from './useLogSink';
import { syncController } from '../sync/controller';

type Screen = 'live' | 'photo' | 'history' | 'settings';

const SCREENS: { id: Screen; title: string }[] = [
  { id: 'live', title: 'Live' },
  { id: 'photo', title: 'Photos' },
  { id: 'history', title: 'History' },
  { id: 'settings', title: 'Settings' },
];

export function App() {
  const [prefs, setPrefs] = useState<Preferences>(loadPreferences);
  const models = useMemo(() => new Models(prefs), []);
  const [state, setState] = useState<ModelsState>(models.state);
  const [screen, setScreen] = useState<Screen>('live');
  const [update, setUpdate] = useState<UpdateHandle | null>(null);
  const [offlineReady, setOfflineReady] = useState(false);
  const [log, logControls] = useLog();
  const [logNotice, setLogNotice] = useState<string | null>(null);

  useEffect(() => models.subscribe(setState), [models]);
  // The service worker is registered once the page has fetched its models and wasm: its precache then finds
  // them in the HTTP cache (same versioned URLs, a 304 each) instead of downloading them a second time beside
  // the page (bench start-up row: 1.65× the files' bytes sent on a first visit when both ran at once).
  useEffect(() => {
    let unmounted = false;
    void models.settled().then(() => unmounted || registerServiceWorker(setUpdate, () => setOfflineReady(true)));
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
    if (patch.detectorModel) models.setDetectorModel(patch.detectorModel);
    if (patch.classifierChoice) models.setClassifierChoice(patch.classifierChoice);
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
              onClick={() => {
                logControls.reloadSettings();
                setScreen(s.id);
              }}
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
      <LoadingBanner state={state} />
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
        {screen === 'live' && (
          <LiveScreen
            models={models}
            state={state}
            sink={sink}
            soundAlerts={log.settings.soundAlerts}
            onSoundAlertsChange={(soundAlerts) => logControls.changeSettings({ soundAlerts })}
            onUsePhotos={() => setScreen('photo')}
          />
        )}
        {screen === 'photo' && <PhotoScreen models={models} state={state} />}
        {screen === 'history' && (
          <HistoryScreen
            db={log.db}
            unavailableReason={log.unavailable ?? undefined}
            onOpenSettings={() => setScreen('settings')}
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
          {state.modelId ? `Classifier ${state.modelId} v${state.modelVersion}` : ''} · all processing stays on this
          device
        </span>
      </footer>
    </div>
  );
}
