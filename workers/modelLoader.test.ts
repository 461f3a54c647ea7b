import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelBytes, loadSidecar, ModelLoadError } from './modelLoader';

// A real HTTP server on loopback: the loader is tested against actual fetch, streaming and hashing.
const model = new Uint8Array(300_000).map((_, i) => (i * 31) % 251);
const sha = createHash('sha256').update(model).digest('hex');
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    // No keep-alive: a reused socket that the server drops would read as a network error.
    res.setHeader('Connection', 'close');
    if (req.url === '/model.onnx') res.end(model);
    else if (req.url === '/truncated.onnx') res.end(model.subarray(0, 1000));
    else if (req.url === '/sidecar.json') res.end('{"sha256": "nope"}');
    else if (req.url === '/not-json.json') res.end('<html>');
    else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('loadModelBytes', () => {
  it('returns the bytes when the sha256 matches, reporting progress', async () => {
    const progress: number[] = [];
    const bytes = await loadModelBytes(`${base}/model.onnx`, sha, (loaded) => progress.push(loaded));
    expect(bytes).toEqual(model);
    expect(progress.at(-1)).toBe(model.length);
  });

  it('takes the expected sha256 as a promise (the sidecar fetched beside the model) and still refuses a mismatch', async () => {
    const bytes = await loadModelBytes(`${base}/model.onnx`, Promise.resolve(sha), () => {});
    expect(bytes).toEqual(model);
    const e = await loadModelBytes(`${base}/model.onnx`, Promise.resolve('0'.repeat(64)), () => {}).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(ModelLoadError);
    expect((e as ModelLoadError).message).toMatch(/does not match 000000000000/);
  });

  it('names a missing file without its version query', async () => {
    const e = await loadModelBytes(`${base}/missing.onnx?v=0123456789ab`, sha, () => {}).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ModelLoadError);
    expect((e as ModelLoadError).file).toBe('missing.onnx');
    expect((e as Error).message).toBe('missing.onnx could not be downloaded (HTTP 404).');
  });

  it('refuses a truncated model and names the file', async () => {
    const e = await loadModelBytes(`${base}/truncated.onnx`, sha, () => {}).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ModelLoadError);
    expect((e as ModelLoadError).file).toBe('truncated.onnx');
    expect((e as Error).message).toMatch(/damaged or not the expected model: sha256/);
  });

  it('refuses a model that does not match the sidecar hash', async () => {
    await expect(loadModelBytes(`${base}/model.onnx`, 'b'.repeat(64), () => {})).rejects.toThrow(/does not match/);
  });

  it('reports a missing file with its HTTP status', async () => {
    await expect(loadModelBytes(`${base}/missing.onnx`, sha, () => {})).rejects.toThrow(
      /missing\.onnx could not be downloaded \(HTTP 404\)/,
    );
  });
});

describe('loadSidecar', () => {
  it('rejects an invalid or non-JSON sidecar with a message naming it', async () => {
    await expect(loadSidecar(`${base}/sidecar.json`)).rejects.toThrow(
      /sidecar\.json is invalid: sidecar has no valid sha256/,
    );
    await expect(loadSidecar(`${base}/not-json.json`)).rejects.toThrow(/not-json\.json is not valid JSON/);
    await expect(loadSidecar(`${base}/gone.json`)).rejects.toThrow(/HTTP 404/);
  });
});
