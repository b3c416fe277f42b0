// Loads one of whalekeeper's CommonJS bundles with V8's code cache. Node 20 has no compile cache of its own
// (module.enableCompileCache and NODE_COMPILE_CACHE arrive in Node 22.1), so this is the same idea by hand: the bundle
// is compiled through vm.Script with the bytecode V8 produced on an earlier run, and the bytecode is saved when the
// process exits if there was none yet, or V8 refused it (another Node, other flags). Measured here: got's bundle loads
// in half the time, yargs' in about two thirds (DEVELOPERS.md, "Start-up").
//
// The cache is per user (${XDG_CACHE_HOME:-~/.cache}/whalekeeper/<version>-<node>-<arch>/, mode 0700: bytecode is code,
// so no other user may write it), keyed by the bundle's name, size and modification time (V8 itself checks only the
// source's length), written to a temporary file and renamed (concurrent runs never read half a file). Any failure
// only means no cache. NODE_DISABLE_COMPILE_CACHE=1 (Node's own switch for its compile cache) turns it off.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';
import type { Env } from '../core/engine/target.js';

/** Where a bundle's bytecode is kept, or undefined when caching is off or there is no home. */
function cacheFile(file: string, env: Env, home: string, version: string): string | undefined {
  if (env.NODE_DISABLE_COMPILE_CACHE !== undefined && env.NODE_DISABLE_COMPILE_CACHE !== '') return undefined;
  const root = env.XDG_CACHE_HOME || (home === '' ? undefined : join(home, '.cache'));
  if (root === undefined) return undefined;
  const { size, mtimeMs } = statSync(file);
  return join(root, 'whalekeeper', `${version}-${process.version}-${process.arch}`, `${basename(file)}-${size}-${Math.trunc(mtimeMs)}.v8`);
}

/** Runs a CommonJS bundle (no requires but Node's built-in modules) and returns its exports. */
export function loadBundle(file: string, env: Env, home: string, version: string): unknown {
  const source = readFileSync(file, 'utf8');
  let cache: string | undefined;
  let cachedData: Buffer | undefined;
  try {
    cache = cacheFile(file, env, home, version);
    if (cache !== undefined) cachedData = readFileSync(cache);
  } catch {
    // No cache yet (or none possible): compiled from source, and saved below.
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dirname(file));
  if (cache !== undefined && (cachedData === undefined || script.cachedDataRejected === true)) {
    const target = cache;
    // At exit, so that the bytecode holds every function the command compiled, not only the top level.
    process.once('exit', () => {
      try {
        mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
        const temporary = `${target}.${process.pid}.tmp`;
        writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
        renameSync(temporary, target);
        // The bytecode of this bundle's earlier builds (another size or time) is of no more use.
        const stale = `${basename(file)}-`;
        for (const entry of readdirSync(dirname(target))) {
          if (entry.startsWith(stale) && entry.endsWith('.v8') && entry !== basename(target)) rmSync(join(dirname(target), entry), { force: true });
        }
      } catch {
        // A read-only or full home: the next run compiles from source again.
      }
    });
  }
  return module.exports;
}
