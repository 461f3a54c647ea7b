import { useEffect, useState } from 'preact/hooks';
import type { LogDb } from '../../log/db';
import type { Settings } from '../../log/types';
import { RetentionSettings, SoundSettings, ThumbnailSettings } from './LogSettings';
import { StorageSettings } from './StorageSettings';
import { SyncSettings } from './SyncSettings';

export interface SettingsScreenProps {
  /** The open log, or null when logging is unavailable. */
  db: LogDb | null;
  unavailableReason?: string;
}

/** The log's settings, apart from the history: thumbnails, retention, sound alerts, storage (and sync). */
export function SettingsScreen({ db, unavailableReason }: SettingsScreenProps) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  /** Bumped after each change, so the storage figures are read again. */
  const [revision, setRevision] = useState(0);

  useEffect(() => {
    void db?.getSettings().then(setSettings);
  }, [db]);

  const changed = (next: Settings, text?: string) => {
    setSettings(next);
    setMessage(text ?? null);
    setRevision((r) => r + 1);
  };

  return (
    <section class="screen settings" data-testid="settings" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      {!db && (
        <p class="notice error" data-testid="settings-unavailable">
          {unavailableReason ?? 'The local log is not available in this browser, so there is nothing to set.'}
        </p>
      )}
      {message && (
        <p class="notice info" role="status" data-testid="settings-message">
          {message}
        </p>
      )}
      {db && settings && (
        <div class="settings-sections">
          <ThumbnailSettings db={db} settings={settings} onChanged={changed} />
          <RetentionSettings db={db} settings={settings} onChanged={changed} />
          <StorageSettings onMessage={setMessage} revision={revision} />
          <SoundSettings db={db} settings={settings} onChanged={changed} />
          <SyncSettings />
        </div>
      )}
    </section>
  );
}
