// A classifier-worker init request for unit tests (src/classify/protocol.test.ts, workers/classifier.worker.test.ts):
// the VGG16 chosen, WebGPU preferred, 2 threads, unless `overrides` say otherwise.
import type { InitRequest } from '../../src/classify/protocol';

export function initRequest(overrides: Partial<InitRequest> = {}): InitRequest {
  return {
    type: 'init',
    models: {
      accurate: { modelUrl: 'http://x/m.onnx', sidecarUrl: 'http://x/m.json' },
      fast: { modelUrl: 'http://x/f.onnx', sidecarUrl: 'http://x/f.json' },
    },
    choice: 'accurate',
    wasmPaths: { webgpu: { mjs: 'jsep.mjs', wasm: 'jsep.wasm' }, wasm: { mjs: 'plain.mjs', wasm: 'plain.wasm' } },
    preferWebGpu: true,
    numThreads: 2,
    ...overrides,
  };
}
