// One running sync: the outbox pump, live push and pull replication with retry, and the importer, with
// their combined status. PouchDB is passed in (the browser build in the app, the memory adapter in unit tests).
import type { LogDb } from '../log/db';
import { errorText } from '../errorText';
import { remoteUrl, type SyncConfig } from './config';
import { DOC_TYPE, type EventDoc } from './docs';
import { drainInbox, type InboxDb } from './inbox';
import { pumpOutbox, type OutboxDb } from './outbox';
import { serial } from './serial';
import { describeError, type SyncStatus } from './status';
import { jsonErrorsFetch } from './fetchJson';

/**
 * The part of PouchDB this module uses, typed here: @types/pouchdb-core declares a global Buffer that breaks
 * Node's, and PouchDB comes in two builds (the browser one in the app, the memory adapter in unit tests).
 */
export interface ReplicateOptions {
  live: boolean;
  retry: boolean;
  batch_size: number;
  back_off_function: (delay: number) => number;
  /** Runs on this device for a push: documents it refuses are never sent. */
  filter?: (doc: { _deleted?: boolean }) => boolean;
}

export interface Replication {
  cancel(): void;
  on(event: 'active', listener: () => void): this;
  on(event: 'paused', listener: (error?: unknown) => void): this;
  on(event: 'change', listener: (info: { docs_written: number }) => void): this;
  on(event: 'denied' | 'error', listener: (error: unknown) => void): this;
}

export interface PouchDatabase extends OutboxDb, InboxDb {
  /** A request to the database's URL (http adapter), `path` relative to it. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
  allDocs(options: {
    include_docs: true;
    limit: number;
    startkey?: string;
    skip?: number;
  }): Promise<{ rows: { id: string; doc?: { _id: string; _rev: string } & Record<string, unknown> }[] }>;
  /** Event documents (the outbox), or deletions of them (pruning: never pushed, see pruneLocal). */
  bulkDocs(
    docs: EventDoc[] | { _id: string; _rev: string; _deleted: true }[],
  ): Promise<({ ok: true } | { error: true; status?: number; message?: string })[]>;
  /** Which of these revisions the database lacks (asked of the server). */
  revsDiff(revs: Record<string, string[]>): Promise<Record<string, { missing?: string[] }>>;
  /** Drops the bodies (and attachments) of revisions that are no longer leaves. */
  compact(): Promise<unknown>;
  replicate: {
    to(target: PouchDatabase, options: ReplicateOptions): Replication;
    from(source: PouchDatabase, options: ReplicateOptions): Replication;
  };
}

export type PouchStatic = new (
  name: string,
  options?: {
    adapter?: string;
    skip_setup?: boolean;
    auth?: { username: string; password: string };
    fetch?: typeof fetch;
  },
) => PouchDatabase;

type Db = PouchDatabase;
type Direction = 'push' | 'pull';
type DirectionState = { state: 'active' | 'idle' | 'retrying'; error?: unknown };

export interface EngineOptions {
  /** How often the pump looks for new events when not kicked; 2 s is one cheap key-range read. */
  pumpEveryMs?: number;
  /** PouchDB adapter of the local database (default: the build's, IndexedDB in browsers). */
  adapter?: string;
  /** Longest wait between retries; the first is 1 s, then doubling. */
  maxBackOffMs?: number;
  /** How often the server is looked at, to restart replication once it answers again (see watch()). */
  watchEveryMs?: number;
  /** Replication idle this long is restarted anyway (a live pull can hang on a dead connection). */
  refreshAfterMs?: number;
  /** Prefix of the local database's name (unit tests run several devices in one process). */
  localPrefix?: string;
}

const DAY_MS = 86_400_000;
/** Documents read per step when pruning the local database. */
const PRUNE_BATCH = 500;

/** Push filter: a deletion made on this device (retention pruning the local copy) is never sent. */
const notDeleted = (doc: { _deleted?: boolean }) => !doc._deleted;

export interface EngineHooks {
  onStatus(status: SyncStatus): void;
  /** Events from other entrances were added to the log. */
  onImported(count: number): void;
}

