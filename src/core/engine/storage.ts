// Where an engine keeps its data: its image store, and, with the containerd image store, which containerd holds the
// images and where that containerd's root is. Pure: the edge reads /proc and the files, this decides.
import { posix } from 'node:path';

/**
 * `graphdriver`: images as layers under the data root (`image/`, `overlay2/`: Docker before the containerd store).
 * `containerd`: the containerd image store (`driver-type: io.containerd.snapshotter.v1` in `docker info`): images
 * are containerd's content and snapshots, kept in containerd's root (the Docker docs' "containerd image store" page).
 */
export type ImageStore = 'graphdriver' | 'containerd';

/** The image store an engine uses, from `/info`'s DriverStatus (pairs of strings). */
export function imageStoreOf(driverStatus: unknown): ImageStore {
  const pairs = Array.isArray(driverStatus) ? (driverStatus as unknown[]) : [];
  const snapshotter = pairs.some((p) => Array.isArray(p) && p[0] === 'driver-type' && p[1] === 'io.containerd.snapshotter.v1');
  return snapshotter ? 'containerd' : 'graphdriver';
}

/**
 * containerd's own defaults (containerd's docs/ops.md and `containerd config default`): the config file it reads
 * without `--config`, its root without `root =`, and its gRPC socket without `[grpc] address`.
 */
export const CONTAINERD_DEFAULTS = {
  config: '/etc/containerd/config.toml',
  root: '/var/lib/containerd',
  address: '/run/containerd/containerd.sock',
} as const;

/** What a containerd command line says of its config file, root and socket (flags only; undefined: not given). */
export interface ContainerdFlags {
  readonly config: string | undefined;
  readonly root: string | undefined;
  readonly address: string | undefined;
}

/** containerd's other global flags that take a value (`containerd --help`, containerd 1.7 and 2.x): their value is not a subcommand. */
const CONTAINERD_VALUE_FLAGS: ReadonlySet<string> = new Set(['--log-level', '-l', '--state']);

/** Reads a process's argv as containerd's; undefined when the program is not containerd (`containerd` itself, no subcommand). */
export function containerdFlags(argv: readonly string[]): ContainerdFlags | undefined {
  if (argv.length === 0 || posix.basename(argv[0]!) !== 'containerd') return undefined;
  const flags: Record<'config' | 'root' | 'address', string | undefined> = { config: undefined, root: undefined, address: undefined };
  const names: Record<string, keyof typeof flags> = { '--config': 'config', '-c': 'config', '--root': 'root', '--address': 'address', '-a': 'address' };
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const name = names[flag];
    if (name !== undefined) {
      flags[name] = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    } else if (eq < 0 && CONTAINERD_VALUE_FLAGS.has(flag)) {
      i++;
    } else if (!arg.startsWith('-')) {
      // A subcommand (`containerd config dump`, `containerd publish`): not the daemon.
      return undefined;
    }
  }
  return flags;
}

/**
 * The two settings whalekeeper needs from a containerd config file (TOML): the top-level `root`, and `address` in
 * the `[grpc]` table. A reading of just those keys (basic and literal strings), not a TOML parser: any other key or
 * table is passed over.
 */
