// Reads the Dockerfile a build uses, for the BUILD_NUMBER check. Never fails a build: unreadable means "not checked".
import { readFile } from 'node:fs/promises';

/** Reads a Dockerfile's text; undefined when it cannot be read (docker then reports the problem itself). */
export type ReadDockerfile = (path: string) => Promise<string | undefined>;

/** The real file system reader. */
export const readDockerfile: ReadDockerfile = async (path) => {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
};
