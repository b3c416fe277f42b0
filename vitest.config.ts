import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/engine.ts'],
    setupFiles: ['test/setup/no-warnings.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Two cores here: more workers than that only makes engine tests slower and flakier.
    maxWorkers: 2,
    retry: 0,
    reporters: ['default', './test/setup/summary-reporter.ts'],
  },
});
