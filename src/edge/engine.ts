// The Engine: Docker Engine API access for ls, clean and disk, returning core types. One HTTP client, no docker
// processes: bulk removals are concurrent requests over a keep-alive agent.
import { buildCacheFromApi, containerFromApi, imageFromApi, networkFromApi, timeMs, usageFromApi, volumeFromApi } from '../core/engine/json.js';
import { buildPruneQuery, uniqueNetworkBody } from '../core/engine/api.js';
import { imageStoreOf, type ImageStore } from '../core/engine/storage.js';
import type { EngineTarget } from '../core/engine/target.js';
import { EngineAnswerError } from '../core/errors.js';
import type { BuildCacheInfo, ContainerInfo, EngineUsage, ImageInfo, NetworkInfo, VolumeInfo } from '../core/inventory.js';
import { mapPool } from '../core/pool.js';
import { apiMessage, createEngineHttp, type ApiResponse } from './engine-http.js';
import { negotiating, type NegotiatingHttp } from './engine-negotiate.js';

/** What the engine says about itself. */
export interface EngineInfo {
  readonly dataRoot: string;
  readonly serverVersion: string;
  readonly name: string;
  readonly os: string;
  /** The engine's ID (`/info` ID; Engine 23 and later also write it to `<data root>/engine-id`); '' when not given. */
  readonly id: string;
  /** The image store: graph drivers, or the containerd image store (`/info` DriverStatus). */
  readonly imageStore: ImageStore;
  /** The socket of the containerd the engine talks to (`/info` Containerd.Address, API 1.46 and later); '' when not given. */
  readonly containerdAddress: string;
}

/**
 * The result of one removal. `vanished` (404, or 409 while another client removes it) and `in-use` (409) are the normal
 * races of a shared engine; `removed` only when this removal did it, so that concurrent cleans never count one object twice.
 */
export type RemoveOutcome =
  | { readonly status: 'removed'; readonly bytes?: number }
  | { readonly status: 'vanished' }
  | { readonly status: 'in-use'; readonly message: string }
  | { readonly status: 'failed'; readonly message: string };

/** What /system/df reports, as the engine's breakdown plus per-object sizes to fill in the inventory. */
export interface EngineDf {
  readonly usage: EngineUsage;
  readonly sharedSize: ReadonlyMap<string, number>;
  readonly volumeSize: ReadonlyMap<string, number>;
  readonly containerSize: ReadonlyMap<string, number>;
  readonly buildCache: BuildCacheInfo;
}

/** Docker Engine access for ls, clean and disk. */
export interface Engine {
  readonly host: string;
  info(): Promise<EngineInfo>;
  /** All containers; with `sizes` the engine computes each writable layer's size (costly on big engines). */
  containers(options: { sizes: boolean }): Promise<ContainerInfo[]>;
  images(): Promise<ImageInfo[]>;
  /** When each image was last tagged, for the ids given (one inspect each, concurrently). */
  tagTimes(ids: readonly string[]): Promise<Map<string, number>>;
  volumes(): Promise<VolumeInfo[]>;
  networks(): Promise<NetworkInfo[]>;
  /** `docker system df`: slow on big engines (moby #31719), so only read when asked for. */
  df(): Promise<EngineDf>;
  removeContainer(id: string, options: { force: boolean; volumes: boolean }): Promise<RemoveOutcome>;
  /** Removes an image tag by tag (never forced), then by id when it had none. */
  removeImage(id: string, tags: readonly string[]): Promise<RemoveOutcome>;
  removeVolume(name: string): Promise<RemoveOutcome>;
  removeNetwork(id: string): Promise<RemoveOutcome>;
  pruneBuildCache(keepBytes: number): Promise<RemoveOutcome>;
  /**
   * Creates a config-only network named `name` (stored only: no driver, no subnet, no container can join it): an
   * engine-wide mutex, since the engine refuses a duplicate name (409); `vanished`: it existed, then was gone before it
   * could be read.
   */
  createNamedNetwork(
    name: string,
    labels: Readonly<Record<string, string>>,
  ): Promise<
    | { status: 'created'; id: string }
    | { status: 'exists'; id: string; createdMs: number | null; labels: Readonly<Record<string, string>> }
    | { status: 'vanished' }
    | { status: 'failed'; message: string }
  >;
  /** Runs `command` in a short-lived container of `image` with `hostPath` mounted read-only at `mountPoint`; its stdout, or why not. */
  runReadOnly(image: string, hostPath: string, mountPoint: string, command: readonly string[]): Promise<{ ok: true; stdout: string } | { ok: false; reason: string }>;
  close(): void;
}

/** Concurrent requests for bulk work: enough to hide latency, few enough to leave a shared engine responsive. */
export const ENGINE_CONCURRENCY = 16;

