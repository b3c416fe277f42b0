// Atomic file writes: node_exporter's textfile collector must never read a half-written file.
import { rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Writes `text` to a temporary file beside `path` and renames it into place. */
export async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  await writeFile(temporary, text, { mode: 0o644 });
  await rename(temporary, path);
}
