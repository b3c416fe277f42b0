// Installs and removes the `docker` shim file; refuses to overwrite or remove a `docker` that is not a shim.
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SHIM_MARKER, SHIM_SIGNATURE } from '../core/shim-script.js';
import { FileWriteError, UsageError } from '../core/errors.js';
import { writeTextFile } from './text-file.js';

/** The file system, narrowed to the shim's two files. */
export interface ShimFiles {
  /** Writes DIR/docker (mode 755) and the marker; resolves with the shim's path. */
  install(dir: string, script: string): Promise<string>;
  /** Removes DIR/docker and the marker; resolves false when there was no shim. */
  uninstall(dir: string): Promise<boolean>;
}

/** What is at DIR/docker now: nothing, a shim, or something else (a real client, which is never touched). */
async function existing(path: string): Promise<'none' | 'shim' | 'other'> {
  let text: string;
  try {
    // Only a regular file is read: reading a FIFO would wait for a writer forever.
    if (!(await stat(path)).isFile()) return 'other';
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
    throw new FileWriteError(path, `cannot read what is there (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
  return text.split('\n', 2)[1] === SHIM_SIGNATURE ? 'shim' : 'other';
}

/** The real file system. */
export function createShimFiles(): ShimFiles {
  return {
    install: async (dir, script) => {
      const path = join(dir, 'docker');
      if ((await existing(path)) === 'other') {
        throw new UsageError(`shim: \`${path}\` exists and is not a whalekeeper shim; not overwriting it`, {
          hint: 'choose another directory with --dir',
        });
      }
      try {
        await mkdir(dir, { recursive: true });
      } catch (error) {
        throw new FileWriteError(dir, `cannot create the directory (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
      }
      await writeTextFile(path, script, 0o755);
      await writeTextFile(join(dir, SHIM_MARKER), 'The `docker` in this directory is a whalekeeper shim.\n');
      return path;
    },
    uninstall: async (dir) => {
      const path = join(dir, 'docker');
      const found = await existing(path);
      if (found === 'other') throw new UsageError(`shim: \`${path}\` is not a whalekeeper shim; not removing it`);
      await rm(join(dir, SHIM_MARKER), { force: true });
      if (found === 'none') return false;
      await rm(path);
      return true;
    },
  };
}
