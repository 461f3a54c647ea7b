// Opens the event log once per page. Without IndexedDB (private mode, blocked storage) live detection
// still works; the log is off and the user is told why.
import { useEffect, useState } from 'preact/hooks';
import { openLog, type LogDb } from '../log/db';
import { requestPersistentStorage } from '../log/storage';
import type { Settings } from '../log/types';
import { DEFAULT_SETTINGS } from '../log/types';
import { errorText } from '../errorText';
import { syncController } from '../sync/controller';

/**
 * Retention is applied at start and again this often while the page stays open: an entrance device runs
 * for days without a reload, and its log (and the sync's local copy) must not keep events past the setting.
 */
export const RETENTION_EVERY_MS = 60 * 60 * 1000;

export interface LogState {
  db: LogDb | null;
  /** Why logging is off, when it is. */
  unavailable: string | null;
  settings: Settings;
}

export interface LogControls {
  changeSettings(patch: Partial<Settings>): void;
  /** Re-reads the settings (the history screen writes them straight to the log). */
  reloadSettings(): void;
}

export function useLog(): [LogState, LogControls] {
  const [state, setState] = useState<LogState>({ db: null, unavailable: null, settings: DEFAULT_SETTINGS });

  useEffect(() => {
    let db: LogDb | null = null;
    openLog({
      onClosed: () =>
        setState((s) => ({
          ...s,
          db: null,
          unavailable: 'The log was closed because MaskGate was updated in another tab. Reload this page.',
        })),
    }).then(
      async (opened) => {
        db = opened;
        await opened.applyRetention().catch(() => 0);
        const settings = await opened.getSettings();
        setState({ db: opened, unavailable: null, settings });
        void requestPersistentStorage();
      },
      (e: unknown) =>
        setState((s) => ({
          ...s,
          unavailable: `Logging is off: this browser does not allow local storage here (${errorText(e)}). Live and photo checks still work; nothing is recorded.`,
        })),
    );
    const timer = setInterval(() => {
      if (!db) return;
      void db
        .applyRetention()
        .then(() => syncController.applyRetention())
        .catch(() => 0);
    }, RETENTION_EVERY_MS);
    return () => {
      clearInterval(timer);
      db?.close();
    };
  }, []);

  const changeSettings = (patch: Partial<Settings>) => {
    setState((s) => ({ ...s, settings: { ...s.settings, ...patch } }));
    void state.db?.setSettings(patch);
  };
  const reloadSettings = () => {
    void state.db?.getSettings().then((settings) => setState((s) => ({ ...s, settings })));
  };
  return [state, { changeSettings, reloadSettings }];
}
