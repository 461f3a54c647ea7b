// Fault suite, bad input (see FAULTS.md): awkward uploads each get a message and the page stays responsive;
// a corrupt or hostile JSON import is refused whole; CSV cells that a spreadsheet would run are escaped.
// One page with the models loaded serves every case; the files are made in a temp dir at test time.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { launchBrowser, readFaces, serveBuild, storedEvents, tempDir, waitForModels, watchPage } from './harness.mjs';

let server;
let browser;
let page;
let problems;
const dir = tempDir('maskgate-input-');
const file = (name, bytes) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

/** A minimal PNG of w×h grey pixels. */
function png(w, h) {
  const chunk = (type, data) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    data.copy(out, 8);
    let c = ~0;
    for (const b of out.subarray(4, 8 + data.length)) {
      c ^= b;
      for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
    }
    out.writeUInt32BE(~c >>> 0, 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  const raw = Buffer.alloc((w + 1) * h, 0x80);
  for (let y = 0; y < h; y++) raw[y * (w + 1)] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

before(async () => {
  server = await serveBuild();
  browser = await launchBrowser();
  const context = await browser.newContext({ serviceWorkers: 'block' });
  page = await context.newPage();
  problems = watchPage(page);
  await page.goto(server.url);
  await waitForModels(page);
});
after(async () => {
  assert.deepEqual(
    problems.filter((p) => p.startsWith('pageerror')),
    [],
  );
  await browser?.close();
  await server?.close();
});

/** Uploads one file and returns its finished card's status, message and note; the page must still answer. */
async function upload(path) {
  await page.getByTestId('nav-photo').click();
  const name = path.slice(path.lastIndexOf('/') + 1);
  await page.getByTestId('photo-input').setInputFiles(path);
  const card = page.locator(`[data-testid="photo-result"][data-name="${name}"]`).first();
  await card.and(page.locator(':not([data-status="working"])')).waitFor({ timeout: 60_000 });
  const started = Date.now();
  assert.equal(await page.evaluate(() => 1 + 1), 2);
  // Generous for a busy machine (an answer takes ~10–50 ms); a main thread stuck decoding takes far longer.
  assert.ok(Date.now() - started < 5000, 'the page is not responsive');
  const status = await card.getAttribute('data-status');
  const error = status === 'error' ? await card.getByRole('alert').innerText() : null;
  const note = (await card.getByTestId('photo-note').count()) ? await card.getByTestId('photo-note').innerText() : null;
  return { status, error, note, card };
}

test('upload: a non-image → "is not an image"', async () => {
  const r = await upload(file('notes.txt', 'not a photo'));
  assert.equal(r.status, 'error');
  assert.equal(r.error, 'notes.txt is not an image (text/plain). Choose a JPEG, PNG or WebP photo.');
});

test('upload: a zero-byte file → "is empty"', async () => {
  const r = await upload(file('empty.jpg', Buffer.alloc(0)));
  assert.equal(r.error, 'empty.jpg is empty (0 bytes).');
});

test('upload: a truncated JPEG → "damaged or truncated"', async () => {
  const jpeg = readFileSync('tests/fixtures/scenes/maksssksksss63.jpg');
  const r = await upload(file('truncated.jpg', jpeg.subarray(0, jpeg.length >> 1)));
  assert.equal(
    r.error,
    'truncated.jpg could not be read: it is not an image, it is damaged or truncated, or its format is not supported.',
  );
});

test('upload: a 12000×12000 image → scaled down for the check, said so', async () => {
  // A PNG made here (~1 s; ffmpeg took ~4 s for the same JPEG).
  const r = await upload(file('huge.png', png(12000, 12000)));
  assert.equal(r.status, 'done');
  assert.equal(r.note, 'huge.png is 12000×12000 pixels; it was scaled down to 4096×4096 for the check.');
  assert.deepEqual(await readFaces(r.card), []);
});

test('upload: a 1×1 image → "too small to contain a face"', async () => {
  const r = await upload(file('dot.png', png(1, 1)));
  assert.equal(r.error, 'dot.png is only 1×1 pixels: too small to contain a face.');
});

test('upload: an animated GIF → first frame checked, said so', async () => {
  const path = join(dir, 'moving.gif');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=s=64x64:d=1:r=5', path]);
  const r = await upload(path);
  assert.equal(r.status, 'done');
  assert.equal(r.note, 'moving.gif is animated: only its first frame was checked.');
});

test('upload: a HEIC photo → "HEIC/HEIF … cannot read"', async () => {
  // An ftyp box of a HEIC file: Chromium cannot decode HEIC at all.
  const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic'), Buffer.alloc(512)]);
  const r = await upload(file('IMG_0001.HEIC', heic));
  assert.equal(
    r.error,
    'IMG_0001.HEIC is a HEIC/HEIF photo, which this browser cannot read. Export it as JPEG and try again.',
  );
});

test('upload: after all that, a good photo still gets its result', async () => {
  const r = await upload('tests/fixtures/scenes/maksssksksss63.jpg');
  assert.equal(r.status, 'done');
  assert.equal((await readFaces(r.card))[0]?.label, 'correct');
});

const event = (i, extra = {}) => {
  const time = Date.UTC(2024, 0, 1, 12, i);
  return {
    time,
    firstSeen: time - 1000,
    lastSeen: time,
    durationMs: 1000,
    label: 'correct',
    confidence: 0.9,
    camera: 'Door',
    modelId: 'm',
    modelVersion: '1',
    ...extra,
  };
};
const exportFile = (events, extra = {}) =>
  JSON.stringify({ format: 'maskgate-log', version: 1, exportedAt: '2024-01-01T00:00:00Z', events, ...extra });

/** Imports one file on the history screen; returns the message and the number of events then in the log. */
async function importLog(name, text, { expectTotal = null, into = page } = {}) {
  const page = into;
  // A fresh history screen: no message from the previous import.
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('nav-history').click();
  await page.getByTestId('history').waitFor();
  const message = page.getByTestId('history-message');
  await page.getByTestId('history-import').setInputFiles(file(name, text));
  await message.waitFor({ timeout: 30_000 });
  // The message shows before the counts reload from IndexedDB: a successful import waits for them.
  if (expectTotal !== null) {
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="history-count-total"]')?.textContent?.trim() === String(n),
      expectTotal,
    );
  }
  const total = Number(await page.getByTestId('history-count-total').innerText());
  return { message: await message.innerText(), total };
}

