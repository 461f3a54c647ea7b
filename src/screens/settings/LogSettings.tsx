import { useEffect, useState } from 'preact/hooks';
import type { LogDb } from '../../log/db';
import type { Settings } from '../../log/types';
import { syncController } from '../../sync/controller';

export interface LogSettingsProps {
  db: LogDb;
  settings: Settings;
  /** Called after a change that stored settings or deleted events. */
  onChanged: (settings: Settings, message?: string) => void;
}

/** Face thumbnails: off by default, because photos of faces are personal data. */
export function ThumbnailSettings({ db, settings, onChanged }: LogSettingsProps) {
  const toggle = async (on: boolean) => {
    const next = await db.setSettings({ thumbnails: on });
    if (!on && confirm('Also delete the thumbnails already stored?')) {
      const cleared = await db.clearThumbnails();
      onChanged(next, `Deleted ${cleared} thumbnails.`);
    } else {
      onChanged(next, on ? 'New events keep a small photo of the face.' : 'New events keep no photo.');
    }
  };
  return (
    <section class="panel settings-section" aria-labelledby="settings-thumbnails-title">
      <h3 id="settings-thumbnails-title">Face thumbnails</h3>
      <label class="check-field">
        <input
          type="checkbox"
          checked={settings.thumbnails}
          data-testid="settings-thumbnails"
          onChange={(e) => void toggle(e.currentTarget.checked)}
        />
        <span>Save a small photo of each face</span>
      </label>
      <p class="muted">
        Off by default. Photos of faces are personal data: they stay on this device, are never exported, and are deleted
        first when space runs low.
      </p>
    </section>
  );
}

/** How long events are kept; saving a shorter period deletes the older events at once. */
export function RetentionSettings({ db, settings, onChanged }: LogSettingsProps) {
  const [retention, setRetention] = useState(String(settings.retentionDays));
  useEffect(() => setRetention(String(settings.retentionDays)), [settings.retentionDays]);

  const save = async () => {
    const days = Number(retention);
    if (!Number.isInteger(days) || days < 0) {
      onChanged(settings, 'Retention must be a whole number of days (0 keeps everything).');
      return;
    }
    const next = await db.setSettings({ retentionDays: days });
    const deleted = await db.applyRetention();
    // With sync on, its local copy of the events follows; not awaited (it may wait for the server).
    void syncController.applyRetention();
    onChanged(
      next,
      deleted > 0
        ? `Deleted ${deleted} events older than ${days} days.`
        : `Events are kept ${days > 0 ? `for ${days} days` : 'forever'}.`,
    );
  };

  return (
    <section class="panel settings-section" aria-labelledby="settings-retention-title">
      <h3 id="settings-retention-title">Retention</h3>
      <label class="stack-field">
        <span>Keep events for (days, 0 = forever)</span>
        <input
          type="number"
          min={0}
          step={1}
          inputMode="numeric"
          value={retention}
          data-testid="settings-retention"
          onInput={(e) => setRetention(e.currentTarget.value)}
          onChange={() => void save()}
        />
      </label>
    </section>
  );
}

/** The entrance-mode beep on incorrect / no mask (also switchable on the Live screen). */
export function SoundSettings({ db, onChanged, settings }: LogSettingsProps) {
  return (
    <section class="panel settings-section" aria-labelledby="settings-sound-title">
      <h3 id="settings-sound-title">Sound alerts</h3>
      <label class="check-field">
        <input
          type="checkbox"
          checked={settings.soundAlerts}
          data-testid="settings-sound"
          onChange={(e) =>
            void db.setSettings({ soundAlerts: e.currentTarget.checked }).then((next) => onChanged(next))
          }
        />
        <span>In entrance mode, sound when someone has an incorrect mask or none</span>
      </label>
    </section>
  );
}
