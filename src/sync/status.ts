// What the sync is doing, in words the person at the entrance can act on.

export type SyncState = 'off' | 'starting' | 'syncing' | 'idle' | 'retrying' | 'error';
export type SyncProblem = 'auth' | 'forbidden' | 'not-found' | 'other';

export interface SyncStatus {
  state: SyncState;
  message: string;
  problem?: SyncProblem;
  /** Events sent / received since the sync started. */
  sent: number;
  received: number;
  /** When the sync last caught up with the server, ms since epoch. */
  lastSynced?: number;
}

export const OFF: SyncStatus = {
  state: 'off',
  message: 'Sync is off: events stay on this device.',
  sent: 0,
  received: 0,
};

const KEPT = 'Events stay on this device and are sent once this is fixed.';

/** How an error from the server or the network is shown, and whether replication may retry it. */
export function describeError(
  error: unknown,
  config: { user: string; database: string },
): {
  state: 'retrying' | 'error';
  problem?: SyncProblem;
  message: string;
} {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    status?: unknown;
    name?: unknown;
    message?: unknown;
    reason?: unknown;
  };
  const status = typeof e.status === 'number' ? e.status : 0;
  const reason = String(e.reason ?? e.message ?? '');
  // CouchDB: a wrong password is 401 "Name or password is incorrect."; a user who is not a member of the
  // database gets 403 (pouchdb-server, used by the tests, answers 401 "not authorized to access this db").
  if (status === 401 && /password/i.test(reason))
    return { state: 'error', problem: 'auth', message: `Wrong user name or password for “${config.user}”. ${KEPT}` };
  if (status === 401 || status === 403 || e.name === 'forbidden' || e.name === 'unauthorized')
    return {
      state: 'error',
      problem: 'forbidden',
      message: `User “${config.user}” is not allowed to use database “${config.database}” (ask the site’s administrator to add it as a member). ${KEPT}`,
    };
  if (e.name === 'not_couchdb')
    return {
      state: 'error',
      problem: 'not-found',
      message: `The server address answers with a web page, not the database: check the address (and the proxy). ${KEPT}`,
    };
  if (status === 404)
    return {
      state: 'error',
      problem: 'not-found',
      message: `The server has no database “${config.database}”: check the name, or ask the administrator to create it. ${KEPT}`,
    };
  if (status >= 400 && status < 500)
    return {
      state: 'error',
      problem: 'other',
      message: `The server refused the request (${status} ${reason}). ${KEPT}`,
    };
  // No answer, a proxy's 502/503/504, a server error: the replication retries with back-off.
  return {
    state: 'retrying',
    message: `The server cannot be reached${status ? ` (${status})` : ''}; retrying. Events are kept on this device meanwhile.`,
  };
}
