// Sync across entrances (README "Sync across entrances"): a real CouchDB-API server (pouchdb-server, started
// here) behind the app's own origin (/couch proxied by the preview server, as in the documented deployment),
// two browser contexts (separate storage: two entrances), events seeded straight into each app's IndexedDB.
// Covers: nothing loads or leaves with sync off; both entrances see each other's events; offline → events →
// online arrives once; the server killed mid-sync and restarted loses nothing while the app says it retries;
// a wrong password is named and loses nothing; another site's device user is refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { launchBrowser, serveBuild, showAllEntrances, storedEvents, watchPage } from './harness.mjs';
import { couch, setUpSites, startCouch } from '../helpers/couch.mjs';

const ADMIN = ['admin', 'admin-secret'];
const USERS = { north: ['door-north', 'pw-north'], south: ['door-south', 'pw-south'], b: ['door-b', 'pw-b'] };
const WAIT = 60_000;
const SHOTS = 'test-results/sync';

/** Screenshots to look at (outside CI only): the page at a phone's and a desktop's width. */
async function shots(page, name) {
  if (process.env.CI) return;
  mkdirSync(SHOTS, { recursive: true });
  const size = page.viewportSize();
  for (const width of [412, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize(size);
}

let server;
let web;
let browser;
const entrances = {};

before(async () => {
  server = await startCouch();
  await setUpSites(server.url, ADMIN, {
    'site-a': Object.fromEntries([USERS.north, USERS.south]),
    'site-b': Object.fromEntries([USERS.b]),
  });
  // The target is read per request, so the server can be restarted on the same port under the proxy.
  web = await serveBuild(0, {
    proxy: { '/couch': { target: server.url, rewrite: (p) => p.replace(/^\/couch/, '') } },
  });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await web?.close();
  await server?.stop();
});

/** The sync form and status live on the Settings screen; the scope and entrances on History. */
async function toSettings(page) {
  if (!(await page.getByTestId('sync-settings').isVisible())) await page.getByTestId('nav-settings').click();
  await page.getByTestId('sync-settings').waitFor();
}
async function toHistory(page) {
  if (!(await page.getByTestId('history').isVisible())) await page.getByTestId('nav-history').click();
  await page.getByTestId('history').waitFor();
}

/** A new entrance: its own browser context (own IndexedDB), on the history screen. */
async function openEntrance(name) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const problems = watchPage(page);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  // Straight to Settings (#settings): the models, which sync does not need, are not loaded.
  await page.goto(`${web.url}#settings`);
  await toSettings(page);
  entrances[name] = { context, page, problems, requests };
  return entrances[name];
}

/** Adds `n` events to the app's log as the live loop would (own uid, entrance ''), `thumbnail` as a JPEG blob. */
function seed(page, n, { label = 'correct', start = Date.now() - 3_600_000, thumbnail = false } = {}) {
  return page.evaluate(
    async ({ n, label, start, thumbnail }) => {
      const db = await new Promise((resolve, reject) => {
        const r = indexedDB.open('maskgate-log');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const deviceId = await new Promise((resolve) => {
        const r = db.transaction('settings').objectStore('settings').get('deviceId');
        r.onsuccess = () => resolve(r.result);
      });
      const tx = db.transaction('events', 'readwrite');
      for (let i = 0; i < n; i++) {
        const time = start + i * 1000;
        const event = {
          uid: `${deviceId}:${time}:${Math.random().toString(36).slice(2, 8)}`,
          entrance: '',
          time,
          firstSeen: time - 1500,
          lastSeen: time,
          durationMs: 1500,
          label,
          confidence: 0.9,
          camera: 'e2e',
          modelId: 'mask_vgg16_224',
          modelVersion: '1.0.0',
        };
        if (thumbnail)
          Object.assign(event, {
            thumbnail: new Blob([new Uint8Array([255, 216, 255, i])], { type: 'image/jpeg' }),
            thumbTime: time,
          });
        tx.objectStore('events').add(event);
      }
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    { n, label, start, thumbnail },
  );
}

/** The events in an app's log: how many, and how many distinct uids. */
async function logged(page) {
  const all = await storedEvents(page);
  return {
    count: all.length,
    uids: new Set(all.map((e) => e.uid)).size,
    entrances: [...new Set(all.map((e) => e.entrance))].sort(),
  };
}

async function turnOn(page, [user, password], { database = 'site-a', entrance }) {
  await toSettings(page);
  await page.getByTestId('sync-serverUrl').fill(`${web.url}couch`);
  await page.getByTestId('sync-database').fill(database);
  await page.getByTestId('sync-user').fill(user);
  await page.getByTestId('sync-password').fill(password);
  await page.getByTestId('sync-entrance').fill(entrance);
  await page.getByTestId('sync-on').click();
}

const serverDocs = async (db = 'site-a') =>
  (await couch(server.url, `/${db}/_all_docs?include_docs=true`, { auth: ADMIN })).body.rows ?? [];

async function until(what, check, ms = WAIT) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const status = (page) => page.getByTestId('sync-status');
const waitState = async (page, state) =>
  (await toSettings(page)) ||
  page.waitForFunction(
    (s) => document.querySelector('[data-testid="sync-status"]')?.getAttribute('data-state') === s,
    state,
    {
      timeout: WAIT,
    },
  );

/** History → "All entrances", once it shows `total` events in all and in the per-entrance rows: those rows. */
async function allEntrances(page, total) {
  await toHistory(page);
  await showAllEntrances(page, total);
  return page
    .getByTestId('history-entrance-row')
    .evaluateAll((trs) =>
      Object.fromEntries(
        trs.map((tr) => [
          tr.dataset.entrance,
          Number(tr.querySelector('[data-testid="history-entrance-total"]').textContent),
        ]),
      ),
    );
}

test('sync off: bad settings are named and not stored; nothing is loaded or sent until it is on', async () => {
  const { page, requests } = await openEntrance('north');
  await seed(page, 3, { label: 'correct', thumbnail: true });
  await seed(page, 2, { label: 'none', start: Date.now() - 1_800_000 });
  await page.getByTestId('sync-serverUrl').fill('https://couch.example.net/');
  await page.getByTestId('sync-database').fill('Site A');
  await page.getByTestId('sync-on').click();
  await page.getByTestId('sync-problem-serverUrl').waitFor();
  assert.match(await page.getByTestId('sync-problem-serverUrl').innerText(), /only connect to its own address/);
  assert.match(await page.getByTestId('sync-problem-database').innerText(), /lower-case/);
  assert.equal(await page.getByTestId('sync-problem-password').count(), 1);
  assert.equal(await status(page).getAttribute('data-state'), 'off');
  await page.waitForTimeout(2100); // one outbox poll (2 s), were anything running
  const origin = new URL(web.url).origin;
  assert.deepEqual(
    requests.filter((u) => !u.startsWith(origin) && !/^(blob|data):/.test(u)),
    [],
  );
  assert.deepEqual(
    requests.filter((u) => u.includes('/couch')),
    [],
    'a request to the database with sync off',
  );
  assert.deepEqual(
    requests.filter((u) => /\/assets\/(index\.es|engine)-/.test(u)),
    [],
    'PouchDB loaded with sync off',
  );
  await toHistory(page);
  assert.equal(await page.getByTestId('history-scope').count(), 0, 'no scope switch before sync is used');
});

test(
  'two entrances, one server: each sees both under "all entrances"; thumbnails stay unless allowed',
  { timeout: 120_000 },
  async () => {
    const north = entrances.north.page;
    const { page: south } = await openEntrance('south');
    await seed(south, 3, { label: 'incorrect' });
    await turnOn(north, USERS.north, { entrance: 'North door' });
    await turnOn(south, USERS.south, { entrance: 'South door' });
    await until('8 events on the server', async () => (await serverDocs()).length === 8);
    const docs = await serverDocs();
    assert.deepEqual(
      docs.filter((r) => r.doc._attachments),
      [],
      'a thumbnail was sent with the switch off',
    );
    assert.deepEqual([...new Set(docs.map((r) => r.doc.entrance))].sort(), ['North door', 'South door']);
    assert.ok(
      entrances.north.requests.some((u) => u.startsWith(`${web.url}couch/site-a`)),
      'same-origin database path',
    );

    for (const [page, mine, other] of [
      [north, 5, 'South door'],
      [south, 3, 'North door'],
    ]) {
      await until('the other entrance’s events imported', async () => (await logged(page)).count === 8);
      await waitState(page, 'idle');
      assert.deepEqual(await allEntrances(page, 8), { '': mine, [other]: 8 - mine });
      // The chart is drawn once its box has a width (after layout): both entrances' bars then appear.
      const bars = page.locator('[data-testid="history-entrance-chart"] rect[data-entrance]');
      await page.waitForFunction(
        () => document.querySelectorAll('[data-testid="history-entrance-chart"] rect').length >= 2,
      );
      assert.deepEqual(
        [...new Set(await bars.evaluateAll((rs) => rs.map((r) => r.dataset.entrance)))].sort(),
        ['', other].sort(),
        'chart split by entrance',
      );
      if (page === north) await shots(page, 'history-all-entrances');
      await page.getByTestId('history-scope-device').check();
      await page.waitForFunction(
        (n) => document.querySelector('[data-testid="history-count-total"]')?.textContent === String(n),
        mine,
      );
    }
  },
);

test('offline → events → online: they arrive once', { timeout: 120_000 }, async () => {
  const { page, context } = entrances.north;
  await context.setOffline(true);
  await seed(page, 4, { label: 'none', start: Date.now() - 600_000 });
  await page.waitForTimeout(2200); // one outbox poll: had it gone out, the server would have it
  assert.equal((await serverDocs()).length, 8, 'sent while offline?');
  assert.equal((await logged(page)).count, 12, 'the events wait in the log');
  await context.setOffline(false);
  await until('12 on the server', async () => (await serverDocs()).length === 12);
  const south = entrances.south.page;
  await until('south has them', async () => (await logged(south)).count === 12);
  await page.waitForTimeout(500); // a late duplicate would show here
  assert.deepEqual(await logged(south), { count: 12, uids: 12, entrances: ['', 'North door'] });
  assert.equal((await serverDocs()).length, 12);
});

test(
  'the server killed mid-sync and restarted: nothing lost, nothing doubled, the app says it is retrying',
  { timeout: 180_000 },
  async () => {
    const { page: south } = entrances.south;
    const N = 1500; // three outbox batches of 500: the kill lands after the first
    await seed(south, N, { label: 'correct', start: Date.now() - 86_400_000 });
    const partial = await until('the first batch on the server', async () => {
      const { body } = await couch(server.url, '/site-a', { auth: ADMIN });
      return body.doc_count > 12 ? body.doc_count : 0;
    });
    await server.kill('SIGKILL');
    assert.ok(partial < 12 + N, `all ${N} arrived before the kill: not mid-sync`);
    console.log(`server killed with ${partial - 12} of ${N} new events received`);
    await waitState(south, 'retrying');
    assert.match(await status(south).innerText(), /cannot be reached.*retrying/i);
    server = await startCouch({ dir: server.dir, port: server.port });
    await until(
      `${12 + N} on the server`,
      async () => (await couch(server.url, '/site-a', { auth: ADMIN })).body.doc_count === 12 + N,
      120_000,
    );
    const north = entrances.north.page;
    await until('north has them all', async () => (await logged(north)).count === 12 + N, 120_000);
    await waitState(south, 'idle');
    await north.waitForTimeout(500); // a late duplicate would show here
    assert.deepEqual(await logged(north), { count: 12 + N, uids: 12 + N, entrances: ['', 'South door'] });
    assert.equal((await serverDocs()).length, 12 + N);
  },
);

test('a wrong password: a clear message, nothing lost, sent once corrected', { timeout: 120_000 }, async () => {
  const { page } = entrances.north;
  const before = (await serverDocs()).length;
  await toSettings(page);
  await page.getByTestId('sync-password').fill('not-the-password');
  await page.getByTestId('sync-on').click();
  await waitState(page, 'error');
  assert.match(await status(page).innerText(), /wrong user name or password/i);
  await shots(page, 'settings-sync-wrong-password');
  assert.doesNotMatch(await page.content(), /not-the-password"?[^>]*<\/p>/, 'the password is not shown');
  await seed(page, 2, { label: 'incorrect', start: Date.now() - 300_000 });
  await page.waitForTimeout(2200); // one outbox poll
  assert.equal((await serverDocs()).length, before);
  await page.getByTestId('sync-password').fill(USERS.north[1]);
  await page.getByTestId('sync-on').click();
  await until('the 2 queued events sent', async () => (await serverDocs()).length === before + 2);
  await waitState(page, 'idle');
});

test('one site’s device user cannot read or write another site’s database', async () => {
  const { page } = await openEntrance('b');
  await turnOn(page, USERS.b, { database: 'site-a', entrance: 'B gate' });
  await waitState(page, 'error');
  assert.match(await status(page).innerText(), /not allowed to use database “site-a”/);
  assert.equal((await logged(page)).count, 0);
  // Straight at the server: its own database yes, the other no (CouchDB says 403, pouchdb-server 401).
  assert.equal((await couch(server.url, '/site-b/_all_docs', { auth: USERS.b })).status, 200);
  const read = await couch(server.url, '/site-a/_all_docs', { auth: USERS.b });
  assert.ok([401, 403].includes(read.status), `read: ${read.status}`);
  assert.equal(read.body.rows, undefined);
  const changes = await couch(server.url, '/site-a/_changes', { auth: USERS.b });
  assert.ok([401, 403].includes(changes.status), `changes: ${changes.status}`);
  const write = await couch(server.url, '/site-a/intruder', { method: 'PUT', auth: USERS.b, body: { x: 1 } });
  assert.ok([401, 403].includes(write.status), `write: ${write.status}`);
  assert.equal((await couch(server.url, '/site-a/intruder', { auth: ADMIN })).status, 404);
});

test('with its separate switch on, a face thumbnail is sent; the other entrance keeps none unless its switch is on', async () => {
  const { page } = entrances.north;
  const before = (await serverDocs()).length;
  await toSettings(page);
  await page.getByTestId('sync-thumbnails').check();
  await page.getByTestId('sync-on').click();
  await waitState(page, 'idle');
  await seed(page, 1, { label: 'none', start: Date.now() - 60_000, thumbnail: true });
  const doc = await until('the new event on the server', async () => {
    const docs = await serverDocs();
    return docs.length === before + 1 && docs.find((r) => r.doc._attachments)?.doc;
  });
  assert.deepEqual(Object.keys(doc._attachments), ['thumbnail.jpg']);
  assert.equal(doc.entrance, 'North door');
  const south = entrances.south.page;
  await until('south has it', async () => (await logged(south)).count === before + 1);
  const thumbs = (await storedEvents(south)).filter((e) => e.hasThumbnail).length;
  assert.equal(thumbs, 0, 'south imported a face image with its own switch off');
});

/**
 * What the sync's local PouchDB database (IndexedDB adapter, `_pouch_maskgate-sync-…`) holds on disk: the
 * `time` of every event body still stored (any revision, so a deleted but uncompacted body counts too).
 */
function localCopy(page) {
  return page.evaluate(async () => {
    const name = (await indexedDB.databases()).map((d) => d.name).find((n) => n.startsWith('_pouch_maskgate-sync-'));
    const db = await new Promise((resolve, reject) => {
      const r = indexedDB.open(name);
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const bodies = await new Promise((resolve) => {
      const r = db.transaction('by-sequence').objectStore('by-sequence').getAll();
      r.onsuccess = () => resolve(r.result);
    });
    db.close();
    return bodies
      .filter((b) => typeof b.time === 'number')
      .map((b) => ({ id: b._doc_id_rev.split('::')[0], time: b.time }));
  });
}

test(
  'retention prunes the local copy, not the server: the other entrance keeps them, no later sync brings them back',
  { timeout: 180_000 },
  async () => {
    const north = entrances.north.page;
    const south = entrances.south.page;
    // South sent 6 events 5 days old; north has them in its log and its local copy.
    const OLD = 6;
    const fiveDaysAgo = Date.now() - 5 * 86_400_000;
    const serverBefore = (await serverDocs()).length;
    await seed(south, OLD, { label: 'incorrect', start: fiveDaysAgo });
    await until('the old events on the server', async () => (await serverDocs()).length === serverBefore + OLD);
    const oldUids = (await serverDocs()).filter((r) => r.doc.time < fiveDaysAgo + 60_000).map((r) => r.id);
    assert.equal(oldUids.length, OLD);
    await until('north has them', async () => (await logged(north)).count === serverBefore + OLD);
    await until(
      'and in its local copy',
      async () => (await localCopy(north)).filter((d) => oldUids.includes(d.id)).length === OLD,
    );

    // North keeps 3 days.
    await toSettings(north);
    await north.getByTestId('settings-retention').fill('3');
    await north.getByTestId('settings-retention').blur();
    await north.getByTestId('settings-message').waitFor();
    assert.equal(await north.getByTestId('settings-message').innerText(), `Deleted ${OLD} events older than 3 days.`);
    const cutoff = Date.now() - 3 * 86_400_000;
    // (b) The local copy drops them, bodies included (compacted); every newer event stays in it.
    await until('the local copy pruned', async () => (await localCopy(north)).every((d) => d.time >= cutoff));
    const kept = await localCopy(north);
    assert.equal(new Set(kept.map((d) => d.id)).size, serverBefore);
    // (a) The server still has every event, none deleted, and south still has them all.
    await north.waitForTimeout(2500); // a pushed deletion would arrive here
    const onServer = await serverDocs();
    assert.equal(onServer.length, serverBefore + OLD);
    assert.deepEqual(
      oldUids.filter((id) => !onServer.some((r) => r.id === id)),
      [],
    );
    const deleted = (await couch(server.url, '/site-a/_changes', { auth: ADMIN })).body.results.filter(
      (c) => c.deleted,
    );
    assert.deepEqual(deleted, []);
    assert.equal((await logged(south)).count, serverBefore + OLD);
    // (c) "All entrances" shows every event within the retention, per entrance.
    const rows = await allEntrances(north, serverBefore);
    assert.equal(Object.keys(rows).length, 2);

    // (d) A later sync (north restarted from its settings, south sending more) brings none of them back.
    await toSettings(north);
    await north.getByTestId('sync-on').click();
    await seed(south, 2, { label: 'correct', start: Date.now() - 120_000 });
    await until('north has the 2 new ones', async () => (await logged(north)).count === serverBefore + 2);
    await waitState(north, 'idle');
    await north.waitForTimeout(1000); // a late pull of the old ones would show here
    const uids = (await storedEvents(north)).map((e) => e.uid);
    assert.equal(uids.length, serverBefore + 2);
    assert.deepEqual(
      oldUids.filter((id) => uids.includes(id)),
      [],
    );
    assert.ok(
      (await localCopy(north)).every((d) => d.time >= cutoff),
      'old events back in the local copy',
    );
    assert.equal((await serverDocs()).length, serverBefore + OLD + 2);
    await allEntrances(north, serverBefore + 2);
  },
);

test('no page errors in any entrance', () => {
  for (const [name, { problems }] of Object.entries(entrances))
    assert.deepEqual(
      problems.filter((p) => p.startsWith('pageerror')),
      [],
      name,
    );
});
