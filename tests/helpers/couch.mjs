// A real CouchDB-API server for tests and the sync benchmark: pouchdb-server (npm, devDependency) on
// 127.0.0.1, its data and config in a folder so it can be killed and restarted with nothing lost.
// CouchDB itself is not packaged for these machines; README "Sync across entrances" says what differs.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(import.meta.dirname, '../../node_modules/pouchdb-server/bin/pouchdb-server');

export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

/**
 * Starts pouchdb-server and resolves once it answers. `dir` (default: a new temporary folder) holds the
 * databases and the config (admins); start again with the same `dir` and `port` to restart it.
 */
export async function startCouch({ dir = mkdtempSync(join(tmpdir(), 'maskgate-couch-')), port } = {}) {
  port ??= await freePort();
  const child = spawn(
    process.execPath,
    [BIN, '--port', String(port), '--host', '127.0.0.1', '--dir', dir, '--config', join(dir, 'config.json'), '-n'],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((r) => child.once('exit', r));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`pouchdb-server exited: ${stderr}`);
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`pouchdb-server did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    dir,
    /** Ends the process (SIGKILL: no chance to flush anything) and waits for it to be gone. */
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
    /** Kills the process and deletes its folder. */
    async stop() {
      await this.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** fetch against the server with basic auth; resolves to { status, body }. */
export async function couch(url, path, { method = 'GET', auth, body } = {}) {
  const headers = { 'Content-Type': 'application/json' };
  if (auth) headers.Authorization = `Basic ${Buffer.from(`${auth[0]}:${auth[1]}`).toString('base64')}`;
  const res = await fetch(`${url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

async function ok(promise, what) {
  const { status, body } = await promise;
  if (status >= 300) throw new Error(`${what}: ${status} ${JSON.stringify(body)}`);
  return body;
}

/**
 * The set-up README gives for CouchDB 3, done over HTTP: an admin, then per site a database whose
 * `_security` admits only its device users, and one non-admin user per device.
 * `sites`: { 'site-a': { 'dev-a1': 'password', ... }, ... }.
 */
export async function setUpSites(url, admin, sites) {
  await ok(couch(url, `/_config/admins/${admin[0]}`, { method: 'PUT', body: admin[1] }), 'create admin');
  for (const [db, users] of Object.entries(sites)) {
    await ok(couch(url, `/${db}`, { method: 'PUT', auth: admin }), `create ${db}`);
    for (const [name, password] of Object.entries(users))
      await ok(
        couch(url, `/_users/org.couchdb.user:${name}`, {
          method: 'PUT',
          auth: admin,
          body: { name, password, roles: [], type: 'user' },
        }),
        `create user ${name}`,
      );
    await ok(
      couch(url, `/${db}/_security`, {
        method: 'PUT',
        auth: admin,
        body: { admins: { names: [], roles: [] }, members: { names: Object.keys(users), roles: [] } },
      }),
      `secure ${db}`,
    );
  }
}
