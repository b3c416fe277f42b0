// Disk: statfs of the filesystem that holds the engine's data root, when that path is visible from here.
import { statfs } from 'node:fs/promises';
import { usedPercentOf, type DiskMeasure } from '../core/inventory.js';

/** Measures the filesystem holding a path. */
export interface Disk {
  measure(path: string): Promise<DiskMeasure>;
}

/** The real Disk: one statfs call (df's arithmetic: used = blocks - free; available excludes root's reserve). */
export function createDisk(): Disk {
  return {
    measure: async (path) => {
      try {
        const s = await statfs(path);
        const used = (s.blocks - s.bfree) * s.bsize;
        const available = s.bavail * s.bsize;
        return {
          ok: true,
          usage: {
            path,
            totalBytes: s.blocks * s.bsize,
            usedBytes: used,
            availableBytes: available,
            usedPercent: usedPercentOf(used, available),
            inodesTotal: s.files,
            inodesUsed: s.files - s.ffree,
            method: 'statfs',
          },
        };
      } catch (error) {
        return { ok: false, reason: `cannot read ${path} here (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
      }
    },
  };
}
