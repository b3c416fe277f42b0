// Reading an engine for ls, clean and disk: the inventory (one request per kind, concurrently) and the data root's filesystem.
import { againstLimit, fullestOf } from '../core/disk-status.js';
import { dataRootVerdict, imageRootOf, remoteImageRoot } from '../core/engine/storage.js';
import { isSameMachine, type EngineTarget } from '../core/engine/target.js';
import { maskUrlSecrets } from '../core/mask.js';
import { isStopped, type DiskMeasure, type FilesystemUsage, type Inventory } from '../core/inventory.js';
import type { Disk } from '../edge/disk.js';
import type { Engine, EngineDf, EngineInfo } from '../edge/engine.js';
import { MOUNT_POINT, STAT_COMMAND, parseStatF, pickMeasureImage } from '../core/statfs-text.js';

/** What to read beyond the lists. */
export interface SnapshotOptions {
  /** Container sizes (the engine walks every writable layer). */
  readonly sizes: boolean;
  /** `system df`: shared image sizes, volume sizes, build cache. */
  readonly df: boolean;
  /** Tag times of the images no live container uses (the candidates), for "last used". */
  readonly tagTimes: boolean;
  readonly volumes: boolean;
  readonly networks: boolean;
  /** Images (`ls` without --images needs none). */
  readonly images?: boolean;
}

/** Reads the inventory. */
export async function readInventory(engine: Engine, options: SnapshotOptions, now: () => number): Promise<{ inventory: Inventory; df: EngineDf | undefined }> {
  const [containers, images, volumes, networks, df] = await Promise.all([
    engine.containers({ sizes: options.sizes }),
    options.images === false ? Promise.resolve([]) : engine.images(),
    options.volumes ? engine.volumes() : Promise.resolve([]),
    options.networks ? engine.networks() : Promise.resolve([]),
    options.df ? engine.df() : Promise.resolve(undefined),
  ]);
  const takenMs = now();
  // An image a stopped container was made from is a candidate too (the container may go first), and its last tag may be
  // later than that container (src/core/lru.ts): only the image of a container clean never removes is never one, so needs no request.
  const live = new Set(containers.filter((c) => !isStopped(c.state)).map((c) => c.imageId));
  const tagTimes = options.tagTimes ? await engine.tagTimes(images.filter((i) => i.tags.length > 0 && !live.has(i.id)).map((i) => i.id)) : new Map<string, number>();
  return {
    df,
    inventory: {
      takenMs,
      containers: df && !options.sizes ? containers.map((c) => ({ ...c, sizeBytes: df.containerSize.get(c.id) ?? c.sizeBytes })) : containers,
      images: images.map((i) => {
        const shared = df?.sharedSize.get(i.id);
        return { ...i, lastTagMs: tagTimes.get(i.id) ?? i.lastTagMs, uniqueBytes: shared !== undefined && shared >= 0 ? i.sizeBytes - shared : i.uniqueBytes };
      }),
      volumes: df ? volumes.map((v) => ({ ...v, sizeBytes: (df.volumeSize.get(v.name) ?? -1) >= 0 ? df.volumeSize.get(v.name)! : v.sizeBytes })) : volumes,
      networks,
      buildCache: df?.buildCache,
    },
  };
}

/** How to measure when the data root is not visible here: a helper container of this image (undefined: pick one present). */
export interface RemoteMeasure {
  readonly engine: Engine;
  readonly image: string | undefined;
}

/**
 * Measures the filesystems holding the engine's data: statfs when the engine runs here (a unix socket, or tcp to
 * loopback: a DinD sidecar) and its data root is visible at the same path (its engine-id, or a graph driver's
 * `image/`, says it is this engine's); with the containerd image store, the root of the containerd keeping the
 * images too, when that is another filesystem (a host install's system containerd). Else a short-lived container of
 * an image already present, mounting the data root read-only; else says why not and what to do. With `limitBytes`
 * (--limit), the trees holding engine data are counted against the limit instead (only where they are visible here).
 */
