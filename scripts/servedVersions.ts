// Content versions of the served runtime files (models, wasm): `?v=` + the first 12 hex digits of each file's
// sha256, given to the page as __SERVED_VERSIONS__ (src/servedFiles.ts `servedUrl`) and written into the
// service worker's precache list as the same URLs without a workbox revision. Workbox fetches an entry that
// has no revision with the default cache mode, so the page's request and the precache's request for a file
// are one URL in one HTTP cache: a first visit downloads each file once (the bench's start-up row measured
// 116.6 MiB sent for 61.9 MiB of files when the precache fetched `?__WB_REVISION__=` copies of everything).
import { createHash } from 'node:crypto';
import type { Plugin } from 'vite';
import type { ManifestTransform } from 'workbox-build';
import type { HostedFile } from './vite-plugin-self-hosted.ts';
import { buildFaceModels } from './face-models/buildFaceModels.ts';

export type ServedVersions = Record<string, string>;

export const contentVersion = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex').slice(0, 12);

/** Computes the versions once, at config time, for `hosted` and the face models (served at models/<name>). */
export function servedVersions(hosted: HostedFile[]): {
  plugin: Plugin;
  precacheTransform: ManifestTransform;
} {
  const versions: ServedVersions = {};
  const plugin: Plugin = {
    name: 'maskgate-served-versions',
    async config() {
      for (const f of hosted) versions[f.url] = contentVersion(f.read());
      for (const [name, bytes] of await buildFaceModels()) versions[`models/${name}`] = contentVersion(bytes);
      return { define: { __SERVED_VERSIONS__: JSON.stringify(versions) } };
    },
  };
  const precacheTransform: ManifestTransform = async (entries) => ({
    manifest: entries.map((e) => {
      const v = versions[e.url];
      return v ? { ...e, url: `${e.url}?v=${v}`, revision: null } : e;
    }),
    warnings: [],
  });
  return { plugin, precacheTransform };
}
