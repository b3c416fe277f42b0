// The options of `docker build`, as the docker client's flag parser (pflag) knows them: the classic builder's and
// buildx's (`docker build` is `docker buildx build` where buildx is installed), so either client is read right.
// A test compares this table with `docker build --help` of the installed client, so a new flag fails a test, not a user.
import type { FlagSpec, FlagTable } from './pflag.js';

/** Flags that take no separate value (`--no-cache`, `--pull=false`); `--sbom`/`--provenance` take one only after `=`. */
const BOOLEAN = ['check', 'compress', 'detach', 'disable-content-trust', 'force-rm', 'help', 'load', 'no-cache', 'pull',
  'push', 'quiet', 'rm', 'squash', 'stream',
  // buildx: optional values (`--sbom`, `--sbom=false`): a following word is never their value.
  'provenance', 'sbom'];

const VALUED = ['add-host', 'allow', 'annotation', 'attest', 'build-arg', 'build-context', 'builder', 'cache-from',
  'cache-to', 'call', 'cgroup-parent', 'cpu-period', 'cpu-quota', 'cpu-shares', 'cpuset-cpus', 'cpuset-mems', 'file',
  'iidfile', 'isolation', 'label', 'memory', 'memory-swap', 'metadata-file', 'network', 'no-cache-filter', 'output',
  'platform', 'print', 'progress', 'secret', 'security-opt', 'shm-size', 'ssh', 'tag', 'target', 'ulimit'];

const SHORT: Readonly<Record<string, string>> = { c: 'cpu-shares', f: 'file', m: 'memory', o: 'output', q: 'quiet', t: 'tag' };

/** Every `docker build` option by its long name. */
export const BUILD_OPTIONS: ReadonlyMap<string, FlagSpec> = new Map(
  [...BOOLEAN.map((long) => ({ long, boolean: true })), ...VALUED.map((long) => ({ long, boolean: false }))].map((spec) => [spec.long, spec]),
);

/** The short letters `docker build` knows, by the long name they stand for. */
export const BUILD_SHORT: Readonly<Record<string, string>> = SHORT;

/** The `docker build` options table in the form the flag reader takes. */
export const BUILD_FLAG_TABLE: FlagTable = {
  byLong: (name) => BUILD_OPTIONS.get(name),
  byShort: (letter) => {
    const long = SHORT[letter];
    return long === undefined ? undefined : BUILD_OPTIONS.get(long);
  },
};
