// Reading an engine for ls, clean and disk: the inventory (one request per kind, concurrently) and the data root's filesystem.
import type { EngineTarget } from '../core/engine-target.js';
import type { DiskMeasure, Inventory } from '../core/inventory.js';
import type { Disk } from '../edge/disk.js';
import type { Engine, EngineDf, EngineInfo } from '../edge/engine.js';

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
}

/** Reads the inventory. */
export async function readInventory(engine: Engine, options: SnapshotOptions, now: () => number): Promise<{ inventory: Inventory; df: EngineDf | undefined }> {
  const [containers, images, volumes, networks, df] = await Promise.all([
    engine.containers({ sizes: options.sizes }),
    engine.images(),
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

/** Measures the data root's filesystem: statfs when the engine is local and its data root visible here; else says why not. */
export async function measureDataRoot(target: EngineTarget, info: EngineInfo, disk: Disk): Promise<DiskMeasure> {
  if (!(target.host.startsWith('unix://') || target.host.startsWith('/'))) {
    return { ok: false, reason: `the engine at ${target.host} is remote: its data root ${info.dataRoot} is not on this machine` };
  }
  if (info.dataRoot === '') return { ok: false, reason: 'the engine did not say where its data root is' };
  // A socket mounted into a container (a DaemonSet) does not bring the data root along: check it is the engine's.
  const marker = await disk.measure(`${info.dataRoot}/image`);
  if (!marker.ok) return { ok: false, reason: `the data root ${info.dataRoot} is not visible here (mount it read-only at the same path)` };
  return disk.measure(info.dataRoot);
}
