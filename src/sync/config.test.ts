import { describe, expect, it } from 'vitest';
import { checkConfig, DEFAULT_SYNC_CONFIG, parseConfig, remoteUrl } from './config';
import { describeError } from './status';

const good = {
  ...DEFAULT_SYNC_CONFIG,
  enabled: true,
  serverUrl: 'https://gate.example.org/couch/',
  database: 'site-hq',
  user: 'door-1',
  password: 'pw',
  entrance: 'North door',
};
const origin = 'https://gate.example.org';

describe('sync settings', () => {
  it('accept a same-origin server and build the database URL', () => {
    expect(checkConfig(good, origin)).toEqual({});
    expect(remoteUrl(good)).toBe('https://gate.example.org/couch/site-hq');
  });

  it('name each bad field', () => {
    const problems = checkConfig(
      { ...good, serverUrl: 'gate.example.org', database: 'Site HQ', user: ' ', password: '', entrance: '' },
      origin,
    );
    expect(Object.keys(problems).sort()).toEqual(['database', 'entrance', 'password', 'serverUrl', 'user']);
    expect(checkConfig({ ...good, serverUrl: 'https://u:p@gate.example.org/couch' }, origin).serverUrl).toMatch(
      /own fields/,
    );
  });

  it('refuse another origin unless the build allows exactly that one', () => {
    const other = { ...good, serverUrl: 'https://couch.example.net/' };
    expect(checkConfig(other, origin).serverUrl).toMatch(/only connect to its own address/);
    expect(checkConfig(other, origin, ['https://couch.example.net'])).toEqual({});
    expect(checkConfig(other, origin, ['https://evil.example.net']).serverUrl).toBeDefined();
  });

  it('read a malformed stored value as sync off', () => {
    expect(parseConfig(null)).toEqual(DEFAULT_SYNC_CONFIG);
    expect(parseConfig({ enabled: 'yes', user: 3 })).toEqual(DEFAULT_SYNC_CONFIG);
    expect(parseConfig({ ...good, extra: 1 })).toEqual(good);
  });
});

describe('sync errors in words', () => {
  const who = { user: 'door-1', database: 'site-hq' };
  it('tell a wrong password from a refused member, a missing database and no server', () => {
    expect(
      describeError({ status: 401, name: 'unauthorized', message: 'Name or password is incorrect.' }, who),
    ).toMatchObject({
      state: 'error',
      problem: 'auth',
    });
    // CouchDB 3 answers a non-member 403; pouchdb-server 401 with this reason.
    expect(
      describeError({ status: 403, name: 'forbidden', message: 'You are not allowed to access this db.' }, who).problem,
    ).toBe('forbidden');
    expect(describeError({ status: 401, message: 'You are not authorized to access this db.' }, who).problem).toBe(
      'forbidden',
    );
    expect(describeError({ status: 404, name: 'not_found' }, who).problem).toBe('not-found');
    expect(describeError(new TypeError('Failed to fetch'), who).state).toBe('retrying');
    expect(describeError({ status: 502 }, who).state).toBe('retrying');
  });
});

describe('answers that are not JSON', () => {
  it('become CouchDB-style errors with their status, so PouchDB never parses a web page', async () => {
    const { jsonErrorsFetch } = await import('./fetchJson');
    const answer = (body: string, status: number, type: string) => async () =>
      new Response(body, { status, headers: { 'Content-Type': type } });
    const proxyDown = await jsonErrorsFetch(answer('', 502, 'text/plain'))('x');
    expect([proxyDown.status, await proxyDown.json()]).toEqual([502, { error: 'unavailable', reason: '502' }]);
    const page = await jsonErrorsFetch(answer('<!doctype html>', 200, 'text/html'))('x');
    expect(page.status).toBe(502);
    expect((await page.json()).error).toBe('not_couchdb');
    const json = await jsonErrorsFetch(answer('{"ok":true}', 200, 'application/json'))('x');
    expect(await json.json()).toEqual({ ok: true });
    const jpeg = await jsonErrorsFetch(answer('xx', 200, 'image/jpeg'))('x');
    expect(await jpeg.text()).toBe('xx');
  });
});
