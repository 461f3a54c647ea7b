import { useEffect, useState } from 'preact/hooks';
import type { LogDb } from '../../log/db';
import { requestPersistentStorage, storageStatus, type StorageStatus } from '../../log/storage';
import type { Settings } from '../../log/types';
import { formatBytes } from './format';

export interface HistorySettingsProps {
  db: LogDb;
  settings: Settings;
  /** Called after a change that stored settings or deleted events. */
  onChanged: (settings: Settings, message?: string) => void;
}

/** Retention, thumbnails and storage: the log's privacy and space controls. */
export function HistorySettings({ db, settings, onChanged }: HistorySettingsProps) {
  const [storage, setStorage] = useState<StorageStatus | null>(null);
  const [retention, setRetention] = useState(String(settings.retentionDays));

  useEffect(() => setRetention(String(settings.retentionDays)), [settings.retentionDays]);
  useEffect(() => {
    void storageStatus().then(setStorage);
  }, [settings]);

  const saveRetention = async () => {
    const days = Number(retention);
    if (!Number.isInteger(days) || days < 0) {
      onChanged(settings, 'Retention must be a whole number of days (0 keeps everything).');
      return;
    }
    const next = await db.setSettings({ retentionDays: days });
    const deleted = await db.applyRetention();
    onChanged(next, deleted > 0 ? `Deleted ${deleted} events older than ${days} days.` : undefined);
  };

  const toggleThumbnails = async (on: boolean) => {
    const next = await db.setSettings({ thumbnails: on });
    if (!on && confirm('Also delete the thumbnails already stored?')) {
      const cleared = await db.clearThumbnails();
      onChanged(next, `Deleted ${cleared} thumbnails.`);
    } else {
      onChanged(next);
    }
  };

  const keepData = async () => {
    const persisted = await requestPersistentStorage();
    setStorage(await storageStatus());
    onChanged(
      settings,
      persisted === null
        ? 'This browser cannot keep data persistently.'
        : persisted
          ? 'The browser will keep the log even when storage runs low.'
          : 'The browser declined to keep the log persistently.',
    );
  };

  return (
    <section class="history-settings" aria-label="Log settings">
      <label class="history-retention">
        Keep events for (days, 0 = forever)
        <input
          type="number"
          min={0}
          step={1}
          value={retention}
          data-testid="history-retention"
          onInput={(e) => setRetention(e.currentTarget.value)}
          onChange={() => void saveRetention()}
        />
      </label>
      <label class="history-thumbnails">
        <input
          type="checkbox"
          checked={settings.thumbnails}
          data-testid="history-thumbnails"
          onChange={(e) => void toggleThumbnails(e.currentTarget.checked)}
        />
        Save a small photo of each face
      </label>
      <p class="history-privacy">
        Off by default. Photos of faces are personal data: they stay on this device, are never exported, and are deleted
        first when space runs low.
      </p>
      <p class="history-storage" data-testid="history-storage">
        {storage?.usage != null && storage.quota != null
          ? `Storage used: ${formatBytes(storage.usage)} of ${formatBytes(storage.quota)}.`
          : 'Storage use is not reported by this browser.'}{' '}
        {storage?.persisted ? 'Data is kept persistently.' : 'The browser may delete the log when storage runs low.'}
      </p>
      {storage?.persisted !== true && (
        <button type="button" data-testid="history-persist" onClick={() => void keepData()}>
          Keep data (persistent storage)
        </button>
      )}
    </section>
  );
}
