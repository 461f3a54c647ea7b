import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Plugin } from 'vite';
import { contentVersion, servedVersions } from './servedVersions.ts';

const file = (url: string, text: string) => ({ url, read: () => new TextEncoder().encode(text) });

async function configure(plugin: Plugin): Promise<Record<string, string>> {
  const hook = plugin.config as () => Promise<{ define: { __SERVED_VERSIONS__: string } }>;
  return JSON.parse((await hook()).define.__SERVED_VERSIONS__) as Record<string, string>;
}

describe('served-file versions', () => {
  it('versions each file by the first 12 hex digits of its sha256, face models included', async () => {
    const { plugin } = servedVersions([file('models/a.onnx', 'aaa'), file('ort/x.wasm', 'xxx')]);
    const versions = await configure(plugin);
    expect(versions['models/a.onnx']).toBe(createHash('sha256').update('aaa').digest('hex').slice(0, 12));
    expect(versions['ort/x.wasm']).toBe(contentVersion(new TextEncoder().encode('xxx')));
    expect(versions['models/face_detection_short_range.tflite']).toMatch(/^[0-9a-f]{12}$/);
    expect(versions['models/face_detection_full_range.tflite']).toMatch(/^[0-9a-f]{12}$/);
  });

  it('precaches versioned files at their versioned URL without a revision, other entries unchanged', async () => {
    const { plugin, precacheTransform } = servedVersions([file('models/a.onnx', 'aaa')]);
    const versions = await configure(plugin);
    const { manifest } = await precacheTransform([
      { url: 'models/a.onnx', revision: 'r1', size: 3 },
      { url: 'index.html', revision: 'r2', size: 9 },
    ]);
    expect(manifest).toEqual([
      { url: `models/a.onnx?v=${versions['models/a.onnx']}`, revision: null, size: 3 },
      { url: 'index.html', revision: 'r2', size: 9 },
    ]);
  });
});
