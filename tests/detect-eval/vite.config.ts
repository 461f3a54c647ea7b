/**
 * Dev server for the detection eval page: the annotated models from
 * scripts/face-models, the tasks-vision wasm at /mp-wasm/ and the photos
 * at /images/ (folder from DETECT_EVAL_SCENES).
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Connect } from 'vite';
import { faceModelsPlugin } from '../../scripts/face-models/vitePlugin';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = resolve(here, '../..');
const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
};

function serveDir(prefix: string, dir: string): Connect.NextHandleFunction {
  return (req, res, next) => {
    const url = (req.url ?? '').split('?')[0]!;
    if (!url.startsWith(prefix)) return next();
    const file = normalize(join(dir, decodeURIComponent(url.slice(prefix.length))));
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) return next();
    res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
    createReadStream(file).pipe(res);
  };
}

export default defineConfig({
  root: here,
  logLevel: 'warn',
  // No HMR or file watching: edits elsewhere in the tree must not reload the page mid-run.
  server: {
    port: Number(process.env.DETECT_EVAL_PORT ?? 5301),
    strictPort: true,
    hmr: false,
    watch: null,
    fs: { allow: [repo] },
  },
  plugins: [
    faceModelsPlugin(),
    {
      name: 'detect-eval-static',
      configureServer(server) {
        server.middlewares.use(serveDir('/mp-wasm/', join(repo, 'node_modules/@mediapipe/tasks-vision/wasm')));
        server.middlewares.use(
          serveDir('/images/', resolve(process.env.DETECT_EVAL_SCENES ?? '/work/shared/data/scenes')),
        );
      },
    },
  ],
});
