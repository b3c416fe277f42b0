// esbuild plugins shared by the build (scripts/build.mjs) and the bench's bundled peers (scripts/bench/verify.mjs).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = new URL('..', import.meta.url);

/**
 * Modules got loads when it loads but uses only for some requests; each is loaded on its first use instead:
 * - http2-wrapper, and with it Node's node:http2 (~5 ms, more than got's other dependencies): only for a request with
 *   `http2: true`, which whalekeeper never makes;
 * - node:https and node:tls (with the TLS half of node:crypto behind them, ~25 built-in modules): only for an https
 *   URL (got reads `tls.checkServerIdentity` for every request unless one is given: src/edge/http.ts gives one).
 * got stays as it is. Whalekeeper's own code imports these lazily itself (src/edge/engine-http.ts, src/edge/http.ts).
 * The stand-in is safe for an ES module's default or named import (esbuild's interop, in Node mode, reads no property
 * when the module is bound), so nothing is loaded until a property is read.
 */
const LAZY = { 'http2-wrapper': createRequire(import.meta.url).resolve('http2-wrapper'), 'node:https': 'node:https', 'node:tls': 'node:tls' };
export const lazyModules = {
  name: 'lazy-modules',
  setup(build) {
    build.onResolve({ filter: /^(http2-wrapper|node:https|node:tls)$/ }, ({ path, importer }) =>
      // Only got's imports: a stand-in for whalekeeper's own would hide where the cost is paid.
      importer.includes('/node_modules/') ? { path, namespace: 'lazy' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy' }, ({ path }) => ({
      resolveDir: fileURLToPath(root),
      loader: 'js',
      contents: `let real;
const load = () => (real ??= require(${JSON.stringify(LAZY[path])}));
module.exports = new Proxy({}, { get: (_, key) => load()[key], has: (_, key) => key in load() });`,
    }));
  },
};
