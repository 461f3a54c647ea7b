// What the user sets up for sync, and the checks that stop bad input before anything is stored or sent.
export interface SyncConfig {
  /** Off by default: with sync off nothing is loaded and no request leaves the origin. */
  enabled: boolean;
  /** The CouchDB root as this app reaches it, e.g. https://gate.example.org/couch (a same-origin proxy). */
  serverUrl: string;
  /** One database per site, e.g. site-hq. */
  database: string;
  /** This device's own non-admin CouchDB user. */
  user: string;
  /** Stored on this device only (the log's settings store); never logged or exported. */
  password: string;
  /** Name of the entrance this device watches, shown on the other devices. */
  entrance: string;
  /** Also send face thumbnails; off by default and separate from saving them locally. */
  thumbnails: boolean;
}

export const DEFAULT_SYNC_CONFIG: SyncConfig = {
  enabled: false,
  serverUrl: '',
  database: '',
  user: '',
  password: '',
  entrance: '',
  thumbnails: false,
};

export type SyncField = Exclude<keyof SyncConfig, 'enabled' | 'thumbnails'>;
export type ConfigProblems = Partial<Record<SyncField, string>>;

// CouchDB's rule for database names.
const DB_NAME = /^[a-z][a-z0-9_$()+/-]*$/;
const MAX_TEXT = 200;

/**
 * What is wrong with a configuration that is to be turned on (empty when nothing). `appOrigin` is the page's
 * origin; `allowedOrigins` any other origin the build's CSP lets the app connect to (none by default).
 */
export function checkConfig(
  config: SyncConfig,
  appOrigin: string,
  allowedOrigins: readonly string[] = [],
): ConfigProblems {
  const problems: ConfigProblems = {};
  let url: URL | null = null;
  try {
    url = new URL(config.serverUrl.trim());
  } catch {
    problems.serverUrl = 'Enter the full server address, e.g. https://gate.example.org/couch';
  }
  if (url) {
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      problems.serverUrl = 'The address must start with https://';
    else if (url.username || url.password) problems.serverUrl = 'Put the user and password in their own fields';
    else if (url.search || url.hash) problems.serverUrl = 'The address must not have a ? or # part';
    else if (url.origin !== appOrigin && !allowedOrigins.includes(url.origin))
      problems.serverUrl = `This app may only connect to its own address (${appOrigin}${allowedOrigins.length ? ` or ${allowedOrigins.join(', ')}` : ''}): serve the database through a proxy on it (see the README).`;
  }
  if (!DB_NAME.test(config.database))
    problems.database = 'A database name starts with a lower-case letter and has only a-z, 0-9 and _$()+-/';
  if (!config.user.trim()) problems.user = 'Enter this device’s user name';
  if (!config.password) problems.password = 'Enter the password';
  if (!config.entrance.trim()) problems.entrance = 'Name this entrance, e.g. North door';
  for (const key of ['serverUrl', 'database', 'user', 'password', 'entrance'] as const) {
    if (config[key].length > MAX_TEXT) problems[key] = `At most ${MAX_TEXT} characters`;
  }
  return problems;
}

/** The site database's URL. */
export function remoteUrl(config: SyncConfig): string {
  return `${config.serverUrl.trim().replace(/\/+$/, '')}/${encodeURIComponent(config.database)}`;
}

/** A stored value read back: anything malformed reads as the default (sync off). */
export function parseConfig(value: unknown): SyncConfig {
  if (typeof value !== 'object' || value === null) return DEFAULT_SYNC_CONFIG;
  const record = value as Record<string, unknown>;
  const config: SyncConfig = { ...DEFAULT_SYNC_CONFIG };
  for (const key of Object.keys(DEFAULT_SYNC_CONFIG) as (keyof SyncConfig)[]) {
    const v = record[key];
    if (typeof v === typeof DEFAULT_SYNC_CONFIG[key]) Object.assign(config, { [key]: v });
  }
  return config;
}
