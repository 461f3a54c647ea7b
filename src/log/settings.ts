import type { LogDatabase } from './schema';
import { allOrNothing } from './tx';
import { DEFAULT_SETTINGS, type Settings } from './types';

const VALID: { [K in keyof Settings]: (value: unknown) => value is Settings[K] } = {
  thumbnails: (v): v is boolean => typeof v === 'boolean',
  retentionDays: (v): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 36_500,
  soundAlerts: (v): v is boolean => typeof v === 'boolean',
};

const KEYS = Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[];

/** Stored settings over the defaults; a missing or malformed value reads as its default. */
export async function getSettings(db: LogDatabase): Promise<Settings> {
  const store = db.transaction('settings').store;
  const values = await Promise.all(KEYS.map((key) => store.get(key)));
  const settings: Settings = { ...DEFAULT_SETTINGS };
  KEYS.forEach((key, i) => {
    const value = values[i];
    if (VALID[key](value)) Object.assign(settings, { [key]: value });
  });
  return settings;
}

/** Stores the given settings in one transaction; throws RangeError on an invalid value. */
export async function setSettings(db: LogDatabase, changes: Partial<Settings>): Promise<Settings> {
  const entries = KEYS.filter((key) => changes[key] !== undefined).map((key) => [key, changes[key]] as const);
  for (const [key, value] of entries) {
    if (!VALID[key](value)) throw new RangeError(`Invalid value for setting ${key}`);
  }
  const tx = db.transaction('settings', 'readwrite');
  await allOrNothing(tx, entries, ([key, value]) => tx.store.put(value as Settings[typeof key], key));
  return getSettings(db);
}
