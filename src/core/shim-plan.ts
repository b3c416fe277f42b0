// Where the shim goes and the PATH line that puts it first, decided before anything is written.
import { isAbsolute, join, resolve } from 'node:path';
import type { Env } from './engine/target.js';

/** The default directory of the shim, in the user's home: not on PATH until the user adds it, so nothing changes unasked. */
export function defaultShimDir(home: string): string {
  return join(home, '.local', 'share', 'whalekeeper', 'bin');
}

/** The shim's directory: --dir (relative to the working directory) or the default. */
export function shimDir(dir: string | undefined, home: string, cwd: string): string {
  if (dir === undefined || dir === '') return defaultShimDir(home);
  return isAbsolute(dir) ? dir : resolve(cwd, dir);
}

/** The profile line that puts `dir` first on PATH, with `$HOME` written as such when the directory is under it. */
export function pathLine(dir: string, home: string): string {
  const shown = home !== '' && dir.startsWith(`${home}/`) ? `$HOME${dir.slice(home.length)}` : dir;
  // Inside double quotes only these four stay special: escaped, a pasted directory name can run nothing.
  const quoted = dir === shown ? shown.replace(/["$`\\]/g, '\\$&') : `$HOME${shown.slice('$HOME'.length).replace(/["$`\\]/g, '\\$&')}`;
  return `export PATH="${quoted}:$PATH"`;
}

/** True when `dir` is on PATH already. */
export function onPath(dir: string, env: Env): boolean {
  return (env.PATH ?? '').split(':').includes(dir);
}
