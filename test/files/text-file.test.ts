// Files whalekeeper writes: atomic replace of a regular file or a new path only, a symbolic link written through,
// anything else refused (exit 2), every I/O failure one line with exit 74 and no temporary file left behind.
import { execa } from 'execa';
import { chmod, chown, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FileWriteError, NotAFileError } from '../../src/core/errors.js';
import { writeTextFile } from '../../src/edge/text-file.js';
import { BIN, cleanEnv, whalekeeper } from '../helpers/cli.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(`${tmpdir()}/wk-text-file-`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Temporary files writeTextFile may have left in `folder`. */
async function leftovers(folder: string): Promise<string[]> {
  return (await readdir(folder)).filter((name) => name.endsWith('.tmp'));
}

/** What writeTextFile threw, or undefined when it did not. */
async function failure(path: string): Promise<unknown> {
  return writeTextFile(path, 'metric 1\n').then(() => undefined, (error: unknown) => error);
}

describe('writeTextFile writes', () => {
  it('a new file, with the mode asked for whatever the umask', async () => {
    await writeTextFile(`${dir}/new.prom`, 'a 1\n', 0o755);
    expect(await readFile(`${dir}/new.prom`, 'utf8')).toBe('a 1\n');
    expect((await stat(`${dir}/new.prom`)).mode & 0o777).toBe(0o755);
    expect(await leftovers(dir)).toEqual([]);
  });

  it('over a regular file by renaming a new one into place (a reader never sees half a file)', async () => {
    await writeFile(`${dir}/old.prom`, 'old\n');
    const before = (await stat(`${dir}/old.prom`)).ino;
    await writeTextFile(`${dir}/old.prom`, 'new\n');
    expect(await readFile(`${dir}/old.prom`, 'utf8')).toBe('new\n');
    expect((await stat(`${dir}/old.prom`)).ino).not.toBe(before);
  });

  it('bytes as they are, keeping the permission bits of the file it replaces (never a set-user-ID bit)', async () => {
    await writeFile(`${dir}/kept.sh`, 'old\n');
    await chmod(`${dir}/kept.sh`, 0o4750);
    const bytes = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]);
    await writeTextFile(`${dir}/kept.sh`, bytes);
    expect(await readFile(`${dir}/kept.sh`)).toEqual(bytes);
    expect((await stat(`${dir}/kept.sh`)).mode & 0o7777).toBe(0o750);
  });

  it("'as-before' (audit --fix of the user's own file): the whole mode, set-user-ID included, and as root the owner", async () => {
    await writeFile(`${dir}/own.sh`, 'old\n');
    const asRoot = process.getuid?.() === 0;
    if (asRoot) await chown(`${dir}/own.sh`, 65534, 65534);
    await chmod(`${dir}/own.sh`, 0o4750);
    await writeTextFile(`${dir}/own.sh`, 'new\n', 'as-before');
    const after = await stat(`${dir}/own.sh`);
    expect(await readFile(`${dir}/own.sh`, 'utf8')).toBe('new\n');
    expect(after.mode & 0o7777).toBe(0o4750);
    if (asRoot) expect([after.uid, after.gid]).toEqual([65534, 65534]);
    expect(await leftovers(dir)).toEqual([]);
  });

  it('through a symbolic link: the target is replaced, the link stays a link', async () => {
    await mkdir(`${dir}/real`);
    await writeFile(`${dir}/real/target.prom`, 'old\n');
    await symlink('real/target.prom', `${dir}/link.prom`);
    await writeTextFile(`${dir}/link.prom`, 'through\n');
    expect((await lstat(`${dir}/link.prom`)).isSymbolicLink()).toBe(true);
    expect(await readlink(`${dir}/link.prom`)).toBe('real/target.prom');
    expect(await readFile(`${dir}/real/target.prom`, 'utf8')).toBe('through\n');
    expect(await leftovers(`${dir}/real`)).toEqual([]);
    expect(await leftovers(dir)).toEqual([]);
  });

  it('through a dangling symbolic link: its target is created, as open(2) would', async () => {
    await symlink('real/created.prom', `${dir}/dangling.prom`);
    await writeTextFile(`${dir}/dangling.prom`, 'created\n');
    expect((await lstat(`${dir}/dangling.prom`)).isSymbolicLink()).toBe(true);
    expect(await readFile(`${dir}/real/created.prom`, 'utf8')).toBe('created\n');
  });
});

