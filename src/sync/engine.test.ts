// The sync engine against a real CouchDB-API server (pouchdb-server, started here) with PouchDB's memory
// adapter standing in for the browser's IndexedDB one (the e2e test runs the browser build).
import 'fake-indexeddb/auto';
import PouchDB from 'pouchdb-core';
import memoryAdapter from 'pouchdb-adapter-memory';
import httpAdapter from 'pouchdb-adapter-http';
import replication from 'pouchdb-replication';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshLogs, makeEvent } from '../../tests/helpers/testLog';
import { couch, setUpSites, startCouch } from '../../tests/helpers/couch.mjs';
import type { LogDb } from '../log/db';
import { localName, SyncEngine, type PouchStatic } from './engine';
import { SyncController } from './controller';
import { loadSyncConfig } from './store';
import type { SyncConfig } from './config';
import type { SyncStatus } from './status';

PouchDB.plugin(memoryAdapter).plugin(httpAdapter).plugin(replication);
const Pouch = PouchDB as unknown as PouchStatic; // the Node build, same API as the browser one
const ADMIN: [string, string] = ['admin', 'admin-secret'];
const freshLog = freshLogs('sync');

let server: Awaited<ReturnType<typeof startCouch>>;
beforeAll(async () => {
  server = await startCouch();
  await setUpSites(server.url, ADMIN, {
    'site-a': { 'dev-a1': 'pw-a1', 'dev-a2': 'pw-a2', 'dev-a3': 'pw-a3' },
    'site-b': { 'dev-b1': 'pw-b1' },
    'site-d': { 'dev-d1': 'pw-d1', 'dev-d2': 'pw-d2' },
  });
}, 60_000);
afterAll(() => server?.stop());

let devices = 0;
/** A device syncing `log`; the same `localPrefix` again reopens the same local database (a restart). */
function device(log: LogDb, config: Partial<SyncConfig>, localPrefix = `device${++devices}-`) {
  const statuses: SyncStatus[] = [];
  let imported = 0;
  const full: SyncConfig = {
    enabled: true,
    serverUrl: server.url,
    database: 'site-a',
    user: 'dev-a1',
    password: 'pw-a1',
    entrance: 'North',
    thumbnails: false,
    ...config,
  };
  const engine = new SyncEngine(
    Pouch,
    log,
    full,
    { onStatus: (s) => statuses.push(s), onImported: (n) => (imported += n) },
    { adapter: 'memory', localPrefix, pumpEveryMs: 200, maxBackOffMs: 1000 },
  );
  /** The ids of the live (not deleted) documents in this device's local database (the memory adapter shares it by name). */
  const localIds = async () => {
    const db = new Pouch(localPrefix + localName(full), { adapter: 'memory' });
    const { rows } = await db.allDocs({ include_docs: true, limit: 100_000 });
    return rows.map((r) => r.id).sort();
  };
  return { engine, statuses, imported: () => imported, last: () => statuses.at(-1), localIds, localPrefix };
}

/** Events the log's 30-day default retention keeps: `minutes` minutes ago. */
const recent = (minutes: number) => Date.now() - minutes * 60_000;
const DAY = 86_400_000;

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const docsOn = async (db: string) =>
  (await couch(server.url, `/${db}/_all_docs?include_docs=true`, { auth: ADMIN })).body.rows ?? [];

