import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // vite.config.ts's build constant (no extra sync origin in tests).
  define: { __SYNC_ORIGIN__: JSON.stringify('') },
  test: {
    include: [
      'src/**/*.test.ts',
      'src/**/*.test.tsx',
      'workers/**/*.test.ts',
      'scripts/**/*.test.ts',
      'tests/helpers/**/*.test.mjs',
    ],
    environment: 'node',
    // At least two test files at a time: vitest's default on a 2-core machine ran them one by one, and several
    // mostly wait (sync retries, IndexedDB): 28.1 s → 18.7 s with two (2026-11-30).
    maxWorkers: Math.max(2, availableParallelism()),
    testTimeout: 30_000,
  },
});
