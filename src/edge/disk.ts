// Disk: statfs of the filesystem that holds the engine's data root, and the bytes of the data root's tree, when that
// path is visible from here; the files that say whose data root it is, and the containerd processes visible here.
import { lstatSync, readdirSync } from 'node:fs';
import { readFile as readFileCallback, stat as statCallback, statfs as statfsCallback } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { CONTAINERD_DEFAULTS, containerdFlags, type ContainerdProcess } from '../core/engine/storage.js';
import { usedPercentOf, type DiskMeasure } from '../core/inventory.js';

/** statfs through node:fs (loaded at start-up) rather than node:fs/promises (which loads readline with it). */
const statfs = promisify(statfsCallback);
const readFile = promisify(readFileCallback);
const stat = promisify(statCallback);

/** The bytes a directory tree occupies, or why they could not be counted. */
export type TreeMeasure = { readonly ok: true; readonly bytes: number; readonly files: number } | { readonly ok: false; readonly reason: string };

/** Measures the filesystem holding a path, and the tree under a path. */
export interface Disk {
  measure(path: string): Promise<DiskMeasure>;
  /** Allocated bytes of every file under `path` (hard links once), as `du` and the kubelet count an emptyDir. */
  treeBytes(path: string): Promise<TreeMeasure>;
  /** The text of a small file; undefined when it is absent or unreadable. */
  readText(path: string): Promise<string | undefined>;
  /** True when something is at `path`. */
  exists(path: string): Promise<boolean>;
  /** True when both paths are on one filesystem (same device); false when either cannot be read. */
  sameFilesystem(a: string, b: string): Promise<boolean>;
  /** The containerd daemons visible here (this machine's /proc, as far as this process's PID namespace shows it). */
  containerds(): Promise<ContainerdProcess[]>;
}

function vanished(error: unknown): undefined {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  throw error;
}

/**
 * Walks `root`: the sum of st_blocks * 512 over distinct inodes, on root's filesystem. Synchronous calls on
 * purpose: one lstat costs microseconds, a promise and a thread-pool hop per file cost ten times that (measured on
 * 50,000 files), and nothing else waits on this process meanwhile.
 */
async function walk(root: string): Promise<TreeMeasure> {
  const top = lstatSync(root, { bigint: true });
  const seen = new Set<bigint>();
  let bytes = Number(top.blocks) * 512;
  let files = 1;
  const pending = [root];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    // The engine keeps writing while we walk: what vanished meanwhile (ENOENT) is simply not counted.
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch (error) {
      entries = vanished(error) ?? [];
    }
    for (const name of entries) {
      const path = join(dir, name);
      const s = lstatSync(path, { bigint: true, throwIfNoEntry: false });
      // Another filesystem mounted under the data root (an overlay's `merged`, seen from a mount namespace that has it) is not its bytes.
      if (s === undefined || s.dev !== top.dev) continue;
      if (s.nlink > 1n && !s.isDirectory()) {
        if (seen.has(s.ino)) continue;
        seen.add(s.ino);
      }
      bytes += Number(s.blocks) * 512;
      files += 1;
      if (s.isDirectory()) pending.push(path);
    }
  }
  return { ok: true, bytes, files };
}

async function textOf(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Every containerd daemon in /proc: its argv (NUL-separated `cmdline`), and its config file's text read through the
 * process's own root (`/proc/PID/root`: a containerd in another mount namespace names paths in its own), else at
 * the same path here.
 */
async function containerdProcesses(): Promise<ContainerdProcess[]> {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^[0-9]+$/.test(name));
  } catch {
    return [];
  }
  const found: ContainerdProcess[] = [];
  await Promise.all(
    pids.map(async (pid) => {
      const cmdline = await textOf(`/proc/${pid}/cmdline`);
      if (cmdline === undefined || cmdline === '') return;
      const flags = containerdFlags(cmdline.replace(/\0$/, '').split('\0'));
      if (flags === undefined) return;
      const config = flags.config ?? CONTAINERD_DEFAULTS.config;
      const configText = (await textOf(`/proc/${pid}/root${config}`)) ?? (await textOf(config));
      found.push({ flags, configText });
    }),
  );
  return found;
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
    treeBytes: async (path) => {
      try {
        return await walk(path);
      } catch (error) {
        const e = error as NodeJS.ErrnoException;
        return { ok: false, reason: `cannot read ${e.path ?? path} here (${e.code ?? String(error)})` };
      }
    },
    readText: textOf,
    exists: async (path) => (await stat(path).catch(() => undefined)) !== undefined,
    sameFilesystem: async (a, b) => {
      const [sa, sb] = await Promise.all([stat(a).catch(() => undefined), stat(b).catch(() => undefined)]);
      return sa !== undefined && sb !== undefined && sa.dev === sb.dev;
    },
    containerds: containerdProcesses,
  };
}
