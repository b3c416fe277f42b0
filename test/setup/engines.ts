// The engines the suite runs against, and which suites run against each.

/**
 * `20.10`: Debian bookworm's dockerd 20.10, the overlay2 graph driver. `28`: Debian unstable's dockerd 28.x with the
 * containerd image store, its containerd under the data root (docker:dind's layout). `28-system-containerd`: the
 * same, given a containerd of its own whose root is another filesystem (a host install). scripts/engine.sh starts each.
 */
export type EngineKind = '20.10' | '28' | '28-system-containerd';

/** The suites that run once per engine (the `engine 20.10` and `engine 28` projects of vitest.config.ts). */
export const ENGINE_FACING: readonly string[] = [
  'test/run/**/*.test.ts',
  'test/build/**/*.test.ts',
  'test/clean/**/*.test.ts',
  'test/engine-tls/**/*.test.ts',
  'test/engine29/**/*.test.ts',
  'test/engines/**/*.test.ts',
  'test/shim/shim.test.ts',
  'test/cli/engine-url.test.ts',
  'test/groovy/live.test.ts',
  'test/groovy/e2e.test.ts',
  'test/groovy/registry.test.ts',
  'test/groovy/argv.test.ts',
  'test/demo/**/*.test.ts',
];
