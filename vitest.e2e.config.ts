// Browser test configuration (Node): end-to-end tests in test/e2e drive Debian's Chromium
// against `simcvd serve`. Run after building the renderer: `npm run test:e2e` does both.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts', 'test/electron/**/*.electron.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One browser at a time: software WebGL on a 2-core machine.
    fileParallelism: false,
  },
});
