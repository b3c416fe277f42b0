import { defineConfig } from 'vitest/config';
import { ENGINE_FACING } from './test/setup/engines.js';

// Every engine-facing suite runs twice, once per engine (test/setup/engines.ts): a project per engine, each with its
// own shared private engine (test/setup/engine.ts reads the project's `engineKind`). The rest runs once, beside the
// 20.10 engine.
export default defineConfig({
  test: {
    globalSetup: ['test/setup/engine.ts'],
    setupFiles: ['test/setup/no-warnings.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Two cores here: more workers than that only makes engine tests slower and flakier.
    maxWorkers: 2,
    retry: 0,
    reporters: ['default', './test/setup/summary-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...ENGINE_FACING], provide: { engineKind: '20.10' } } },
      { extends: true, test: { name: 'engine 20.10', include: [...ENGINE_FACING], provide: { engineKind: '20.10' } } },
      { extends: true, test: { name: 'engine 28', include: [...ENGINE_FACING], provide: { engineKind: '28' } } },
    ],
  },
});