describe('sync engine (pouchdb-server)', () => {
  it('two devices: each gets the other’s events once, under its entrance, and a restart duplicates nothing', async () => {
    const [logA, logB] = [await freshLog(), await freshLog()];
    for (let i = 0; i < 30; i++) await logA.add(makeEvent(recent(300) + i * 1000, 'correct'));
    for (let i = 0; i < 20; i++) await logB.add(makeEvent(recent(200) + i * 1000, 'none'));
    const a = device(logA, {});
    const b = device(logB, { user: 'dev-a2', password: 'pw-a2', entrance: 'South' });
    await Promise.all([a.engine.start(), b.engine.start()]);
    await until('both logs have 50 events', async () => {
      const [ca, cb] = [await logA.count({}), await logB.count({})];
      return ca.correct + ca.none === 50 && cb.correct + cb.none === 50;
    });
    expect(await logA.countByEntrance({}, await logA.entrances())).toEqual({
      '': { correct: 30, incorrect: 0, none: 0 },
      South: { correct: 0, incorrect: 0, none: 20 },
    });
    expect(await logB.entrances()).toEqual(['', 'North']);
    await until('idle', () => a.last()?.state === 'idle' && b.last()?.state === 'idle');
    expect((await docsOn('site-a')).length).toBe(50);

    // Stop and start again, with more events on A: only those travel, nothing is imported twice.
    await a.engine.stop();
    for (let i = 0; i < 5; i++) await logA.add(makeEvent(recent(100) + i * 1000, 'incorrect'));
    const a2 = device(logA, {});
    await a2.engine.start();
    await until('B has 55', async () => (await logB.count({})).incorrect === 5);
    await new Promise((r) => setTimeout(r, 500));
    expect(await logB.count({})).toEqual({ correct: 30, incorrect: 5, none: 20 });
    expect(await logA.count({})).toEqual({ correct: 30, incorrect: 5, none: 20 });
    expect((await docsOn('site-a')).length).toBe(55);
    await Promise.all([a2.engine.stop(), b.engine.stop()]);
  });

  it('a wrong password: a clear message, replication stops, the events stay queued', async () => {
    const log = await freshLog();
    await log.add(makeEvent(7_000_000));
    const d = device(log, { password: 'wrong' });
    await d.engine.start();
    await until('error', () => d.last()?.state === 'error');
    expect(d.last()).toMatchObject({ problem: 'auth', message: expect.stringMatching(/wrong user name or password/i) });
    expect(JSON.stringify(d.statuses)).not.toContain('wrong"'); // the password never appears in a status
    expect(await log.count({})).toMatchObject({ correct: 1 });
    await d.engine.stop();
  });

  it('another site’s device user is refused with a clear message, and cannot read or write it', async () => {
    const log = await freshLog();
    const d = device(log, { user: 'dev-b1', password: 'pw-b1' });
    await d.engine.start();
    await until('error', () => d.last()?.state === 'error');
    expect(d.last()).toMatchObject({
      problem: 'forbidden',
      message: expect.stringMatching(/not allowed to use database “site-a”/),
    });
    await d.engine.stop();
    const auth: [string, string] = ['dev-b1', 'pw-b1'];
    expect((await couch(server.url, '/site-a/_all_docs', { auth })).status).toBe(401);
    expect((await couch(server.url, '/site-a/_changes', { auth })).status).toBe(401);
    const put = await couch(server.url, '/site-a/intruder', { method: 'PUT', auth, body: {} });
    expect(put.status).toBe(401);
    expect((await couch(server.url, '/site-a/intruder', { auth: ADMIN })).status).toBe(404);
  });

  it('no server: says it is retrying, then sends everything once the server answers', async () => {
    const other = await startCouch();
    await setUpSites(other.url, ADMIN, { 'site-c': { 'dev-c1': 'pw-c1' } });
    await other.kill();
    const log = await freshLog();
    for (let i = 0; i < 10; i++) await log.add(makeEvent(8_000_000 + i));
    const d = device(log, { serverUrl: other.url, database: 'site-c', user: 'dev-c1', password: 'pw-c1' });
    await d.engine.start();
    await until('retrying', () => d.last()?.state === 'retrying');
    expect(d.last()?.message).toMatch(/cannot be reached; retrying/);
    const back = await startCouch({ dir: other.dir, port: other.port });
    try {
      await until(
        '10 docs',
        async () => (await couch(back.url, '/site-c/_all_docs', { auth: ADMIN })).body.rows?.length === 10,
      );
      await until('idle', () => d.last()?.state === 'idle');
    } finally {
      await d.engine.stop();
      await back.stop();
    }
  });

  it('retention prunes the local copy only: the server and the other entrance keep every event, no sync brings them back', async () => {
    const [logA, logB] = [await freshLog(), await freshLog()];
    const site = { database: 'site-d', user: 'dev-d1', password: 'pw-d1' };
    for (let i = 0; i < 3; i++) await logA.add(makeEvent(Date.now() - 10 * DAY + i * 1000, 'correct'));
    for (let i = 0; i < 2; i++) await logA.add(makeEvent(recent(60) + i * 1000, 'correct'));
    for (let i = 0; i < 4; i++) await logB.add(makeEvent(Date.now() - 9 * DAY + i * 1000, 'none'));
    await logB.add(makeEvent(recent(30), 'none'));
    const a = device(logA, site);
    const b = device(logB, { database: 'site-d', user: 'dev-d2', password: 'pw-d2', entrance: 'South' });
    await Promise.all([a.engine.start(), b.engine.start()]);
    const total = async (log: LogDb) => Object.values(await log.count({})).reduce((x, y) => x + y, 0);
    await until('both logs have all 10', async () => (await total(logA)) === 10 && (await total(logB)) === 10);
    await until('idle', () => a.last()?.state === 'idle' && b.last()?.state === 'idle');
    expect(await a.localIds()).toHaveLength(10);

    // A keeps 5 days: the log and then its local copy drop the 7 older events, own (sent) and pulled alike.
    await logA.setSettings({ retentionDays: 5 });
    expect(await logA.applyRetention()).toBe(7);
    await a.engine.prune();
    expect(a.engine.pruned).toBe(7);
    const kept = (await logA.page({}, 100)).events.map((e) => e.uid).sort();
    expect(kept).toHaveLength(3);
    expect(await a.localIds()).toEqual(kept);
    // Nothing was deleted on the server (no tombstone was pushed), and B keeps all 10.
    await new Promise((r) => setTimeout(r, 1000));
    expect((await docsOn('site-d')).length).toBe(10);
    const changes = await couch(server.url, '/site-d/_changes', { auth: ADMIN });
    expect((changes.body['results'] as { deleted?: boolean }[]).filter((c) => c.deleted)).toEqual([]);
    expect(await total(logB)).toBe(10);

    // A later sync (A restarted on the same local database, B sends a new event): nothing old comes back.
    await a.engine.stop();
    const a2 = device(logA, site, a.localPrefix);
    await a2.engine.start();
    await logB.add(makeEvent(recent(5), 'incorrect'));
    await until('A has the new one', async () => (await logA.count({})).incorrect === 1);
    await until('A idle', () => a2.last()?.state === 'idle');
    expect(await total(logA)).toBe(4);
    expect(await a2.localIds()).toHaveLength(4);
    expect((await docsOn('site-d')).length).toBe(11);

    // Even a new local database (other settings, checkpoints lost) that pulls the whole site puts no event
    // past the retention into the log, and its own prune drops them from the new copy.
    await a2.engine.stop();
    const a3 = device(logA, site);
    await a3.engine.start();
    await until('the whole site pulled', async () => (await a3.localIds()).length === 11);
    await until('A3 idle', () => a3.last()?.state === 'idle');
    await a3.engine.drain();
    expect(await total(logA)).toBe(4);
    await a3.engine.prune();
    expect(await a3.localIds()).toHaveLength(4);
    expect((await docsOn('site-d')).length).toBe(11);
    await Promise.all([a3.engine.stop(), b.engine.stop()]);
  });

  it('retention keeps this device’s own documents the server does not have yet, and prunes them once sent', async () => {
    const other = await startCouch();
    await setUpSites(other.url, ADMIN, { 'site-e': { 'dev-e1': 'pw-e1' } });
    await other.kill();
    const log = await freshLog();
    await log.add(makeEvent(Date.now() - 10 * DAY, 'none'));
    await log.add(makeEvent(recent(10), 'correct'));
    const config = { serverUrl: other.url, database: 'site-e', user: 'dev-e1', password: 'pw-e1' };
    const d = device(log, config);
    await d.engine.start();
    await until('both in the outbox', async () => (await d.localIds()).length === 2);
    await log.setSettings({ retentionDays: 5 });
    expect(await log.applyRetention()).toBe(1);
    // Server out of reach: the old event's only copy is the outbox, so it stays.
    await d.engine.prune();
    expect(d.engine.pruned).toBe(0);
    expect(await d.localIds()).toHaveLength(2);
    const back = await startCouch({ dir: other.dir, port: other.port });
    try {
      const onServer = async () => (await couch(back.url, '/site-e/_all_docs', { auth: ADMIN })).body.rows?.length;
      await until('both sent', async () => (await onServer()) === 2);
      await d.engine.prune();
      expect(d.engine.pruned).toBe(1);
      expect(await d.localIds()).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 1000));
      expect(await onServer()).toBe(2);
    } finally {
      await d.engine.stop();
      await back.stop();
    }
  });

  it('the controller: off loads nothing; bad settings are refused and not stored; on starts and syncs', async () => {
    const log = await freshLog();
    await log.add(makeEvent(9_000_000));
    let loads = 0;
    const controller = new SyncController({
      loadPouch: async () => (loads++, Pouch),
      appOrigin: new URL(server.url).origin,
      engine: { adapter: 'memory', localPrefix: 'controller-', pumpEveryMs: 200 },
    });
    const states: string[] = [];
    controller.subscribe((s) => states.push(s.status.state));
    await controller.attach(log);
    expect([loads, controller.current.status.state]).toEqual([0, 'off']);

    const good = {
      enabled: true,
      serverUrl: server.url,
      database: 'site-a',
      user: 'dev-a3',
      password: 'pw-a3',
      entrance: 'West',
      thumbnails: false,
    };
    const problems = await controller.save({ ...good, serverUrl: 'https://elsewhere.example', password: '' });
    expect(Object.keys(problems).sort()).toEqual(['password', 'serverUrl']);
    expect((await loadSyncConfig(log)).enabled).toBe(false);
    expect(loads).toBe(0);

    expect(await controller.save(good)).toEqual({});
    expect(await loadSyncConfig(log)).toEqual(good);
    await until('idle', () => controller.current.status.state === 'idle');
    expect(loads).toBe(1);
    const uid = (await log.page({}, 1)).events[0]?.uid ?? '';
    await until('the event on the server', async () => (await docsOn('site-a')).some((r) => r.id === uid));

    await controller.save({ ...good, enabled: false });
    expect(controller.current.status.state).toBe('off');
  });
});
