#!/usr/bin/env node
// Sync benchmark: D devices × N events each replicated through one pouchdb-server (LevelDB on disk), the
// same protocol, batch size and document shape as the app (src/sync/). Devices are PouchDB in Node with the
// memory adapter, not browsers: this times the replication protocol and the server, not IndexedDB or the
// app's importer into its log. `node bench/sync.mjs [--devices 3] [--events 10000]`; prints a Markdown row.
import { parseArgs } from 'node:util';
import os from 'node:os';
import PouchDB from 'pouchdb-core';
import memoryAdapter from 'pouchdb-adapter-memory';
import httpAdapter from 'pouchdb-adapter-http';
import replication from 'pouchdb-replication';
import { couch, setUpSites, startCouch } from '../tests/helpers/couch.mjs';

PouchDB.plugin(memoryAdapter).plugin(httpAdapter).plugin(replication);
const { values } = parseArgs({
  options: { devices: { type: 'string', default: '3' }, events: { type: 'string', default: '10000' } },
});
const D = Number(values.devices);
const N = Number(values.events);
const ADMIN = ['admin', 'bench-admin'];
const LABELS = ['correct', 'correct', 'correct', 'incorrect', 'none'];

const server = await startCouch();
const users = Object.fromEntries(Array.from({ length: D }, (_, d) => [`door-${d}`, `pw-${d}`]));
await setUpSites(server.url, ADMIN, { 'site-bench': users });

const devices = [];
for (let d = 0; d < D; d++) {
  const local = new PouchDB(`bench-device-${d}`, { adapter: 'memory' });
  const docs = Array.from({ length: N }, (_, i) => {
    const time = 1_700_000_000_000 + i * 1000;
    return {
      _id: `dev${d}:${time - 1500}:${i.toString(36)}`,
      type: 'maskgate-event',
      device: `dev${d}`,
      entrance: `Door ${d}`,
      time,
      firstSeen: time - 1500,
      lastSeen: time,
      durationMs: 1500,
      label: LABELS[i % LABELS.length],
      confidence: 0.9,
      camera: 'bench',
      modelId: 'mask_vgg16_224',
      modelVersion: '1.0.0',
    };
  });
  for (let i = 0; i < N; i += 500) await local.bulkDocs(docs.slice(i, i + 500));
  const remote = new PouchDB(`${server.url}/site-bench`, {
    skip_setup: true,
    auth: { username: `door-${d}`, password: `pw-${d}` },
  });
  devices.push({ local, remote });
}

const options = { batch_size: 500 };
const timed = async (what, run) => {
  const t0 = performance.now();
  await Promise.all(devices.map(run));
  return (performance.now() - t0) / 1000;
};
// Push: every device sends its events at once. Pull: then every device fetches the other devices' events.
const push = await timed('push', ({ local, remote }) => local.replicate.to(remote, options));
const { body } = await couch(server.url, '/site-bench', { auth: ADMIN });
if (body.doc_count !== D * N) throw new Error(`server has ${body.doc_count} of ${D * N}`);
const pull = await timed('pull', ({ local, remote }) => local.replicate.from(remote, options));
for (const { local } of devices) {
  const info = await local.info();
  if (info.doc_count !== D * N) throw new Error(`a device has ${info.doc_count} of ${D * N}`);
}
await server.stop();

const sent = D * N;
const received = D * (D - 1) * N;
const rate = (n, s) => Math.round(n / s).toLocaleString('en');
console.log(
  `sync: ${D} devices × ${N} events, pouchdb-server ${'4.2.0'} (LevelDB), ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}`,
);
console.log('| step | events | seconds | events/s |\n| --- | ---: | ---: | ---: |');
console.log(`| push (all devices at once) | ${sent} | ${push.toFixed(1)} | ${rate(sent, push)} |`);
console.log(`| pull (each gets the others') | ${received} | ${pull.toFixed(1)} | ${rate(received, pull)} |`);
console.log(
  `| total replicated | ${sent + received} | ${(push + pull).toFixed(1)} | ${rate(sent + received, push + pull)} |`,
);
