// The folders tell the pipeline's story only while imports run one way: app composes screens, screens
// use the pipeline, the pipeline uses the stages (camera, detect, track, classify, geometry), and the
// log stands beside them. This reads every import in src/ and fails on an arrow running back up or a cycle.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve('src');

/** Higher layers may import lower ones, never the other way. Same-layer imports are allowed. */
const LAYER: Record<string, number> = {
  main: 5,
  app: 4,
  screens: 3,
  pwa: 3,
  pipeline: 2,
  // Sync uses the log; the app starts it and the screens show it.
  sync: 2,
  log: 1,
  camera: 1,
  detect: 1,
  track: 1,
  classify: 1,
  geometry: 0,
  '.': 0,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path] : [];
  });
}

function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    try {
      if (readFileSync(candidate)) return candidate;
    } catch {
      // try the next extension
    }
  }
  throw new Error(`${relative(SRC, from)}: cannot resolve ${spec}`);
}

/** The folder under src/, or the file itself for main.tsx (the entry, above everything). */
const folder = (file: string) => {
  const rel = relative(SRC, file);
  if (rel === 'main.tsx') return 'main';
  return rel.includes('/') ? rel.slice(0, rel.indexOf('/')) : '.';
};

const graph = new Map<string, string[]>();
for (const file of sourceFiles(SRC)) {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1]!);
  graph.set(
    file,
    specs.map((s) => resolveImport(file, s)).filter((f): f is string => f !== null && f.startsWith(SRC)),
  );
}

describe('src/ import graph', () => {
  it('knows the layer of every folder', () => {
    for (const file of graph.keys()) expect(LAYER[folder(file)], relative(SRC, file)).toBeDefined();
  });

  it('has no import running from a lower layer to a higher one', () => {
    const upward: string[] = [];
    for (const [file, deps] of graph) {
      for (const dep of deps) {
        if (LAYER[folder(dep)]! > LAYER[folder(file)]!) upward.push(`${relative(SRC, file)} → ${relative(SRC, dep)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('has no cycle', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(SRC, f)).join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const dep of graph.get(file) ?? []) visit(dep, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
