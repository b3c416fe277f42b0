// The library's install script (resources/io/whalekeeper/install.sh): once per agent, safe under concurrent builds,
// and a message that says what to do when node or npm is missing. npm is a stand-in here (no registry).
import { execa } from 'execa';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';

const installer = fileURLToPath(new URL('../../resources/io/whalekeeper/install.sh', import.meta.url));
const node = process.execPath;

/** A stand-in npm that "installs" a whalekeeper printing `fake VERSION`, slowly, and logs each call. */
const FAKE_NPM = `#!/bin/sh
prefix=; pkg=
while [ $# -gt 0 ]; do
  case $1 in --prefix) prefix=$2; shift ;; whalekeeper@*) pkg=$1 ;; esac
  shift
done
echo "$prefix $pkg" >> "$FAKE_NPM_LOG"
sleep 0.3
mkdir -p "$prefix/node_modules/whalekeeper/dist" "$prefix/node_modules/.bin"
printf '#!/bin/sh\\necho fake %s\\n' "$pkg" > "$prefix/node_modules/whalekeeper/dist/whalekeeper.js"
chmod +x "$prefix/node_modules/whalekeeper/dist/whalekeeper.js"
ln -s ../whalekeeper/dist/whalekeeper.js "$prefix/node_modules/.bin/whalekeeper"
echo "added 1 package"
`;

function sandbox(): { dir: string; cache: string; log: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'wk-install-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'npm'), FAKE_NPM);
  chmodSync(join(bin, 'npm'), 0o755);
  return { dir, cache: join(dir, 'cache'), log: join(dir, 'npm.log'), path: `${bin}:${dirname(node)}:/usr/bin:/bin` };
}

function install(box: ReturnType<typeof sandbox>, path = box.path) {
  return execa('/bin/sh', [installer], {
    env: { PATH: path, HOME: box.dir, WK_VERSION: '9.9.9', WHALEKEEPER_CACHE: box.cache, FAKE_NPM_LOG: box.log },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
  });
}

describe('install.sh', () => {
  it('installs the pinned version once, prints only the path on stdout, and reuses it', async () => {
    // given an empty cache, when two builds run one after the other
    const box = sandbox();
    const first = await install(box);
    const second = await install(box);
    // then npm ran once, both print the same binary, and it works
    const bin = join(box.cache, '9.9.9', 'node_modules', '.bin', 'whalekeeper');
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout).toBe(bin);
    expect(second.stdout).toBe(bin);
    expect(readFileSync(box.log, 'utf8').trim().split('\n')).toHaveLength(1);
    expect((await execa(bin, [])).stdout).toBe('fake whalekeeper@9.9.9');
  });

  it('is safe when several builds start at once: one install wins, no temporary directory is left', async () => {
    const box = sandbox();
    // when four builds install at the same time
    const results = await Promise.all([1, 2, 3, 4].map(() => install(box)));
    // then all succeed with the same path, and only the version directory remains
    const bin = join(box.cache, '9.9.9', 'node_modules', '.bin', 'whalekeeper');
    for (const result of results) {
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout).toBe(bin);
    }
    expect(readdirSync(box.cache)).toEqual(['9.9.9']);
    expect((await execa(bin, [])).stdout).toBe('fake whalekeeper@9.9.9');
  });

  it('without node or npm, fails with exit 127 and says what to do', async () => {
    const box = sandbox();
    // given a PATH with neither
    const result = await install(box, join(box.dir, 'empty'));
    // then
    expect(result.exitCode).toBe(127);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('node and npm are needed on this agent to install whalekeeper 9.9.9');
    expect(result.stderr).toContain('set WHALEKEEPER_BIN');
    expect(existsSync(box.cache)).toBe(false);
  });
});