describe('writeTextFile refuses, with exit 2, what it must not replace', () => {
  it('a directory', async () => {
    await mkdir(`${dir}/a-dir`);
    const error = await failure(`${dir}/a-dir`);
    expect(error).toBeInstanceOf(NotAFileError);
    expect((error as NotAFileError).exitCode).toBe(2);
    expect((error as Error).message).toContain('is a directory');
    expect((await stat(`${dir}/a-dir`)).isDirectory()).toBe(true);
  });

  it('a FIFO (without waiting for a reader)', async () => {
    await execa('mkfifo', [`${dir}/fifo`]);
    const error = await failure(`${dir}/fifo`);
    expect((error as NotAFileError).exitCode).toBe(2);
    expect((error as Error).message).toContain('FIFO');
    expect((await lstat(`${dir}/fifo`)).isFIFO()).toBe(true);
  });

  it('a device node (made here with mknod, the /dev/full of the report: character device 1,7)', async () => {
    const made = await execa('mknod', [`${dir}/full`, 'c', '1', '7'], { reject: false });
    // mknod needs CAP_MKNOD; without it the device case cannot be made here, and that is a failure, not a skip.
    expect(made.exitCode, `mknod: ${made.stderr}`).toBe(0);
    const error = await failure(`${dir}/full`);
    expect((error as NotAFileError).exitCode).toBe(2);
    expect((error as Error).message).toContain('a device');
    expect((await lstat(`${dir}/full`)).isCharacterDevice()).toBe(true);
    expect(await leftovers(dir)).toEqual([]);
  });

  it('a symbolic link to a device or directory, naming both', async () => {
    await symlink('full', `${dir}/to-device`);
    const error = await failure(`${dir}/to-device`);
    expect((error as NotAFileError).exitCode).toBe(2);
    expect((error as Error).message).toBe(
      `\`${dir}/to-device\` is a symbolic link to a device (\`${dir}/full\`); whalekeeper writes only regular files (or a new path)`,
    );
    expect((await lstat(`${dir}/full`)).isCharacterDevice()).toBe(true);
  });
});

describe('writeTextFile reports an I/O failure in one line, exit 74, and leaves no temporary file', () => {
  it('a missing directory', async () => {
    const error = await failure(`${dir}/missing/m.prom`);
    expect(error).toBeInstanceOf(FileWriteError);
    expect((error as FileWriteError).exitCode).toBe(74);
    expect((error as Error).message).toBe(`cannot write \`${dir}/missing/m.prom\`: the directory \`${dir}/missing\` does not exist`);
  });

  it('an empty path', async () => {
    const error = await failure('');
    expect((error as FileWriteError).exitCode).toBe(74);
    expect((error as Error).message).toBe('cannot write ``: the path is empty');
    expect(await leftovers(process.cwd())).toEqual([]);
  });

  it('a path under a regular file', async () => {
    await writeFile(`${dir}/plain`, '');
    const error = await failure(`${dir}/plain/m.prom`);
    expect((error as FileWriteError).exitCode).toBe(74);
    expect((error as Error).message).not.toContain('\n');
  });

  it('a full disk midway (a 64 KiB tmpfs): the partial temporary file is removed', async () => {
    const small = `${dir}/small`;
    await mkdir(small);
    await execa('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', small]);
    try {
      await writeFile(`${small}/w.prom`, 'old\n');
      const error = await writeTextFile(`${small}/w.prom`, 'x'.repeat(256 * 1024)).then(() => undefined, (e: unknown) => e);
      expect((error as FileWriteError).exitCode).toBe(74);
      expect((error as Error).message).toBe(`cannot write \`${small}/w.prom\`: no space left on the device (ENOSPC)`);
      expect(await readdir(small)).toEqual(['w.prom']);
      expect(await readFile(`${small}/w.prom`, 'utf8')).toBe('old\n');
    } finally {
      await execa('umount', [small]);
    }
  });

  it('a loop of symbolic links', async () => {
    await symlink('loop-b', `${dir}/loop-a`);
    await symlink('loop-a', `${dir}/loop-b`);
    const error = await failure(`${dir}/loop-a`);
    expect((error as FileWriteError).exitCode).toBe(74);
    expect((error as Error).message).toContain('ELOOP');
  });
});

describe('the commands that write files (one engine: what is tested is the file written, the same for any engine)', () => {
  const host = inject('dockerHost');

  it('disk --prometheus into a directory: exit 2; into a missing directory: exit 74; one line each, no stack, no temp file', async () => {
    await mkdir(`${dir}/textfile`);
    const env = cleanEnv(host);
    const intoDir = await whalekeeper(['disk', '--prometheus', `${dir}/textfile`], env, { cwd: dir });
    expect(intoDir.exitCode).toBe(2);
    expect(intoDir.stderr).toContain(`\`${dir}/textfile\` is a directory`);
    const missing = await whalekeeper(['disk', '--prometheus', `${dir}/nowhere/w.prom`], env, { cwd: dir });
    expect(missing.exitCode).toBe(74);
    expect(missing.stderr).toContain(`cannot write \`${dir}/nowhere/w.prom\`: the directory \`${dir}/nowhere\` does not exist`);
    expect(missing.stderr).not.toMatch(/internal error|\n\s+at /);
    const empty = await whalekeeper(['disk', '--prometheus', ''], env, { cwd: dir });
    expect(empty.exitCode).toBe(74);
    expect(await leftovers(dir)).toEqual([]);
    expect(await leftovers(`${dir}/textfile`)).toEqual([]);
  });

  it('shim install into a directory it may not write: exit 74, no temp file', async () => {
    // As root, permissions do not stop a write: the CLI runs as nobody (65534) in a directory only root may write.
    const locked = `${dir}/locked`;
    await mkdir(locked);
    await chmod(dir, 0o755);
    await chmod(locked, 0o755);
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    if (!('uid' in asNobody)) await chmod(locked, 0o555);
    const result = await execa('node', [BIN, 'shim', 'install', '--dir', locked], {
      env: cleanEnv(host, { HOME: dir }), extendEnv: false, reject: false, stdin: 'ignore', ...asNobody,
    });
    expect(result.exitCode, result.stderr).toBe(74);
    expect(result.stderr).toContain(`cannot write \`${locked}/docker\`: permission denied (EACCES)`);
    expect(await readdir(locked)).toEqual([]);
  });
});