test('import: wrong schema, half-valid, huge and prototype-polluting files are refused whole', async () => {
  const format = JSON.parse(exportFile([])).format;
  assert.equal(format, 'maskgate-log');
  const cases = [
    ['not-json.json', '{"format": "maskgate-log", ', /not valid JSON/],
    ['wrong-schema.json', JSON.stringify({ hello: 'world' }), /unknown field "hello"/],
    [
      'half-valid.json',
      exportFile([event(1), event(2), event(3), { ...event(4), label: 'maybe' }]),
      /event 4: label must be correct, incorrect or none/,
    ],
    [
      'proto.json',
      exportFile([event(1)]).replace('{"format"', '{"__proto__": {"polluted": true}, "format"'),
      /forbidden key "__proto__"/,
    ],
    [
      'proto-event.json',
      exportFile([event(1)]).replace('{"time"', '{"constructor": {"prototype": {"polluted": true}}, "time"'),
      /event 1: forbidden key "constructor"/,
    ],
    ['huge.json', exportFile([event(1)]) + ' '.repeat(65 * 1024 * 1024), /file is larger than 64 MiB/],
  ];
  for (const [name, text, expected] of cases) {
    const { message, total } = await importLog(name, text);
    assert.match(message, /^Import failed, nothing was imported: /, name);
    assert.match(message, expected, name);
    assert.equal(total, 0, `${name}: something was imported`);
  }
  assert.equal(await page.evaluate(() => ({}).polluted ?? Object.prototype.polluted ?? null), null);
});

