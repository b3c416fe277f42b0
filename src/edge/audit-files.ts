// The files `audit` reads: the paths given, directories walked for pipeline files; read and (with --fix) rewritten.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { FileFailure } from '../core/audit/events.js';
import { sourceKind, type SourceKind } from '../core/audit/sources.js';
import { FileWriteError, UsageError } from '../core/errors.js';
import { writeTextFile } from './text-file.js';

/** A file to audit: how to show it, where it is, and how to read it. */
export interface AuditFile {
  readonly display: string;
  readonly path: string;
  readonly kind: SourceKind;
}

/** The file system, narrowed to what `audit` does with it. */
export interface AuditFiles {
  /** The files to read under the paths, and the directories that could not be read (the walk goes on). */
  list(paths: readonly string[]): Promise<{ files: AuditFile[]; failures: FileFailure[] }>;
  /** The file's bytes; rejects with a one-line reason (`EACCES: permission denied`) when it cannot be read. */
  read(path: string): Promise<Uint8Array>;
  /** Replaces the file's bytes atomically (its mode and owner kept); rejects with a one-line reason. */
  write(path: string, bytes: Uint8Array): Promise<void>;
}

/** Directories never walked: version control and dependencies. */
const SKIPPED = new Set(['.git', '.hg', '.svn', 'node_modules']);

/** The real file system, with relative paths shown from `cwd`. */
export function createAuditFiles(cwd: string): AuditFiles {
  const walk = async (dir: string, out: AuditFile[], failures: FileFailure[]): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
      failures.push({ file: relative(cwd, dir) || dir, action: 'read', reason: ioFailure(error).message });
      return [];
    });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      // Symbolic links are not followed: a link to `/` or a loop must not send the walk everywhere.
      if (entry.isDirectory() && !SKIPPED.has(entry.name)) await walk(path, out, failures);
      else if (entry.isFile()) {
        const kind = sourceKind(entry.name);
        if (kind) out.push({ display: relative(cwd, path) || path, path, kind });
      }
    }
  };
  return {
    list: async (paths) => {
      const files: AuditFile[] = [];
      const failures: FileFailure[] = [];
      for (const given of paths) {
        const path = resolve(cwd, given);
        const info = await stat(path).catch(() => undefined);
        if (info === undefined) throw new UsageError(`audit: \`${given}\` does not exist`);
        // A file named on the command line is read whatever its name: as shell unless its name says otherwise.
        if (info.isFile()) files.push({ display: given, path, kind: sourceKind(path) ?? 'shell' });
        else if (info.isDirectory()) await walk(path, files, failures);
        else throw new UsageError(`audit: \`${given}\` is not a file or a directory (a device, a FIFO or a socket is not read)`);
      }
      return { files, failures };
    },
    read: (path) => readFile(path).catch((error: unknown) => Promise.reject(ioFailure(error))),
    // The user's own file, edited in place: its whole mode and owner kept (text-file.ts: 'as-before').
    write: (path, bytes) => writeTextFile(path, bytes, 'as-before').catch((error: unknown) => Promise.reject(ioFailure(error instanceof FileWriteError ? (error.cause ?? error) : error))),
  };
}

/** A file system error as one line without the path (the report names the file): `EACCES: permission denied`. */
function ioFailure(error: unknown): Error {
  const e = error as NodeJS.ErrnoException;
  const reason = e.code !== undefined ? e.message.replace(/^([A-Z]+: [^,]*).*$/s, '$1') : String(e.message ?? error);
  return new Error(reason, { cause: error });
}
