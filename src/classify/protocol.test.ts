import { describe, expect, it } from 'vitest';
import { initRequest } from '../../tests/helpers/initRequest';
import { initFromWorkerName, isFromWorker, isToWorker, validateSidecar, workerName } from './protocol';

const sidecar = {
  id: 'mask_vgg16_224',
  version: '1.0.0',
  file: 'm.onnx',
  sha256: 'a'.repeat(64),
  bytes: 1,
  input: { name: 'input', shape: [null, 3, 224, 224], layout: 'NCHW', range: [0, 1] },
  output: { name: 'probs', softmax: true },
  classes: ['correct', 'incorrect', 'none'],
};

describe('worker protocol', () => {
  it('accepts well-formed requests and rejects malformed ones', () => {
    const rgba = new ArrayBuffer(2 * 2 * 4 * 3);
    expect(isToWorker({ type: 'classify', id: 1, size: 2, count: 3, rgba })).toBe(true);
    expect(isToWorker({ type: 'classify', id: 1, size: 2, count: 4, rgba })).toBe(false);
    expect(isToWorker({ type: 'classify', id: '1', size: 2, count: 3, rgba })).toBe(false);
    const urls = { modelUrl: 'https://x/m.onnx', sidecarUrl: 'https://x/m.json' };
    expect(isToWorker({ type: 'init', choice: 'auto', models: { accurate: urls, fast: urls } })).toBe(true);
    expect(isToWorker({ type: 'init', choice: 'best', models: { accurate: urls, fast: urls } })).toBe(false);
    expect(isToWorker({ type: 'init', choice: 'fast', models: { accurate: urls } })).toBe(false);
    expect(isToWorker({ type: 'init', choice: 'fast', models: { accurate: urls, fast: { modelUrl: 3 } } })).toBe(false);
    expect(isToWorker({ type: 'init', modelUrl: 'https://x/m.onnx', sidecarUrl: 'https://x/m.json' })).toBe(false);
    expect(isToWorker(null)).toBe(false);
    expect(isToWorker({ type: 'shutdown' })).toBe(false);
  });

  it('recognises every worker message type', () => {
    for (const type of ['progress', 'ready', 'result', 'error', 'backend']) expect(isFromWorker({ type })).toBe(true);
    expect(isFromWorker({ type: 'other' })).toBe(false);
    expect(isFromWorker('ready')).toBe(false);
  });
});

describe('validateSidecar', () => {
  it('accepts both deployed sidecars', async () => {
    const { readFile } = await import('node:fs/promises');
    for (const f of ['models/mask_vgg16_224.int8.json', 'models/mask_mnv3s_224.int8.json']) {
      expect(validateSidecar(JSON.parse(await readFile(f, 'utf8'))), f).toBeNull();
    }
  });

  it('accepts the export step’s sidecar', async () => {
    const { readFile } = await import('node:fs/promises');
    const real: unknown = JSON.parse(await readFile('models/mask_vgg16_224.int8.json', 'utf8'));
    expect(validateSidecar(real)).toBeNull();
    expect(validateSidecar(sidecar)).toBeNull();
  });

  it('names what is wrong', () => {
    expect(validateSidecar({ ...sidecar, sha256: 'xyz' })).toMatch(/sha256/);
    expect(validateSidecar({ ...sidecar, classes: ['none', 'correct', 'incorrect'] })).toMatch(/classes/);
    expect(validateSidecar({ ...sidecar, input: { ...sidecar.input, shape: [null, 3, 224, 100] } })).toMatch(/shape/);
    expect(validateSidecar({ ...sidecar, input: { ...sidecar.input, layout: 'NHWC' } })).toMatch(/NCHW/);
    expect(validateSidecar([])).toMatch(/sha256|object/);
    expect(validateSidecar(null)).toMatch(/object/);
  });
});

describe('the init request in the worker name', () => {
  const init = initRequest({ choice: 'auto', lastAdapter: 'none' });

  it('round-trips, and anything else in a name is no init request', () => {
    expect(initFromWorkerName(workerName(init))).toEqual(init);
    expect(initFromWorkerName('')).toBeNull();
    expect(initFromWorkerName('classifier')).toBeNull();
    expect(initFromWorkerName(workerName(init).slice(0, -1))).toBeNull();
    expect(initFromWorkerName(workerName({ ...init, choice: 'best' as 'auto' }))).toBeNull();
    expect(initFromWorkerName(workerName({ ...init, lastAdapter: 'maybe' as 'none' }))).toBeNull();
  });
});
