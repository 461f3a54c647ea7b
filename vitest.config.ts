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
    testTimeout: 30_000,
  },
});
