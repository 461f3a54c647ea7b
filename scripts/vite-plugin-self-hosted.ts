// Serves third-party runtime files (wasm, worker scripts) from our own origin, in dev and preview,
// and emits them into the build so the service worker can precache them: no CDN, works offline.
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';

export interface HostedFile {
  /** URL path under the app base, e.g. `ort/ort-wasm-simd-threaded.jsep.wasm`. */
  url: string;
  /** Returns the file's bytes (read lazily so dev start-up stays fast). */
  read: () => Uint8Array;
}

const MIME: Record<string, string> = {
  wasm: 'application/wasm',
  mjs: 'text/javascript',
  js: 'text/javascript',
  tflite: 'application/octet-stream',
  onnx: 'application/octet-stream',
  json: 'application/json',
};

export function fromFile(url: string, path: string): HostedFile {
  return { url, read: () => readFileSync(path) };
}

/** Headers every hosted file needs: ORT's thread workers load these scripts and must stay isolated. */
export interface SelfHostedOptions {
  headers?: Record<string, string>;
}

export function selfHosted(files: HostedFile[], options: SelfHostedOptions = {}): Plugin {
  const byUrl = new Map(files.map((f) => [`/${f.url}`, f]));
  const serve = (req: { url?: string }, res: import('node:http').ServerResponse, next: () => void) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const file = byUrl.get(path);
    if (!file) return next();
    const ext = path.slice(path.lastIndexOf('.') + 1);
    // Our middleware answers before Vite's own, so server.headers (COOP/COEP) are not added for us.
    for (const [k, v] of Object.entries(options.headers ?? {})) res.setHeader(k, v);
    res.setHeader('Content-Type', MIME[ext] ?? 'application/octet-stream');
    res.end(file.read());
  };
  return {
    name: 'maskgate-self-hosted',
    configureServer(server) {
      server.middlewares.use(serve);
    },
    generateBundle() {
      for (const f of files) {
        this.emitFile({ type: 'asset', fileName: f.url, source: f.read() });
      }
    },
  };
}
