import { defineConfig } from 'vitest/config';

export default defineConfig({
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
