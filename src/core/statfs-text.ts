// Measuring a remote engine's data root from inside a short-lived container: the command it runs and the parsing
// of its output. `stat -f -c FORMAT` is in busybox, alpine and coreutils alike.
import { usedPercentOf, type FilesystemUsage, type ImageInfo } from './inventory.js';

/** Where the data root is mounted (read-only) inside the helper container. */
export const MOUNT_POINT = '/whalekeeper-data-root';

/** The helper container's command: block size, blocks, free, available, inodes, free inodes. */
export const STAT_COMMAND = ['stat', '-f', '-c', '%S %b %f %a %c %d', MOUNT_POINT];

/** Parses the command's output; undefined when it is not six numbers. */
export function parseStatF(text: string, path: string): FilesystemUsage | undefined {
  const numbers = text.trim().split(/\s+/).map(Number);
  if (numbers.length !== 6 || numbers.some((n) => !Number.isFinite(n))) return undefined;
  const [bsize, blocks, bfree, bavail, files, ffree] = numbers as [number, number, number, number, number, number];
  const used = (blocks - bfree) * bsize;
  const available = bavail * bsize;
  return { path, totalBytes: blocks * bsize, usedBytes: used, availableBytes: available, usedPercent: usedPercentOf(used, available), inodesTotal: files, inodesUsed: files - ffree, method: 'container' };
}

/** An image already on the engine that has `stat`: the one asked for, else a busybox, alpine, debian or ubuntu. */
export function pickMeasureImage(images: readonly ImageInfo[], asked: string | undefined): string | undefined {
  if (asked !== undefined) return asked;
  const tags = images.flatMap((i) => i.tags);
  return tags.find((t) => /(^|\/)(busybox|alpine|debian|ubuntu)(:|$)/.test(t));
}