/**
 * The local PouchDB database of one remote: a new site or server starts a new outbox. Letters, digits and
 * dashes only: PouchDB's LevelDB adapters read a name with slashes as a path (two URLs became one database).
 */
export function localName(config: SyncConfig): string {
  let hash = 0x811c9dc5; // FNV-1a of the database URL
  for (const c of remoteUrl(config)) hash = Math.imul(hash ^ (c.codePointAt(0) ?? 0), 0x01000193) >>> 0;
  return `maskgate-sync-${config.database.replace(/[^a-z0-9-]/g, '-')}-${hash.toString(16)}`;
}

export class SyncEngine {
  private readonly local: Db;
  private readonly remote: Db;
  private readonly replications = new Map<Direction, Replication>();
  private readonly directions = new Map<Direction, DirectionState>();
  private fatal: ReturnType<typeof describeError> | null = null;
  private status: SyncStatus = { state: 'starting', message: 'Connecting to the sync server…', sent: 0, received: 0 };
  private timer: ReturnType<typeof setInterval> | undefined;
  private watcher: ReturnType<typeof setInterval> | undefined;
  /** The server failed to answer since replication last (re)started. */
  private outage = false;
  private startedAt = 0;
  private stopped = false;
  readonly pump: () => Promise<void>;
  readonly drain: () => Promise<void>;
  /** Applies the log's retention to the local database (see pruneLocal); serial, like pump and drain. */
  readonly prune: () => Promise<void>;
  /** Documents removed from the local database by the last prune (for tests and the settings message). */
  pruned = 0;

  constructor(
    PouchDB: PouchStatic,
    private readonly log: LogDb,
    private readonly config: SyncConfig,
    private readonly hooks: EngineHooks,
    private readonly options: EngineOptions = {},
  ) {
    this.local = new PouchDB(
      (options.localPrefix ?? '') + localName(config),
      options.adapter ? { adapter: options.adapter } : {},
    );
    // skip_setup: a device user may not create databases (and pouchdb-server crashes when one tries).
    this.remote = new PouchDB(remoteUrl(config), {
      skip_setup: true,
      auth: { username: config.user, password: config.password },
      fetch: jsonErrorsFetch(),
    });
    this.pump = serial(async () => {
      if (this.stopped) return;
      await pumpOutbox(this.log, this.local, {
        entrance: config.entrance.trim(),
        thumbnails: config.thumbnails,
      }).catch((e: unknown) => this.localProblem(e));
    });
    this.drain = serial(async () => {
      if (this.stopped) return;
      const added = await this.retentionCutoff()
        .then((notBefore) => drainInbox(this.log, this.local, { thumbnails: config.thumbnails, notBefore }))
        .catch((e: unknown) => (this.localProblem(e), 0));
      if (added > 0) this.hooks.onImported(added);
    });
    this.prune = serial(async () => {
      if (this.stopped) return;
      this.pruned = await this.pruneLocal().catch((e: unknown) => (this.localProblem(e), 0));
    });
  }

  /** Events with `time` before this are past the log's retention (null: kept forever). Same rule as the log's. */
  private async retentionCutoff(now = Date.now()): Promise<number | null> {
    const { retentionDays } = await this.log.getSettings();
    return retentionDays > 0 ? now - retentionDays * DAY_MS : null;
  }

