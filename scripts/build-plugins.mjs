// esbuild plugins shared by the build (scripts/build.mjs) and the bench's bundled peers (scripts/bench/verify.mjs).
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout: module paths in a bundle are written relative to it, so that a build is the same in any directory. */
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Modules got imports when it loads but uses only for some requests; each is loaded on its first use instead:
 * - http2-wrapper, and with it Node's node:http2 (~5 ms, more than got's other dependencies): only for a request with
 *   `http2: true`, which whalekeeper never makes;
 * - node:https and node:tls (with the TLS half of node:crypto behind them, ~25 built-in modules): only for an https
 *   URL (got reads `tls.checkServerIdentity` for every request unless one is given: src/edge/http.ts gives one);
 * - cacheable-request (with keyv, http-cache-semantics, normalize-url): only with the `cache` option, which verify
 *   turns off; decompress-response (and node:zlib): only for a compressed answer with `decompress`, which verify turns
 *   off; form-data-encoder: only for a request with a form body.
 * got stays as it is: only when a part of it is loaded changes. Whalekeeper's own code imports node:https lazily itself
 * (src/edge/engine-http.ts, src/edge/http.ts). The stand-in is safe for an ES module's default or named import
 * (esbuild's interop, in Node mode, reads no property when the module is bound), so nothing is loaded until a property
 * is read: an `instanceof` on an error path, for one, loads the module then.
 */
const LAZY = /^(http2-wrapper|node:https|node:tls|cacheable-request|decompress-response|form-data-encoder)$/;
export const lazyModules = {
  name: 'lazy-modules',
  setup(build) {
    build.onResolve({ filter: LAZY }, async ({ path, importer, resolveDir, kind, pluginData }) => {
      // Only got's imports (a stand-in for whalekeeper's own would hide where the cost is paid); and not the stand-in's
      // own require of the real module.
      if (!importer.includes('/node_modules/') || pluginData?.real) return undefined;
      const real = path.startsWith('node:') ? path : relative(ROOT, (await build.resolve(path, { resolveDir, kind, pluginData: { real: true } })).path);
      return { path: real, namespace: 'lazy' };
    });
    build.onLoad({ filter: /.*/, namespace: 'lazy' }, ({ path }) => ({
      resolveDir: ROOT,
      loader: 'js',
      contents: `let real;
const load = () => (real ??= require(${JSON.stringify(path.startsWith('node:') || isAbsolute(path) ? path : join(ROOT, path))}));
module.exports = new Proxy({}, { get: (_, key) => load()[key], has: (_, key) => key in load() });`,
    }));
  },
};