function expectOk(host: string, method: string, path: string, response: ApiResponse): unknown {
  if (response.status >= 200 && response.status < 300) return response.body;
  // The engine answered: whatever the status, it is reachable (exit 3 all the same: it could not be read).
  throw new EngineAnswerError(host, `${method} ${path}`, response.status, apiMessage(response));
}

/** What a removal's answer means for the counts. */
export function removeOutcome(response: ApiResponse): RemoveOutcome {
  if (response.status >= 200 && response.status < 300) return { status: 'removed' };
  if (response.status === 404) return { status: 'vanished' };
  const message = apiMessage(response);
  // Another client is removing it: gone, and not ours to count. A container answers 409 "removal of container X is
  // already in progress"; an image deleted meanwhile by another client's last untag, "unrecognized image ID" (500).
  if ((response.status === 409 && /already in progress/i.test(message)) || /^unrecognized image ID /i.test(message)) return { status: 'vanished' };
  // Networks in use answer 403 ("has active endpoints") on older engines, 409 on newer ones.
  if (response.status === 409 || /active endpoints|in use|is being used|running/i.test(message)) return { status: 'in-use', message };
  return { status: 'failed', message };
}

/** How long one removal may take once asked for: a long operation, not bound by `--engine-timeout`. */
export const REMOVAL_MS = 120_000;

/**
 * Creates the Engine for the resolved target, speaking the API version negotiated on its first request. Unreachable
 * engines surface as EngineUnreachableError (exit 3), error answers as EngineAnswerError, refused versions as
 * EngineApiVersionError (exit 4); `answerMs` (`--engine-timeout`) bounds connecting and the first byte of every answer
 * but a long operation's.
 */