  /**
   * Retention for the local PouchDB database (outbox and inbox): documents of events older than the log's
   * retention are deleted here and the database compacted, so their bodies and thumbnails go. Why deletions
   * and not something else: pouchdb-browser 9's IndexedDB adapter has no purge (db.purge answers "not
   * implemented"), and recreating the database would lose the replication checkpoints, so the next pull
   * would fetch the whole site again and bring the old events back. A deletion, though, would replicate as a
   * tombstone and erase the event on the server and so for every entrance: the push therefore carries the
   * `notDeleted` filter and never sends one. What stays per pruned event is its tombstone (id and revision,
   * no body), which is also what keeps a later pull from fetching it again. This device's own documents are
   * deleted only once the server has them (asked with _revs_diff): one made while the server was out of reach
   * for longer than the retention is still sent first.
   */
  private async pruneLocal(now = Date.now()): Promise<number> {
    const cutoff = await this.retentionCutoff(now);
    if (cutoff === null) return 0;
    let pruned = 0;
    let startkey: string | undefined;
    for (;;) {
      const { rows } = await this.local.allDocs({
        include_docs: true,
        limit: PRUNE_BATCH,
        ...(startkey === undefined ? {} : { startkey, skip: 1 }),
      });
      if (rows.length === 0) break;
      startkey = rows.at(-1)?.id;
      const old = rows.flatMap(({ doc }) =>
        doc && doc['type'] === DOC_TYPE && typeof doc['time'] === 'number' && doc['time'] < cutoff ? [doc] : [],
      );
      const own = old.filter((doc) => doc['device'] === this.log.deviceId);
      const unsent = own.length ? await this.missingOnServer(own) : new Set<string>();
      const prunable = old.filter((doc) => !unsent.has(doc._id));
      if (prunable.length) {
        const results = await this.local.bulkDocs(
          prunable.map(({ _id, _rev }) => ({ _id, _rev, _deleted: true as const })),
        );
        pruned += results.filter((r) => 'ok' in r).length;
      }
    }
    if (pruned > 0) await this.local.compact();
    return pruned;
  }

  /** The ids of these documents the server does not have yet; all of them when it cannot be asked. */
  private async missingOnServer(docs: readonly { _id: string; _rev: string }[]): Promise<Set<string>> {
    const all = new Set(docs.map((d) => d._id));
    try {
      const diff = await this.remote.revsDiff(Object.fromEntries(docs.map((d) => [d._id, [d._rev]])));
      return new Set(Object.keys(diff).filter((id) => diff[id]?.missing?.length));
    } catch {
      return all;
    }
  }

