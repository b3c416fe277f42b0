// A normalised snapshot of what an engine holds: the planner, `ls` and `disk` read only these types.

/** A container's state as the engine reports it. */
export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

/** One container. Times are milliseconds since the epoch. */
export interface ContainerInfo {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  readonly imageId: string;
  readonly state: ContainerState;
  /** When it was created: the age `clean` compares with --grace (never FinishedAt, 0001-01-01 for unstarted ones). */
  readonly createdMs: number;
  readonly labels: Readonly<Record<string, string>>;
  /** Bytes of its writable layer, when listed with sizes; null when unknown. */
  readonly sizeBytes: number | null;
  /** Names of the volumes it mounts. */
  readonly volumes: readonly string[];
  /** Ids of the networks it is attached to. */
  readonly networks: readonly string[];
}

/** One image (a local image record, possibly with several tags). */
export interface ImageInfo {
  readonly id: string;
  readonly parentId: string;
  /** Its tags, without `<none>:<none>`; empty for a dangling image. */
  readonly tags: readonly string[];
  readonly createdMs: number;
  /** When it was last tagged (a build or `docker tag`), when the engine knows it; null otherwise. */
  readonly lastTagMs: number | null;
  /** Its full size, layers shared with other images included. */
  readonly sizeBytes: number;
  /** Bytes only this image holds (size minus shared), when known; null otherwise. */
  readonly uniqueBytes: number | null;
  readonly labels: Readonly<Record<string, string>>;
}

/** One volume. */
export interface VolumeInfo {
  readonly name: string;
  readonly driver: string;
  readonly createdMs: number | null;
  readonly labels: Readonly<Record<string, string>>;
  /** True for an anonymous volume (a 64-hex name, or the engine's anonymous label). */
  readonly anonymous: boolean;
  readonly sizeBytes: number | null;
}

/** One network. */
export interface NetworkInfo {
  readonly id: string;
  readonly name: string;
  readonly driver: string;
  readonly createdMs: number | null;
  readonly labels: Readonly<Record<string, string>>;
  /** bridge, host, none and swarm's ingress: never removed. */
  readonly builtin: boolean;
}

/** The build cache, as a total. */
export interface BuildCacheInfo {
  readonly totalBytes: number;
  readonly reclaimableBytes: number;
  readonly records: number;
}

/** Everything `clean` plans from, read at one moment. */
export interface Inventory {
  readonly takenMs: number;
  readonly containers: readonly ContainerInfo[];
  readonly images: readonly ImageInfo[];
  readonly volumes: readonly VolumeInfo[];
  readonly networks: readonly NetworkInfo[];
  /** Undefined when the build cache was not read. */
  readonly buildCache: BuildCacheInfo | undefined;
}

/** The engine's own accounting (`docker system df`). */
export interface EngineUsage {
  readonly images: { readonly count: number; readonly bytes: number; readonly reclaimableBytes: number };
  readonly containers: { readonly count: number; readonly bytes: number; readonly reclaimableBytes: number };
  readonly volumes: { readonly count: number; readonly bytes: number; readonly reclaimableBytes: number };
  readonly buildCache: { readonly count: number; readonly bytes: number; readonly reclaimableBytes: number };
}

/** The filesystem that holds the engine's data root, measured with statfs. */
export interface FilesystemUsage {
  readonly path: string;
  readonly totalBytes: number;
  readonly usedBytes: number;
  readonly availableBytes: number;
  /** Used percent as df computes it: used / (used + available), so root-reserved blocks count as full. */
  readonly usedPercent: number;
  readonly inodesTotal: number;
  readonly inodesUsed: number;
  /**
   * How it was measured: `statfs` locally, `container` through a helper container on the engine, or `du`: the bytes
   * of the data root's tree against `--limit` (total = the limit), as the kubelet counts an emptyDir with a sizeLimit.
   */
  readonly method: 'statfs' | 'container' | 'du';
}

/** A measurement, or why there is none. */
/** A filesystem that holds engine data, and what it holds: the data root, or the root of the containerd keeping the images. */
export interface HeldFilesystem {
  readonly holds: 'data root' | 'containerd root';
  readonly usage: FilesystemUsage;
}

/**
 * A measure of the engine's disk: `usage` is the figure thresholds and `--target` are held against (the fullest
 * filesystem holding engine data); `filesystems`, when the engine's data is on more than one, each of them.
 */
export type DiskMeasure =
  | { readonly ok: true; readonly usage: FilesystemUsage; readonly filesystems?: readonly HeldFilesystem[] }
  | { readonly ok: false; readonly reason: string };

/** True for states `clean --agent` may remove: the container is not doing anything. */
export function isStopped(state: ContainerState): boolean {
  return state === 'exited' || state === 'created' || state === 'dead';
}

/** df's used percent from the statfs figures. */
export function usedPercentOf(usedBytes: number, availableBytes: number): number {
  const denominator = usedBytes + availableBytes;
  return denominator === 0 ? 0 : (usedBytes / denominator) * 100;
}