test('CSV export: camera names and model fields starting with = + - @ are escaped', async () => {
  const hostile = [
    event(1, { camera: '=HYPERLINK("http://evil.example","x")' }),
    event(2, { camera: '+1+2', modelId: '@SUM(A1)' }),
    event(3, { camera: '-2+3', modelVersion: '=1' }),
  ];
  const { message, total } = await importLog('hostile.json', exportFile(hostile), { expectTotal: 3 });
  assert.equal(message, 'Imported 3 events.');
  assert.equal(total, 3);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('history-export-csv').click()]);
  const csv = readFileSync(await download.path(), 'utf8');
  assert.match(csv, /,"'=HYPERLINK\(""http:\/\/evil\.example"",""x""\)",/);
  assert.match(csv, /,'\+1\+2,'@SUM\(A1\),/);
  // Export version 2 appends the event's uid and entrance ('' = this device) after the old columns.
  assert.match(
    csv,
    /^id,time_iso,time_ms,first_seen_ms,last_seen_ms,duration_ms,label,confidence,camera,model_id,model_version,uid,entrance\r\n/,
  );
  for (const line of csv.trim().split('\r\n').slice(1)) assert.match(line, /,[0-9a-z]{12}:\d+:[0-9a-z]{6},$/, line);
  assert.match(csv, /,'-2\+3,m,'=1,[^,]+,\r\n/);
  // No cell anywhere begins with a formula character.
  for (const line of csv.trim().split('\r\n').slice(1)) {
    for (const cell of line.match(/("([^"]|"")*"|[^,]*)/g).filter(Boolean))
      assert.doesNotMatch(cell.replace(/^"/, ''), /^[=+@]/, line);
  }
});

/** Every event in a page's log, oldest first, without its local id: what an export should carry over. */
const eventsIn = async (p) =>
  (await storedEvents(p)).map(({ id: _, thumbTime: __, ...e }) => e).sort((a, b) => a.time - b.time);
const deviceIdOf = (p) =>
  p.evaluate(
    () =>
      new Promise((resolve) => {
        const open = indexedDB.open('maskgate-log');
        open.onsuccess = () => {
          const req = open.result.transaction('settings').objectStore('settings').get('deviceId');
          req.onsuccess = () => {
            open.result.close();
            resolve(req.result);
          };
        };
      }),
  );

test('JSON export v2 round trip: a fresh profile gets the same events, uids and entrances; a second import adds none', async () => {
  // The log holds the 3 events imported above (this device's own) and, as sync would pull them, 2 events of
  // two other entrances, one with an entrance name a spreadsheet would run.
  await page.evaluate(
    async (pulled) => {
      const db = await new Promise((resolve) => {
        const r = indexedDB.open('maskgate-log');
        r.onsuccess = () => resolve(r.result);
      });
      const tx = db.transaction('events', 'readwrite');
      for (const event of pulled) tx.objectStore('events').add(event);
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    [
      { ...event(10), uid: `northdoor001:${event(10).firstSeen}:abc123`, entrance: 'North door' },
      { ...event(11, { label: 'none' }), uid: `southdoor002:${event(11).firstSeen}:def456`, entrance: '=South' },
    ],
  );
  const source = await eventsIn(page);
  assert.equal(source.length, 5);
  const sourceDevice = await deviceIdOf(page);

  await page.getByTestId('nav-settings').click();
  await page.getByTestId('nav-history').click();
  await page.getByTestId('history').waitFor();
  // The export covers what the history shows: with other entrances in the log, "this device" at first.
  await page.getByTestId('history-scope-all').check();
  await page.waitForFunction(() => document.querySelector('[data-testid="history-count-total"]')?.textContent === '5');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('history-export-json').click(),
  ]);
  const text = readFileSync(await download.path(), 'utf8');
  const exported = JSON.parse(text);
  assert.equal(exported.version, 2);
  assert.deepEqual(
    exported.events.map((e) => [e.uid, e.entrance]).sort(),
    source.map((e) => [e.uid, e.entrance]).sort(),
  );

  // A fresh profile: its own storage, its own device id, opened on History (#history loads no models).
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const fresh = await context.newPage();
  const freshProblems = watchPage(fresh);
  await fresh.goto(`${server.url}#history`);
  const first = await importLog('export-v2.json', text, { into: fresh });
  assert.equal(first.message, 'Imported 5 events.');
  const copied = await eventsIn(fresh);
  // The same events with the same uids; those the source made itself (entrance '') are named by the source's
  // device id here, as sync names them: the fresh profile must not take them for its own.
  assert.deepEqual(
    copied,
    source.map((e) => (e.entrance === '' ? { ...e, entrance: sourceDevice } : e)),
  );
  assert.deepEqual([...new Set(copied.map((e) => e.entrance))].sort(), ['=South', 'North door', sourceDevice].sort());

  const again = await importLog('export-v2.json', text, { into: fresh });
  assert.equal(again.message, 'Imported 0 events. 5 were already in the log.');
  assert.equal((await eventsIn(fresh)).length, 5);
  // Back into the log it came from: every event is there already, own ones stay own.
  const home = await importLog('export-v2.json', text);
  assert.equal(home.message, 'Imported 0 events. 5 were already in the log.');
  assert.deepEqual(await eventsIn(page), source);
  assert.deepEqual(
    freshProblems.filter((p) => p.startsWith('pageerror')),
    [],
  );
  await context.close();
});