  /** Starts pumping, checks the server once for a clear message, then replicates live until stopped. */
  async start(): Promise<void> {
    this.emit();
    this.timer = setInterval(() => void this.pump(), this.options.pumpEveryMs ?? 2000);
    void this.pump();
    void this.drain();
    globalThis.addEventListener?.('online', this.onOnline);
    // One look at the database first, for a clear message: a wrong password, a missing database or a refusal
    // will not fix itself, so the sync stops and says so. (PouchDB's info() does not report HTTP errors.)
    try {
      const response = await this.remote.fetch('');
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { error?: string; reason?: string };
        const problem = describeError({ status: response.status, name: body.error, reason: body.reason }, this.config);
        if (problem.state === 'error') return this.fail(problem);
      }
    } catch {
      // No answer: the replication below retries until there is one.
    }
    if (this.stopped) return;
    this.replicate();
    this.watcher = setInterval(() => void this.watch(), this.options.watchEveryMs ?? 5000);
    // The log applied its retention when it opened; the local copy follows (it may wait for the server).
    void this.prune();
  }

  /**
   * PouchDB's own retry does not always bring a live pull back after the server restarts (apache/pouchdb
   * #8050, #7887; seen here once in the e2e kill test: the other entrance never received the rest). So the
   * engine looks at the server every 5 s and restarts both replications from their checkpoints when it
   * answers again after an outage, and after 60 s idle in any case. An outage is any failed request of either
   * replication, kept until that restart: a server down for less than one look (killed and restarted within
   * ~2 s in the e2e test) was otherwise missed when PouchDB's own retry had already reported 'idle' again, and
   * the other entrance then waited for the 60 s refresh (one CI run: 64 s for that test instead of 11 s).
   */
  private async watch(): Promise<void> {
    if (this.stopped || this.fatal) return;
    void this.drain(); // also catches up an import that failed (the next change would otherwise be needed)
    const reachable = await this.remote.fetch('').then(
      (r) => r.status < 500,
      () => false,
    );
    if (this.stopped || this.fatal) return;
    // A failed request of either replication already marked it (the 'paused' handler below).
    if (!reachable) this.outage = true;
    const idle = [...this.directions.values()].every((d) => d.state === 'idle');
    const stale = idle && Date.now() - this.startedAt > (this.options.refreshAfterMs ?? 60_000);
    if (reachable && (this.outage || stale)) this.restartReplication();
  }

  private restartReplication(): void {
    for (const r of this.replications.values()) r.cancel();
    this.replications.clear();
    this.outage = false;
    this.replicate();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearInterval(this.watcher);
    globalThis.removeEventListener?.('online', this.onOnline);
    for (const r of this.replications.values()) r.cancel();
    this.replications.clear();
    await Promise.allSettled([this.pump(), this.drain(), this.prune()]);
    await this.local.close();
    await this.remote.close();
  }

  private replicate(): void {
    this.startedAt = Date.now();
    const maxBackOff = this.options.maxBackOffMs ?? 30_000;
    const options: ReplicateOptions = {
      live: true,
      retry: true,
      batch_size: 500,
      // PouchDB's default grows to 10 min; a door that was offline should catch up within seconds.
      back_off_function: (delay) => (delay === 0 ? 1000 : Math.min(delay * 2, maxBackOff)),
    };
    const start = (direction: Direction) =>
      direction === 'push'
        ? this.local.replicate.to(this.remote, { ...options, filter: notDeleted })
        : this.local.replicate.from(this.remote, options);
    for (const direction of ['push', 'pull'] as const) {
      const replication = start(direction);
      this.replications.set(direction, replication);
      this.directions.set(direction, { state: 'active' });
      // A cancelled replication (restartReplication) may still report; only the current one counts.
      const current = () => this.replications.get(direction) === replication;
      replication
        .on('active', () => current() && this.update(direction, { state: 'active' }))
        .on('paused', (error) => {
          if (!current()) return;
          if (error) this.outage = true;
          this.update(direction, error ? { state: 'retrying', error } : { state: 'idle' });
        })
        .on('change', (info) => {
          if (direction === 'push') this.status.sent += info.docs_written;
          else {
            this.status.received += info.docs_written;
            void this.drain();
          }
          if (current()) this.update(direction, { state: 'active' });
        })
        .on('denied', (error) => current() && this.fail(describeError(error, this.config)))
        .on('error', (error) => current() && this.fail(describeError(error, this.config)));
    }
    this.emit();
  }

  /** Back online: retry now rather than at the end of the back-off wait. */
  private readonly onOnline = () => {
    if (this.stopped || this.fatal) return;
    if (![...this.directions.values()].some((d) => d.state === 'retrying')) return;
    this.restartReplication();
  };

  private update(direction: Direction, state: DirectionState): void {
    if (this.stopped || this.fatal) return;
    this.directions.set(direction, state);
    this.emit();
  }

  private fail(problem: ReturnType<typeof describeError>): void {
    if (problem.state === 'retrying') return; // replication retries these itself
    this.fatal = problem;
    for (const r of this.replications.values()) r.cancel();
    this.emit();
  }

  private localProblem(error: unknown): void {
    this.status.message = `Sync could not read or write on this device: ${errorText(error)}`;
    this.hooks.onStatus({ ...this.status, state: 'error', problem: 'other' });
  }

  private emit(): void {
    const states = [...this.directions.values()];
    const retrying = states.find((d) => d.state === 'retrying');
    const { sent, received } = this.status;
    if (this.fatal) this.status = { ...this.fatal, sent, received };
    else if (retrying) this.status = { ...describeError(retrying.error, this.config), sent, received };
    else if (states.length === 0)
      this.status = { state: 'starting', message: 'Connecting to the sync server…', sent, received };
    else if (states.some((d) => d.state === 'active'))
      this.status = { state: 'syncing', message: 'Syncing…', sent, received };
    else {
      const lastSynced = Date.now();
      this.status = { state: 'idle', message: 'Up to date with the server.', sent, received, lastSynced };
    }
    this.hooks.onStatus({ ...this.status });
  }
}
