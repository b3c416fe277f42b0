// The files `audit` reads: the paths given, directories walked for pipeline files; read and (with --fix) rewritten.
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { sourceKind, type SourceKind } from '../core/audit/sources.js';
import { UsageError } from '../core/errors.js';

/** A file to audit: how to show it, where it is, and how to read it. */
export interface AuditFile {
  readonly display: string;
  readonly path: string;
  readonly kind: SourceKind;
}

/** The file system, narrowed to what `audit` does with it. */
export interface AuditFiles {
  list(paths: readonly string[]): Promise<AuditFile[]>;
  read(path: string): Promise<string>;
  write(path: string, text: string): Promise<void>;
}

/** Directories never walked: version control and dependencies. */
const SKIPPED = new Set(['.git', '.hg', '.svn', 'node_modules']);

/** The real file system, with relative paths shown from `cwd`. */
export function createAuditFiles(cwd: string): AuditFiles {
  const walk = async (dir: string, out: AuditFile[]): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      // Symbolic links are not followed: a link to `/` or a loop must not send the walk everywhere.
      if (entry.isDirectory() && !SKIPPED.has(entry.name)) await walk(path, out);
      else if (entry.isFile()) {
        const kind = sourceKind(entry.name);
        if (kind) out.push({ display: relative(cwd, path) || path, path, kind });
      }
    }
  };
  return {
    list: async (paths) => {
      const out: AuditFile[] = [];
      for (const given of paths) {
        const path = resolve(cwd, given);
        const info = await stat(path).catch(() => undefined);
        if (info === undefined) throw new UsageError(`audit: \`${given}\` does not exist`);
        // A file named on the command line is read whatever its name: as shell unless its name says otherwise.
        if (info.isFile()) out.push({ display: given, path, kind: sourceKind(path) ?? 'shell' });
        else await walk(path, out);
      }
      return out;
    },
    read: (path) => readFile(path, 'utf8'),
    write: (path, text) => writeFile(path, text),
  };
}
