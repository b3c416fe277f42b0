// Files whalekeeper writes (the Prometheus textfile, the shim, verify's reports): replaced atomically, so
// node_exporter's textfile collector or a shell running the shim never reads a half-written file, and only where
// replacing is safe.
import type { Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { FileWriteError, NotAFileError } from '../core/errors.js';

/**
 * node:fs/promises on first use: loading it loads readline with it (seven modules), a cost every command would pay at
 * start-up for a file most runs never write.
 */
const fs = (): typeof import('node:fs/promises') => process.getBuiltinModule('node:fs/promises');

/** Symbolic links followed before giving up (Linux's own limit, ELOOP, is 40). */
const MAX_LINKS = 40;

/** Why an I/O call failed, as one phrase (errno code kept for the unusual ones). */
function reasonOf(error: unknown, path: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return `the directory \`${dirname(path)}\` does not exist`;
    case 'ENOTDIR':
      return `a part of \`${dirname(path)}\` is not a directory`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code})`;
    case 'EROFS':
      return 'read-only file system (EROFS)';
    case 'ENOSPC':
      return 'no space left on the device (ENOSPC)';
    case 'EDQUOT':
      return 'disk quota exceeded (EDQUOT)';
    case 'ELOOP':
      return 'too many levels of symbolic links (ELOOP)';
    case 'ENAMETOOLONG':
      return 'file name too long (ENAMETOOLONG)';
    default:
      return code ?? (error instanceof Error ? error.message : String(error));
  }
}

/** What is at `path` without following a link; undefined when nothing is. */
async function lstatOrNone(path: string): Promise<Stats | undefined> {
  try {
    return await fs().lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new FileWriteError(path, reasonOf(error, path), { cause: error });
  }
}

/** A file type whalekeeper refuses to replace, as words for the message; undefined for a regular file. */
function refusedKind(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * The path the text lands in: `path` itself, or, through symbolic links (followed as open(2) would, a dangling one
 * included), their final target. Refuses a directory, device, FIFO or socket.
 */
async function destinationOf(path: string): Promise<{ path: string; stats: Stats | undefined }> {
  let current = path;
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    const stats = await lstatOrNone(current);
    if (stats === undefined) return { path: current, stats };
    if (!stats.isSymbolicLink()) {
      const kind = refusedKind(stats);
      if (kind !== undefined) throw new NotAFileError(path, kind, current === path ? undefined : current);
      return { path: current, stats };
    }
    let target: string;
    try {
      target = await fs().readlink(current);
    } catch (error) {
      throw new FileWriteError(path, reasonOf(error, current), { cause: error });
    }
    current = resolve(dirname(current), target);
  }
  throw new FileWriteError(path, 'too many levels of symbolic links (ELOOP)');
}

/**
 * The mode of what is written: a number, or `'as-before'` for an in-place edit of the user's own file (`audit --fix`):
 * the replaced file's whole mode, set-user-ID bits included, and, when whalekeeper runs as root, its owner.
 */
export type WriteMode = number | 'as-before';

/**
 * Writes `content` (text, or bytes as they are) to `path` with `mode` (whatever the umask; by default the permission
 * bits of the file replaced, 644 for a new one): into a new temporary file beside its destination (created
 * exclusively, so a planted file or link is never followed), then renamed over it. A symbolic link is written
 * through: its target is replaced and the link stays. A directory, device, FIFO or socket is refused (exit 2); every
 * I/O failure is a FileWriteError (exit 74, its cause the system's error) and leaves no temporary file behind.
 */
export async function writeTextFile(path: string, content: string | Uint8Array, mode?: WriteMode): Promise<void> {
  if (path === '') throw new FileWriteError(path, 'the path is empty');
  const { path: destination, stats } = await destinationOf(path);
  const asBefore = mode === 'as-before' && stats !== undefined;
  // By default permission bits only: a set-user-ID bit is never carried over to what whalekeeper wrote.
  const fileMode = typeof mode === 'number' ? mode : stats === undefined ? 0o644 : stats.mode & (asBefore ? 0o7777 : 0o777);
  const random = Math.random().toString(36).slice(2, 10);
  const temporary = join(dirname(destination), `.${basename(destination)}.${process.pid}.${random}.tmp`);
  try {
    await fs().writeFile(temporary, content, { mode: fileMode, flag: 'wx' });
  } catch (error) {
    // EEXIST (pid and randomness make it all but impossible) means the file is not ours: leave it. Any other
    // failure may have left a partial temporary file (ENOSPC midway).
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') await fs().rm(temporary, { force: true }).catch(() => undefined);
    throw new FileWriteError(path, reasonOf(error, destination), { cause: error });
  }
  try {
    // The owner first: chown clears the set-user-ID and set-group-ID bits, chmod then sets them.
    if (asBefore && process.getuid?.() === 0 && (stats.uid !== 0 || stats.gid !== 0)) await fs().chown(temporary, stats.uid, stats.gid);
    await fs().chmod(temporary, fileMode);
    await fs().rename(temporary, destination);
  } catch (error) {
    await fs().rm(temporary, { force: true }).catch(() => undefined);
    throw new FileWriteError(path, reasonOf(error, destination), { cause: error });
  }
}