export function containerdConfig(text: string): { readonly root: string | undefined; readonly address: string | undefined } {
  let table = '';
  let root: string | undefined;
  let address: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header) {
      table = header[1]!.replace(/["']/g, '');
      continue;
    }
    const pair = /^([A-Za-z0-9_.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)')/.exec(line);
    if (!pair) continue;
    const value = pair[2] !== undefined ? pair[2].replace(/\\(["\\])/g, '$1') : pair[3]!;
    if (table === '' && pair[1] === 'root') root = value;
    if ((table === 'grpc' && pair[1] === 'address') || (table === '' && pair[1] === 'grpc.address')) address = value;
  }
  return { root, address };
}

/** One containerd process as seen here: its command line and the text of the config file it reads (undefined: unreadable). */
export interface ContainerdProcess {
  readonly flags: ContainerdFlags;
  readonly configText: string | undefined;
}

/** A containerd's root and socket, its flags first, then its config file, then containerd's defaults. */
export function containerdSettings(p: ContainerdProcess): { readonly root: string; readonly address: string } {
  const config = p.configText === undefined ? { root: undefined, address: undefined } : containerdConfig(p.configText);
  return { root: p.flags.root ?? config.root ?? CONTAINERD_DEFAULTS.root, address: p.flags.address ?? config.address ?? CONTAINERD_DEFAULTS.address };
}

/** A containerd address as a socket path: `unix://` dropped, normalized. */
function socketPath(address: string): string {
  return posix.normalize(address.replace(/^unix:\/\//, ''));
}

/** The root of the containerd serving `address`, among the processes seen here; undefined when none serves it. */
export function containerdRootServing(address: string, processes: readonly ContainerdProcess[]): string | undefined {
  const want = socketPath(address);
  for (const p of processes) {
    const s = containerdSettings(p);
    if (socketPath(s.address) === want) return s.root;
  }
  return undefined;
}

/**
 * Where a remote engine's images are when that is outside its data root: with the containerd image store and the
 * system containerd's default socket (a host install: /run/containerd/containerd.sock), that containerd's default root.
 * The remote host's processes are not visible from here, so a containerd with another root cannot be found; any
 * other socket is taken for dockerd's own containerd (`<exec root>/containerd/containerd.sock`, docker:dind's),
 * whose root is under the data root. undefined: nothing to measure beyond the data root.
 */
export function remoteImageRoot(store: ImageStore, address: string): string | undefined {
  if (store !== 'containerd') return undefined;
  const path = socketPath(address);
  return path === CONTAINERD_DEFAULTS.address || path === `/var${CONTAINERD_DEFAULTS.address}` ? CONTAINERD_DEFAULTS.root : undefined;
}

/** True when `inner` is `outer` or a folder below it. */
export function isWithin(inner: string, outer: string): boolean {
  const rel = posix.relative(posix.normalize(outer), posix.normalize(inner));
  return rel === '' || (!rel.startsWith('..') && !posix.isAbsolute(rel));
}

/** What this machine shows at the path the engine names as its data root. */
export interface DataRootSight {
  /** The text of `<root>/engine-id` (Engine 23 and later write it; undefined: absent or unreadable). */
  readonly engineId: string | undefined;
  /** `<root>/image` is there (the graph-driver store's image metadata). */
  readonly hasImageDir: boolean;
}

/** Whether the folder seen here is the engine's own data root, or why it is not. */
export type DataRootVerdict = { readonly mine: true } | { readonly mine: false; readonly reason: string };

/**
 * Decides whether the path seen here is the engine's data root. A socket mounted into a container (a DaemonSet) does
 * not bring the data root along, and the same path may hold another engine's data: the engine's ID (`/info` ID,
 * written to `<root>/engine-id` since Engine 23) must match where both are known; an engine older than that has
 * no ID file, and its `image/` folder is the sign (the containerd store has none: its images are containerd's).
 */
export function dataRootVerdict(root: string, sight: DataRootSight, engineId: string): DataRootVerdict {
  const seen = sight.engineId?.trim();
  if (seen !== undefined && seen !== '') {
    if (engineId === '' || seen === engineId) return { mine: true };
    return { mine: false, reason: `the folder ${root} here holds another engine's data (engine-id ${seen}, not ${engineId})` };
  }
  if (sight.hasImageDir) return { mine: true };
  return { mine: false, reason: `the data root ${root} is not visible here` };
}

/** Where an engine's image bytes are, as seen from here. */
export type ImageRoot =
  | { readonly kind: 'in-data-root' }
  | { readonly kind: 'elsewhere'; readonly root: string }
  | { readonly kind: 'unknown'; readonly reason: string };

/**
 * Where the image bytes live. The graph-driver store keeps them under the data root. The containerd store keeps them
 * in the root of the containerd the engine talks to (`/info` Containerd.Address): a containerd dockerd manages itself
 * keeps its root at `<data root>/containerd/daemon`; a system containerd (a host install: `/run/containerd/containerd.sock`)
 * keeps its own, by default /var/lib/containerd. That root is found from the process serving the address (its flags,
 * then its config file); when no such process is visible here, the image bytes cannot be placed, and that is said.
 */
export function imageRootOf(
  store: ImageStore,
  dataRoot: string,
  address: string,
  processes: readonly ContainerdProcess[],
  managedRootExists: boolean,
): ImageRoot {
  if (store === 'graphdriver') return { kind: 'in-data-root' };
  const served = address === '' ? undefined : containerdRootServing(address, processes);
  const root = served ?? (managedRootExists ? posix.join(dataRoot, 'containerd', 'daemon') : undefined);
  if (root === undefined) {
    const at = address === '' ? 'its containerd' : `the containerd at ${address}`;
    return {
      kind: 'unknown',
      reason: `the engine keeps its images in ${at}, and no containerd serving it is visible here to say where its root is (run where the host's processes are visible: hostPID)`,
    };
  }
  return isWithin(root, dataRoot) ? { kind: 'in-data-root' } : { kind: 'elsewhere', root };
}
