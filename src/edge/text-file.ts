// Atomic file writes: node_exporter's textfile collector, or a shell running the shim, never reads a half-written file.
import { chmod, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Writes `text` to a temporary file beside `path`, gives it `mode` (whatever the umask), and renames it into place. */
export async function writeAtomically(path: string, text: string, mode = 0o644): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  await writeFile(temporary, text, { mode });
  await chmod(temporary, mode);
  await rename(temporary, path);
}
