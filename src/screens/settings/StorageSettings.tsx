import { useEffect, useState } from 'preact/hooks';
import { requestPersistentStorage, storageStatus, type StorageStatus } from '../../log/storage';
import { formatBytes } from '../history/format';

/** Storage used and the quota, and a request for persistent storage when the browser may evict the log. */
export function StorageSettings({ onMessage, revision }: { onMessage: (text: string) => void; revision: number }) {
  const [storage, setStorage] = useState<StorageStatus | null>(null);
  useEffect(() => {
    void storageStatus().then(setStorage);
  }, [revision]);

  const keepData = async () => {
    const persisted = await requestPersistentStorage();
    setStorage(await storageStatus());
    onMessage(
      persisted === null
        ? 'This browser cannot keep data persistently.'
        : persisted
          ? 'The browser will keep the log even when storage runs low.'
          : 'The browser declined to keep the log persistently.',
    );
  };

  const used =
    storage?.usage != null && storage.quota != null
      ? `${formatBytes(storage.usage)} of ${formatBytes(storage.quota)}`
      : 'not reported by this browser';
  return (
    <section class="panel settings-section" aria-labelledby="settings-storage-title">
      <h3 id="settings-storage-title">Storage</h3>
      <dl class="settings-facts" data-testid="settings-storage">
        <div>
          <dt>Used</dt>
          <dd>{used}</dd>
        </div>
        <div>
          <dt>Persistence</dt>
          <dd>
            {storage?.persisted
              ? 'On: the browser keeps the log when storage runs low'
              : 'Off: the browser may delete the log when storage runs low'}
          </dd>
        </div>
      </dl>
      {storage?.persisted !== true && (
        <button type="button" data-testid="settings-persist" onClick={() => void keepData()}>
          Keep data (persistent storage)
        </button>
      )}
    </section>
  );
}