export async function measureDataRoot(target: EngineTarget, info: EngineInfo, disk: Disk, remote?: RemoteMeasure, limitBytes?: number): Promise<DiskMeasure> {
  const root = info.dataRoot;
  if (root === '') return { ok: false, reason: 'the engine did not say where its data root is' };
  let reason = `the engine at ${maskUrlSecrets(target.host)} is remote: its data root ${root} is not on this machine`;
  if (isSameMachine(target.host)) {
    // A socket mounted into a container (a DaemonSet) does not bring the data root along: check it is the engine's.
    const [engineId, hasImageDir] = await Promise.all([disk.readText(`${root}/engine-id`), disk.exists(`${root}/image`)]);
    const verdict = dataRootVerdict(root, { engineId, hasImageDir }, info.id);
    if (verdict.mine) return measureLocal(info, disk, limitBytes);
    reason = verdict.reason;
  }
  const todo = `mount the data root read-only at ${root} here`;
  if (limitBytes !== undefined) return { ok: false, reason: `${reason}; --limit counts its bytes where it is visible: ${todo}` };
  if (!remote) return { ok: false, reason: `${reason} (${todo})` };
  const image = pickMeasureImage(await remote.engine.images(), remote.image);
  if (image === undefined) {
    return { ok: false, reason: `${reason}, and no busybox, alpine, debian or ubuntu image is on the engine to measure it in: ${todo}, or pull a small image with \`stat\` and pass --measure-image IMAGE` };
  }
  const measureThere = async (path: string): Promise<DiskMeasure> => {
    const run = await remote.engine.runReadOnly(image, path, MOUNT_POINT, STAT_COMMAND);
    if (!run.ok) return { ok: false, reason: `${reason}; measuring ${path} in a container of ${image} failed: ${run.reason}` };
    const usage = parseStatF(run.stdout, path);
    return usage ? { ok: true, usage } : { ok: false, reason: `${reason}; \`stat -f\` of ${path} in ${image} printed \`${run.stdout.trim()}\`` };
  };
  const data = await measureThere(root);
  const containerdRoot = remoteImageRoot(info.imageStore, info.containerdAddress);
  if (!data.ok || containerdRoot === undefined) return data;
  // A host install's system containerd keeps the images in its own root: measured there too, in the same way.
  const images = await measureThere(containerdRoot);
  if (!images.ok) return { ok: false, reason: `the engine keeps its images in the system containerd's root ${containerdRoot}: ${images.reason}` };
  // One filesystem for both (the same size and inode count, as two `stat -f` moments apart can see it): one figure.
  return data.usage.totalBytes === images.usage.totalBytes && data.usage.inodesTotal === images.usage.inodesTotal
    ? data
    : dataAndImages(data.usage, images.usage);
}

/** Measures a data root visible here, and the containerd root keeping its images where that is elsewhere. */
async function measureLocal(info: EngineInfo, disk: Disk, limitBytes: number | undefined): Promise<DiskMeasure> {
  const root = info.dataRoot;
  const containerd = info.imageStore === 'containerd';
  const [processes, managedRootExists] = containerd ? await Promise.all([disk.containerds(), disk.exists(`${root}/containerd/daemon`)]) : [[], false];
  const images = imageRootOf(info.imageStore, root, info.containerdAddress, processes, managedRootExists);
  if (images.kind === 'unknown') return { ok: false, reason: images.reason };
  const elsewhere = images.kind === 'elsewhere' ? images.root : undefined;
  if (limitBytes !== undefined) {
    const paths = elsewhere === undefined ? [root] : [root, elsewhere];
    const [filesystem, ...trees] = await Promise.all([disk.measure(root), ...paths.map((p) => disk.treeBytes(p))]);
    let bytes = 0;
    for (const [i, tree] of trees.entries()) {
      if (!tree.ok) return { ok: false, reason: `cannot count the bytes of ${paths[i]} for --limit: ${tree.reason}; the count reads every folder under it (run as root)` };
      bytes += tree.bytes;
    }
    return { ok: true, usage: againstLimit(root, bytes, limitBytes, filesystem.ok ? filesystem.usage : undefined) };
  }
  if (elsewhere === undefined || (await disk.sameFilesystem(root, elsewhere))) return disk.measure(root);
  const [data, imageFs] = await Promise.all([disk.measure(root), disk.measure(elsewhere)]);
  if (!data.ok) return data;
  if (!imageFs.ok) return { ok: false, reason: `the engine keeps its images in the containerd root ${elsewhere}, another filesystem: ${imageFs.reason}` };
  return dataAndImages(data.usage, imageFs.usage);
}

/** The data root's filesystem and the containerd root's (another one): the fuller is held against the thresholds. */
function dataAndImages(data: FilesystemUsage, images: FilesystemUsage): DiskMeasure {
  return fullestOf([
    { holds: 'data root', usage: data },
    { holds: 'containerd root', usage: images },
  ]);
}