export function createEngine(target: EngineTarget, answerMs?: number): Engine {
  const http: NegotiatingHttp = negotiating(createEngineHttp(target, ENGINE_CONCURRENCY, answerMs), target);
  const get = async (path: string): Promise<unknown> => expectOk(target.host, 'GET', path, await http.request('GET', path));
  const del = async (path: string): Promise<RemoveOutcome> => removeOutcome(await http.request('DELETE', path, { timeoutMs: REMOVAL_MS }));
  return {
    host: target.host,
    info: async () => {
      const raw = (await get('/info')) as Record<string, unknown>;
      return {
        dataRoot: String(raw.DockerRootDir ?? ''),
        serverVersion: String(raw.ServerVersion ?? ''),
        name: String(raw.Name ?? ''),
        os: String(raw.OperatingSystem ?? ''),
        id: String(raw.ID ?? ''),
        imageStore: imageStoreOf(raw.DriverStatus),
        containerdAddress: String((raw.Containerd as { Address?: unknown } | null | undefined)?.Address ?? ''),
      };
    },
    containers: async ({ sizes }) => ((await get(`/containers/json?all=1${sizes ? '&size=1' : ''}`)) as Record<string, unknown>[]).map((raw) => containerFromApi(raw, sizes)),
    images: async () => ((await get('/images/json')) as Record<string, unknown>[]).map((raw) => imageFromApi(raw)),
    tagTimes: async (ids) => {
      const times = new Map<string, number>();
      await mapPool(ids, ENGINE_CONCURRENCY, async (id) => {
        const response = await http.request('GET', `/images/${encodeURIComponent(id)}/json`);
        if (response.status !== 200) return;
        const ms = timeMs((response.body as { Metadata?: { LastTagTime?: unknown } }).Metadata?.LastTagTime);
        if (ms !== null) times.set(id, ms);
      });
      return times;
    },
    volumes: async () => (((await get('/volumes')) as { Volumes?: Record<string, unknown>[] | null }).Volumes ?? []).map(volumeFromApi),
    networks: async () => ((await get('/networks')) as Record<string, unknown>[]).map(networkFromApi),
    df: async () => {
      const raw = (await get('/system/df')) as Record<string, unknown>;
      const images = (raw.Images as Record<string, unknown>[] | null) ?? [];
      const volumes = (raw.Volumes as Record<string, unknown>[] | null) ?? [];
      const containers = (raw.Containers as Record<string, unknown>[] | null) ?? [];
      return {
        usage: usageFromApi(raw),
        sharedSize: new Map(images.map((i) => [String(i.Id), Number(i.SharedSize ?? -1)])),
        volumeSize: new Map(volumes.map((v) => [String(v.Name), Number((v.UsageData as { Size?: number } | undefined)?.Size ?? -1)])),
        containerSize: new Map(containers.map((c) => [String(c.Id), Number(c.SizeRw ?? 0)])),
        buildCache: buildCacheFromApi((raw.BuildCache as Record<string, unknown>[] | null) ?? []),
      };
    },
    removeContainer: (id, { force, volumes }) => del(`/containers/${encodeURIComponent(id)}?force=${force ? 1 : 0}&v=${volumes ? 1 : 0}`),
    removeImage: async (id, tags) => {
      // Tag by tag without force: the last tag removes the image; a container that started using it meanwhile makes
      // it 409. Removed only when one of our answers lists the image as Deleted: when a concurrent clean removed it,
      // our untagging freed nothing, and two cleans must not both count it.
      let deleted = false;
      const step = async (ref: string): Promise<RemoveOutcome> => {
        const response = await http.request('DELETE', `/images/${encodeURIComponent(ref)}?noprune=0`, { timeoutMs: REMOVAL_MS });
        if (Array.isArray(response.body) && response.body.some((entry: { Deleted?: unknown }) => typeof entry?.Deleted === 'string')) deleted = true;
        return removeOutcome(response);
      };
      for (const tag of tags) {
        const last = await step(tag);
        if (last.status === 'in-use' || last.status === 'failed') return last;
      }
      // No tags, or the last tag left the image behind (it also had a digest reference): remove it by id.
      if (!deleted) {
        const rest = await step(id);
        if (rest.status === 'in-use' || rest.status === 'failed') return rest;
      }
      return deleted ? { status: 'removed' } : { status: 'vanished' };
    },
    removeVolume: (name) => del(`/volumes/${encodeURIComponent(name)}`),
    removeNetwork: (id) => del(`/networks/${encodeURIComponent(id)}`),
    pruneBuildCache: async (keepBytes) => {
      const response = await http.request('POST', `/build/prune?${buildPruneQuery(await http.apiVersion(), keepBytes)}`, { timeoutMs: 600_000 });
      const result = removeOutcome(response);
      if (result.status !== 'removed') return result;
      const body = response.body as { SpaceReclaimed?: number; CachesDeleted?: unknown[] | null } | undefined;
      // Nothing pruned (every record left is in use or shared with an image): not counted as a removal.
      if (Array.isArray(body?.CachesDeleted) ? body.CachesDeleted.length === 0 : body?.CachesDeleted === null) return { status: 'vanished' };
      return { status: 'removed', bytes: Number(body?.SpaceReclaimed ?? 0) };
    },
    createNamedNetwork: async (name, labels) => {
      const request = uniqueNetworkBody(await http.apiVersion(), { Name: name, ConfigOnly: true, Labels: labels });
      const created = await http.request('POST', '/networks/create', { body: request });
      if (created.status === 201) return { status: 'created', id: String((created.body as { Id?: unknown } | undefined)?.Id ?? name) };
      if (created.status !== 409) return { status: 'failed', message: apiMessage(created) };
      const existing = await http.request('GET', `/networks/${encodeURIComponent(name)}`);
      if (existing.status === 404) return { status: 'vanished' };
      const body = existing.body as { Id?: unknown; Created?: unknown; Labels?: Record<string, string> | null } | undefined;
      return { status: 'exists', id: String(body?.Id ?? name), createdMs: timeMs(body?.Created), labels: body?.Labels ?? {} };
    },
    runReadOnly: async (image, hostPath, mountPoint, command) => {
      const created = await http.request('POST', '/containers/create', {
        body: {
          Image: image,
          Entrypoint: [command[0]],
          Cmd: command.slice(1),
          Labels: { 'whalekeeper.managed': 'true' },
          HostConfig: { Binds: [`${hostPath}:${mountPoint}:ro`], NetworkMode: 'none', ReadonlyRootfs: true },
        },
      });
      if (created.status !== 201) return { ok: false, reason: `cannot create a container of ${image}: ${apiMessage(created)}` };
      const id = String((created.body as { Id?: string }).Id);
      try {
        const started = await http.request('POST', `/containers/${id}/start`);
        if (started.status >= 300) return { ok: false, reason: `cannot start a container of ${image}: ${apiMessage(started)}` };
        const waited = await http.request('POST', `/containers/${id}/wait`, { timeoutMs: 60_000 });
        const code = (waited.body as { StatusCode?: number } | undefined)?.StatusCode;
        const logs = await http.request('GET', `/containers/${id}/logs?stdout=1&stderr=1`, { raw: true });
        const text = demultiplex(logs.body as Buffer);
        return code === 0 ? { ok: true, stdout: text } : { ok: false, reason: `\`${command.join(' ')}\` in ${image} exited ${code}: ${text.trim()}` };
      } finally {
        await http.request('DELETE', `/containers/${id}?force=1&v=1`, { timeoutMs: REMOVAL_MS });
      }
    },
    close: () => http.close(),
  };
}

/** The text of a non-TTY container's log stream: frames of an 8-byte header (stream, 0, 0, 0, size) and a payload. */
export function demultiplex(buffer: Buffer): string {
  const parts: Buffer[] = [];
  for (let offset = 0; offset + 8 <= buffer.length; ) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}
