// Engine API JSON -> inventory types, at any version whalekeeper speaks (1.41 to 1.52, core/engine/api.ts): the fields
// read here mean the same over that range. Pure, so the mapping is tested without an engine.
import type { BuildCacheInfo, ContainerInfo, ContainerState, EngineUsage, ImageInfo, NetworkInfo, VolumeInfo } from '../inventory.js';

type Raw = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const labels = (v: unknown): Record<string, string> => (v && typeof v === 'object' ? (v as Record<string, string>) : {});

/** Milliseconds from an RFC 3339 time; null for missing or Go's zero time (`0001-01-01T00:00:00Z`). */
export function timeMs(v: unknown): number | null {
  if (typeof v !== 'string' || v === '' || v.startsWith('0001-01-01')) return null;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? null : ms;
}

const STATES: readonly ContainerState[] = ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'];

/** One entry of GET /containers/json. */
export function containerFromApi(raw: Raw, sized = false): ContainerInfo {
  const state = str(raw.State) as ContainerState;
  const names = Array.isArray(raw.Names) ? (raw.Names as string[]) : [];
  const mounts = Array.isArray(raw.Mounts) ? (raw.Mounts as Raw[]) : [];
  const networks = (raw.NetworkSettings as Raw | undefined)?.Networks as Record<string, Raw> | undefined;
  return {
    id: str(raw.Id),
    name: (names[0] ?? '').replace(/^\//, ''),
    image: str(raw.Image),
    imageId: str(raw.ImageID),
    state: STATES.includes(state) ? state : 'dead',
    createdMs: (num(raw.Created) ?? 0) * 1000,
    labels: labels(raw.Labels),
    // The engine omits SizeRw when it is 0.
    sizeBytes: num(raw.SizeRw) ?? (sized ? 0 : null),
    volumes: mounts.filter((m) => m.Type === 'volume').map((m) => str(m.Name)),
    networks: Object.values(networks ?? {}).map((n) => str(n.NetworkID)).filter((id) => id !== ''),
  };
}

/** One entry of GET /images/json (or /system/df's Images, which also carries SharedSize). */
export function imageFromApi(raw: Raw, lastTagMs: number | null = null): ImageInfo {
  const size = num(raw.Size) ?? 0;
  const shared = num(raw.SharedSize);
  // Before API 1.43 an untagged image lists `<none>:<none>`; from 1.43 on, no tag at all. (`VirtualSize`, gone in 1.44, is not read.)
  const tags = (Array.isArray(raw.RepoTags) ? (raw.RepoTags as string[]) : []).filter((t) => t !== '<none>:<none>');
  return {
    id: str(raw.Id),
    parentId: str(raw.ParentId),
    tags,
    createdMs: (num(raw.Created) ?? 0) * 1000,
    lastTagMs,
    sizeBytes: size,
    uniqueBytes: shared === null || shared < 0 ? null : size - shared,
    labels: labels(raw.Labels),
  };
}

/** One entry of GET /volumes (or /system/df's Volumes, with UsageData). */
export function volumeFromApi(raw: Raw): VolumeInfo {
  const l = labels(raw.Labels);
  const name = str(raw.Name);
  const size = num((raw.UsageData as Raw | undefined)?.Size);
  return {
    name,
    driver: str(raw.Driver),
    createdMs: timeMs(raw.CreatedAt),
    labels: l,
    // Engines before 23.0 do not label anonymous volumes; their names are 64 hex digits.
    anonymous: l['com.docker.volume.anonymous'] !== undefined || /^[0-9a-f]{64}$/.test(name),
    sizeBytes: size === null || size < 0 ? null : size,
  };
}

const BUILTIN_NETWORKS = new Set(['bridge', 'host', 'none']);

/** One entry of GET /networks. */
export function networkFromApi(raw: Raw): NetworkInfo {
  const name = str(raw.Name);
  const l = labels(raw.Labels);
  return {
    id: str(raw.Id),
    name,
    driver: str(raw.Driver),
    createdMs: timeMs(raw.Created),
    labels: l,
    builtin: BUILTIN_NETWORKS.has(name) || raw.Ingress === true || l['com.docker.swarm.internal'] === 'true',
  };
}

/** The build cache totals from /system/df's BuildCache. */
export function buildCacheFromApi(records: readonly Raw[]): BuildCacheInfo {
  let total = 0;
  let reclaimable = 0;
  for (const r of records) {
    const size = num(r.Size) ?? 0;
    total += size;
    if (r.InUse !== true && r.Shared !== true) reclaimable += size;
  }
  return { totalBytes: total, reclaimableBytes: reclaimable, records: records.length };
}

/**
 * GET /system/df -> the engine's breakdown, reclaimable computed as `docker system df` does. It reads the fields
 * API 1.52 still returns beside its new `*Usage` ones and API 1.53 drops (`LayersSize`, `Images`, `Containers`,
 * `Volumes`, `BuildCache`): one reason whalekeeper speaks no version above 1.52 before this is moved to them.
 */
export function usageFromApi(raw: Raw): EngineUsage {
  const images = (raw.Images as Raw[] | null) ?? [];
  const containers = (raw.Containers as Raw[] | null) ?? [];
  const volumes = (raw.Volumes as Raw[] | null) ?? [];
  const cache = buildCacheFromApi((raw.BuildCache as Raw[] | null) ?? []);
  const layers = num(raw.LayersSize) ?? 0;
  const unusedImages = images.filter((i) => (num(i.Containers) ?? 0) <= 0).reduce((s, i) => s + (num(i.Size) ?? 0) - Math.max(0, num(i.SharedSize) ?? 0), 0);
  const containerBytes = containers.reduce((s, c) => s + (num(c.SizeRw) ?? 0), 0);
  const stoppedBytes = containers.filter((c) => c.State !== 'running').reduce((s, c) => s + (num(c.SizeRw) ?? 0), 0);
  const volumeSize = (v: Raw): number => Math.max(0, num((v.UsageData as Raw | undefined)?.Size) ?? 0);
  const volumeRefs = (v: Raw): number => num((v.UsageData as Raw | undefined)?.RefCount) ?? 0;
  return {
    images: { count: images.length, bytes: layers, reclaimableBytes: Math.min(layers, Math.max(0, unusedImages)) },
    containers: { count: containers.length, bytes: containerBytes, reclaimableBytes: stoppedBytes },
    volumes: {
      count: volumes.length,
      bytes: volumes.reduce((s, v) => s + volumeSize(v), 0),
      reclaimableBytes: volumes.filter((v) => volumeRefs(v) === 0).reduce((s, v) => s + volumeSize(v), 0),
    },
    buildCache: { count: cache.records, bytes: cache.totalBytes, reclaimableBytes: cache.reclaimableBytes },
  };
}
