// Reading an engine for ls, clean and disk: the inventory (one request per kind, concurrently) and the data root's filesystem.
import type { EngineTarget } from '../core/engine-target.js';
import { maskUrlSecrets } from '../core/mask.js';
import type { DiskMeasure, Inventory } from '../core/inventory.js';
import type { Disk } from '../edge/disk.js';
import type { Engine, EngineDf, EngineInfo } from '../edge/engine.js';
import { MOUNT_POINT, STAT_COMMAND, parseStatF, pickMeasureImage } from '../core/statfs-text.js';

/** What to read beyond the lists. */
export interface SnapshotOptions {
  /** Container sizes (the engine walks every writable layer). */
  readonly sizes: boolean;
  /** `system df`: shared image sizes, volume sizes, build cache. */
  readonly df: boolean;
  /** Tag times of images no container uses, for "last used". */
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
  const used = new Set(containers.map((c) => c.imageId));
  const tagTimes = options.tagTimes ? await engine.tagTimes(images.filter((i) => i.tags.length > 0 && !used.has(i.id)).map((i) => i.id)) : new Map<string, number>();
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
 * Measures the data root's filesystem: statfs when the engine is local and its data root visible here; else a
 * short-lived container of an image already present, mounting the data root read-only; else says why not.
 */
export async function measureDataRoot(target: EngineTarget, info: EngineInfo, disk: Disk, remote?: RemoteMeasure): Promise<DiskMeasure> {
  if (info.dataRoot === '') return { ok: false, reason: 'the engine did not say where its data root is' };
  const local = target.host.startsWith('unix://') || target.host.startsWith('/');
  let reason = `the engine at ${maskUrlSecrets(target.host)} is remote: its data root ${info.dataRoot} is not on this machine`;
  if (local) {
    // A socket mounted into a container (a DaemonSet) does not bring the data root along: check it is the engine's.
    const marker = await disk.measure(`${info.dataRoot}/image`);
    if (marker.ok) return disk.measure(info.dataRoot);
    reason = `the data root ${info.dataRoot} is not visible here (mount it read-only at the same path)`;
  }
  if (!remote) return { ok: false, reason };
  const image = pickMeasureImage(await remote.engine.images(), remote.image);
  if (image === undefined) return { ok: false, reason: `${reason}, and no busybox, alpine, debian or ubuntu image is on the engine to measure it with (--measure-image)` };
  const run = await remote.engine.runReadOnly(image, info.dataRoot, MOUNT_POINT, STAT_COMMAND);
  if (!run.ok) return { ok: false, reason: `${reason}; measuring it in a container failed: ${run.reason}` };
  const usage = parseStatF(run.stdout, info.dataRoot);
  return usage ? { ok: true, usage } : { ok: false, reason: `${reason}; \`stat -f\` in ${image} printed \`${run.stdout.trim()}\`` };
}
