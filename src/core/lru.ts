// "Last used" for images, and the least-recently-used order `clean --target` evicts in.
// Docker records no last use (moby #4237), so it is inferred from the evidence there is:
//   1. the later of: the newest container still on the engine that was created from the image (any state), and the
//      time the image was last tagged (a build, `docker tag`, a pull that tags it), when the engine reports it. A
//      rebuild that yields the same image re-tags it: that is a use, even with an older container from it about;
//   2. else the image's creation time, only as a last resort (it is build time, year 1 for reproducible builds).
import type { ContainerInfo, ImageInfo } from './inventory.js';

/** Where an image's last-used time came from. */
export type LastUsedSource = 'container' | 'tagged' | 'created';

/** An image's inferred last use. */
export interface LastUsed {
  readonly ms: number;
  readonly source: LastUsedSource;
}

/** The newest container creation time per image id. */
export function newestContainerByImage(containers: readonly ContainerInfo[]): Map<string, number> {
  const newest = new Map<string, number>();
  for (const c of containers) {
    const seen = newest.get(c.imageId);
    if (seen === undefined || c.createdMs > seen) newest.set(c.imageId, c.createdMs);
  }
  return newest;
}

/** An image's last use, by the rules above. */
export function lastUsedOf(image: ImageInfo, newestContainer: ReadonlyMap<string, number>): LastUsed {
  const container = newestContainer.get(image.id);
  const tagged = image.lastTagMs !== null && image.lastTagMs > 0 ? image.lastTagMs : undefined;
  if (tagged !== undefined && (container === undefined || tagged > container)) return { ms: tagged, source: 'tagged' };
  if (container !== undefined) return { ms: container, source: 'container' };
  return { ms: image.createdMs, source: 'created' };
}

/** An eviction candidate: what the LRU order needs to know. */
export interface LruEntry {
  readonly id: string;
  readonly lastUsedMs: number;
  /** Depth in the parent chain among the candidates (0 = no candidate parent); children go before parents. */
  readonly depth: number;
  readonly bytes: number;
}

/** Least recently used first; on a tie the deeper (child) first, then the bigger, then by id for a stable order. */
export function compareLru(a: LruEntry, b: LruEntry): number {
  return a.lastUsedMs - b.lastUsedMs || b.depth - a.depth || b.bytes - a.bytes || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
