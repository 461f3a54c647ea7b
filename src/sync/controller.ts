// The app's one sync: reads the settings when the log opens, starts or stops the engine when they change,
// and tells the screens (status, events imported). PouchDB is imported only when sync is turned on, so with
// sync off none of it loads and nothing leaves the origin.
import type { LogDb } from '../log/db';
import { checkConfig, DEFAULT_SYNC_CONFIG, type ConfigProblems, type SyncConfig } from './config';
import type { EngineOptions, PouchStatic, SyncEngine } from './engine';
import { OFF, type SyncStatus } from './status';
import { loadSyncConfig, saveSyncConfig } from './store';

export interface SyncSnapshot {
  config: SyncConfig;
  status: SyncStatus;
  /** Bumped whenever events from other entrances were added to the log. */
  imports: number;
}

type Listener = (snapshot: SyncSnapshot) => void;

export interface ControllerOptions {
  loadPouch?: () => Promise<PouchStatic>;
  engine?: EngineOptions;
  /** Origins other than the page's that the CSP allows (see checkConfig). */
  allowedOrigins?: readonly string[];
  appOrigin?: string;
}

// The cast is the boundary: pouchdb-browser ships no types, engine.ts types what is used.
const loadBrowserPouch = async (): Promise<PouchStatic> => (await import('pouchdb-browser')).default as PouchStatic;

export class SyncController {
  private log: LogDb | null = null;
  private engine: SyncEngine | null = null;
  private snapshot: SyncSnapshot = { config: DEFAULT_SYNC_CONFIG, status: OFF, imports: 0 };
  private readonly listeners = new Set<Listener>();
  /** Serialises start/stop so a quick off-on never runs two engines. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: ControllerOptions = {}) {}

  get current(): SyncSnapshot {
    return this.snapshot;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    listener(this.snapshot);
    return () => this.listeners.delete(listener);
  }

  /** The log is open: load the settings and start syncing if it is turned on. */
  attach(log: LogDb): Promise<void> {
    return this.enqueue(async () => {
      this.log = log;
      const config = await loadSyncConfig(log);
      await this.restart(config);
    });
  }

  /** The log closed under us (another tab upgraded it). */
  detach(): Promise<void> {
    return this.enqueue(async () => {
      await this.restart(DEFAULT_SYNC_CONFIG);
      this.log = null;
    });
  }

  /**
   * Stores new settings and applies them. When they are to be turned on and something is wrong, nothing is
   * stored and the problems are returned (the form keeps what the user typed).
   */
  async save(config: SyncConfig): Promise<ConfigProblems> {
    if (config.enabled) {
      const origin = this.options.appOrigin ?? globalThis.location?.origin ?? '';
      const problems = checkConfig(config, origin, this.options.allowedOrigins);
      if (Object.keys(problems).length) return problems;
    }
    await this.enqueue(async () => {
      if (!this.log) throw new Error('The local log is not open, so sync cannot be set up.');
      await saveSyncConfig(this.log, config);
      await this.restart(config);
    });
    return {};
  }

  /**
   * The log's retention changed or was applied: prune the sync's local database the same way (without
   * touching the server, see SyncEngine.pruneLocal). Resolves with how many documents it removed.
   */
  async applyRetention(): Promise<number> {
    const engine = this.engine;
    if (!engine) return 0;
    await engine.prune();
    return engine.pruned;
  }

  /** New events were logged: copy them to the outbox now rather than at the next poll. */
  kick(): void {
    void this.engine?.pump();
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const next = this.queue.then(task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async restart(config: SyncConfig): Promise<void> {
    await this.engine?.stop();
    this.engine = null;
    this.set({ config, status: OFF });
    if (!config.enabled || !this.log) return;
    const [PouchDB, { SyncEngine }] = await Promise.all([
      (this.options.loadPouch ?? loadBrowserPouch)(),
      import('./engine'),
    ]);
    const engine: SyncEngine = new SyncEngine(
      PouchDB,
      this.log,
      config,
      {
        onStatus: (status) => this.engine === engine && this.set({ status }),
        onImported: () => this.engine === engine && this.set({ imports: this.snapshot.imports + 1 }),
      },
      this.options.engine,
    );
    this.engine = engine;
    // Not awaited: the first look at the server may take long, and must not hold up a change of settings.
    void engine.start();
  }

  private set(patch: Partial<SyncSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of this.listeners) listener(this.snapshot);
  }
}

/** The app's sync (one per page); a build with MASKGATE_SYNC_ORIGIN also allows that origin (vite.config.ts). */
export const syncController = new SyncController({ allowedOrigins: __SYNC_ORIGIN__ ? [__SYNC_ORIGIN__] : [] });
