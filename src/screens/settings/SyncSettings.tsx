// Sync settings: off by default; turning it on needs a server on this app's own origin (a proxy, see the
// README), a site database, this device's user and password and a name for the entrance. Bad input is named
// field by field and nothing is stored; what was typed stays in the form.
import { useEffect, useState } from 'preact/hooks';
import { useSync } from '../common/useSync';
import { errorText } from '../../errorText';
import type { ConfigProblems, SyncConfig, SyncField } from '../../sync/config';
import { syncController } from '../../sync/controller';

const FIELDS: { key: SyncField; label: string; type: string; placeholder: string; autocomplete: string }[] = [
  {
    key: 'serverUrl',
    label: 'Server address',
    type: 'url',
    placeholder: `${location.origin}/couch`,
    autocomplete: 'off',
  },
  { key: 'database', label: 'Site database', type: 'text', placeholder: 'site-hq', autocomplete: 'off' },
  { key: 'user', label: 'Device user', type: 'text', placeholder: 'door-north', autocomplete: 'username' },
  { key: 'password', label: 'Password', type: 'password', placeholder: '', autocomplete: 'current-password' },
  { key: 'entrance', label: 'Entrance name', type: 'text', placeholder: 'North door', autocomplete: 'off' },
];

export function SyncSettings() {
  const { config, status } = useSync();
  const [draft, setDraft] = useState<SyncConfig>(config);
  const [problems, setProblems] = useState<ConfigProblems>({});
  const [note, setNote] = useState<string | null>(null);

  // A stored change (e.g. at start-up) shows in the form.
  useEffect(() => setDraft(config), [config]);

  const save = async (enabled: boolean) => {
    const next = { ...draft, enabled };
    try {
      const found = await syncController.save(next);
      setProblems(found);
      setNote(Object.keys(found).length ? 'Nothing was saved: correct the fields marked below.' : null);
    } catch (e) {
      setNote(`The settings could not be saved: ${errorText(e)}`);
    }
  };

  return (
    <section class="panel sync-settings" aria-label="Sync across entrances" data-testid="sync-settings">
      <h3>Sync across entrances</h3>
      <p class="muted">
        Off by default. When on, this device sends its events to your site’s CouchDB server and receives those of the
        other entrances. Credentials are stored on this device only.
      </p>
      {FIELDS.map((f) => (
        <label key={f.key} class="sync-field">
          {f.label}
          <input
            type={f.type}
            value={draft[f.key]}
            placeholder={f.placeholder}
            autocomplete={f.autocomplete}
            data-testid={`sync-${f.key}`}
            aria-invalid={problems[f.key] ? 'true' : undefined}
            onInput={(e) => setDraft({ ...draft, [f.key]: e.currentTarget.value })}
          />
          {problems[f.key] && (
            <span class="sync-problem" role="alert" data-testid={`sync-problem-${f.key}`}>
              {problems[f.key]}
            </span>
          )}
        </label>
      ))}
      <label class="sync-thumbnails">
        <input
          type="checkbox"
          checked={draft.thumbnails}
          data-testid="sync-thumbnails"
          onChange={(e) => setDraft({ ...draft, thumbnails: e.currentTarget.checked })}
        />
        Also send face thumbnails (off: photos of faces never leave this device)
      </label>
      <div class="sync-buttons">
        <button type="button" data-testid="sync-on" onClick={() => void save(true)}>
          {config.enabled ? 'Save and reconnect' : 'Turn sync on'}
        </button>
        {config.enabled && (
          <button type="button" data-testid="sync-off" onClick={() => void save(false)}>
            Turn sync off
          </button>
        )}
      </div>
      {note && (
        <p class="sync-note" role="alert" data-testid="sync-note">
          {note}
        </p>
      )}
      <p class={`sync-status sync-${status.state}`} role="status" data-testid="sync-status" data-state={status.state}>
        {status.message}
        {status.state !== 'off' && ` Sent ${status.sent}, received ${status.received} since start.`}
        {status.lastSynced && ` Last up to date ${new Date(status.lastSynced).toLocaleTimeString()}.`}
      </p>
    </section>
  );
}
