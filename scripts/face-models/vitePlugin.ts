/**
 * Serves the metadata-annotated BlazeFace models at /models/<name> in dev and
 * emits them as assets at models/<name> in builds, so the app never ships or
 * commits the derived .tflite files.
 */
import type { Plugin } from 'vite';
import { buildFaceModels, type FaceModelName } from './buildFaceModels.ts';

export function faceModelsPlugin(): Plugin {
  let models: Promise<Map<FaceModelName, Uint8Array>> | undefined;
  const load = () => (models ??= buildFaceModels());
  return {
    name: 'maskgate-face-models',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const match = /^\/models\/([^/?#]+\.tflite)(?:[?#].*)?$/.exec(req.url ?? '');
        if (!match) return next();
        load().then((all) => {
          const bytes = all.get(match[1] as FaceModelName);
          if (!bytes) return next();
          res.setHeader('Content-Type', 'application/octet-stream');
          res.setHeader('Content-Length', String(bytes.length));
          res.setHeader('Cache-Control', 'no-cache');
          res.end(bytes);
        }, next);
      });
    },
    async generateBundle() {
      for (const [name, source] of await load()) {
        this.emitFile({ type: 'asset', fileName: `models/${name}`, source });
      }
    },
  };
}
