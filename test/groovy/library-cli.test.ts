// The CLI the Jenkins library runs comes from the library's own revision: resources/io/whalekeeper/whalekeeper-cli.tgz
// is exactly a fresh `npm run build` (dist/, as `npm test` builds it before the tests), and the resolver
// (resources/io/whalekeeper/install.sh) unpacks it once per agent, checks Node on every resolution, and says what to
// do when it cannot.
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it, onTestFinished } from 'vitest';
// @ts-expect-error: a plain .mjs script, without types
import { archive } from '../../scripts/pack-library-cli.mjs';

const resources = fileURLToPath(new URL('../../resources/io/whalekeeper/', import.meta.url));
const resolver = join(resources, 'install.sh');
const tgz = readFileSync(join(resources, 'whalekeeper-cli.tgz'));
const sha = readFileSync(join(resources, 'whalekeeper-cli.sha256'), 'utf8').trim();
const node = process.execPath;

describe('the packed CLI (resources/io/whalekeeper/whalekeeper-cli.tgz)', () => {
  it('is byte for byte the archive of a fresh build of this source, and its SHA-256 is the one the steps check', () => {
    // given dist/ as `npm run build` left it, archived as scripts/pack-library-cli.mjs archives it
    const fresh = (archive as () => Buffer)();
    // then the checked-in bundle holds exactly that archive (run `npm run build && node scripts/pack-library-cli.mjs`
    // and commit the two resources when this fails)
    expect(Buffer.compare(gunzipSync(tgz), fresh), 'the packed CLI is not this source: repack it').toBe(0);
    expect(createHash('sha256').update(tgz).digest('hex')).toBe(sha);
  });
});

/** An agent: a HOME with an empty cache, a workspace, and a PATH. */
function agent(): { dir: string; workspace: string; cache: string } {
  const dir = mkdtempSync(join(tmpdir(), 'wk-agent-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const workspace = join(dir, 'workspace');
  mkdirSync(workspace);
  return { dir, workspace, cache: join(dir, 'home', '.cache', 'whalekeeper') };
}

/** Runs the resolver as a step does (sh, in the workspace, values in the environment); 10 s at most unless told. */
function resolve(box: ReturnType<typeof agent>, env: Record<string, string>, path = `${dirname(node)}:/usr/bin:/bin`, timeout = 10_000) {
  return execa('/bin/sh', ['-xe', resolver], {
    env: { PATH: path, HOME: join(box.dir, 'home'), WK_CLI_ID: sha, ...env },
    extendEnv: false,
    cwd: box.workspace,
    reject: false,
    stdin: 'ignore',
    timeout,
  });
}

/** Writes the bundle into the workspace as writeFile(encoding: 'Base64') does; returns its relative path. */
function writeBundle(box: ReturnType<typeof agent>, bytes: Buffer = tgz): string {
  const name = `.whalekeeper-cli-${sha.slice(0, 16)}.tgz`;
  writeFileSync(join(box.workspace, name), bytes);
  return name;
}

describe('the resolver (install.sh)', () => {
  it('on a fresh agent asks for the bundle, unpacks it once, then answers from the cache; the CLI runs', async () => {
    const box = agent();
    // when it first runs: no cache, no bundle
    const first = await resolve(box, {});
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout).toBe('NEED_CLI');
    // when given the bundle
    const tarball = writeBundle(box);
    const second = await resolve(box, { WK_CLI_TARBALL: tarball });
    const bin = join(box.cache, `cli-${sha}`, 'whalekeeper.js');
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stdout).toBe(bin);
    expect(existsSync(join(box.workspace, tarball))).toBe(false);
    // then a later build finds it without the bundle, and it is the CLI of this source
    expect((await resolve(box, {})).stdout).toBe(bin);
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string };
    expect((await execa(node, [bin, '--version'])).stdout.trim()).toBe(pkg.version);
    expect(readdirSync(box.cache)).toEqual([`cli-${sha}`]);
  });

  it('is safe when four builds unpack at once: one wins, all print its path, no temporary directory is left', async () => {
    const box = agent();
    const names = [1, 2, 3, 4].map((i) => {
      const name = `bundle-${i}.tgz`;
      writeFileSync(join(box.workspace, name), tgz);
      return name;
    });
    const results = await Promise.all(names.map((name) => resolve(box, { WK_CLI_TARBALL: name })));
    for (const result of results) {
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout).toBe(join(box.cache, `cli-${sha}`, 'whalekeeper.js'));
    }
    expect(readdirSync(box.cache)).toEqual([`cli-${sha}`]);
  });

  it('refuses a bundle whose SHA-256 is not the one the library pinned', async () => {
    const box = agent();
    const result = await resolve(box, { WK_CLI_TARBALL: writeBundle(box, Buffer.concat([tgz, Buffer.from('x')])) });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`not ${sha}; not using it`);
    expect(existsSync(join(box.cache, `cli-${sha}`))).toBe(false);
  });

  it('a broken cached CLI is not used: the bundle is asked for again', async () => {
    const box = agent();
    mkdirSync(join(box.cache, `cli-${sha}`), { recursive: true });
    writeFileSync(join(box.cache, `cli-${sha}`, 'whalekeeper.js'), 'syntax error (');
    expect((await resolve(box, {})).stdout).toBe('NEED_CLI');
    const fixed = await resolve(box, { WK_CLI_TARBALL: writeBundle(box) });
    expect(fixed.exitCode, fixed.stderr).toBe(0);
  });

  it('without node on PATH: exit 127 within 10 s, saying Node.js 20.19 is needed and where to get it', async () => {
    const box = agent();
    const result = await resolve(box, {}, '/usr/bin:/bin'.split(':').filter((d) => !existsSync(join(d, 'node'))).join(':'));
    expect(result.exitCode).toBe(127);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Node.js 20.19 or later is needed on this agent, and there is no node on PATH');
    expect(result.stderr).toContain("NodeJS plugin's nodejs(...)");
  });

  it('with Node 18 first on PATH: exit 127 within 10 s, naming the node found and its version', async () => {
    // given a stand-in Node 18: the real node with process.versions.node reading 18.19.0, and --version v18.19.0
    const box = agent();
    const bin = join(box.dir, 'node18');
    mkdirSync(bin);
    writeFileSync(join(bin, 'preload.cjs'), "Object.defineProperty(process, 'versions', { value: { ...process.versions, node: '18.19.0' } });\n");
    writeFileSync(join(bin, 'node'), `#!/bin/sh\n[ "$1" = --version ] && { echo v18.19.0; exit 0; }\nexec '${node}' --require '${join(bin, 'preload.cjs')}' "$@"\n`);
    chmodSync(join(bin, 'node'), 0o755);
    // when the resolver runs with it first on PATH
    const result = await resolve(box, {}, `${bin}:/usr/bin:/bin`);
    // then
    expect(result.exitCode).toBe(127);
    expect(result.stderr).toContain(`Node.js 20.19 or later is needed on this agent; ${join(bin, 'node')} is v18.19.0.`);
  });

  it('WHALEKEEPER_BIN is used when it runs, and refused with its path when it does not', async () => {
    const box = agent();
    const ok = await resolve(box, { WHALEKEEPER_BIN: fileURLToPath(new URL('../../dist/whalekeeper.js', import.meta.url)) });
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/dist\/whalekeeper\.js$/);
    const broken = await resolve(box, { WHALEKEEPER_BIN: join(box.dir, 'nope') });
    expect(broken.exitCode).toBe(127);
    expect(broken.stderr).toContain(`WHALEKEEPER_BIN=${join(box.dir, 'nope')} does not exist`);
  });

  it('WHALEKEEPER_BIN is checked as the steps run it: a wrapper script works, without node on PATH', async () => {
    // given a wrapper (as a version manager's shim is) that runs the built CLI with an absolute node
    const box = agent();
    const wrapper = join(box.dir, 'whalekeeper');
    const cli = fileURLToPath(new URL('../../dist/whalekeeper.js', import.meta.url));
    writeFileSync(wrapper, `#!/bin/sh\nexec '${node}' '${cli}' "$@"\n`);
    chmodSync(wrapper, 0o755);
    // when the resolver checks it on a PATH without node
    const result = await resolve(box, { WHALEKEEPER_BIN: wrapper }, '/usr/bin:/bin'.split(':').filter((d) => !existsSync(join(d, 'node'))).join(':'));
    // then it is used as it is, and it runs as the steps run it
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toBe(wrapper);
    const run = await execa(wrapper, ['--version'], { reject: false, stdin: 'ignore' });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('WHALEKEEPER_BIN without its execute bit, or not answering --version, is refused naming the file', async () => {
    const box = agent();
    // given a copy of the CLI without its execute bit (node would run it; the steps cannot)
    const plain = join(box.dir, 'whalekeeper.js');
    writeFileSync(plain, readFileSync(fileURLToPath(new URL('../../dist/whalekeeper.js', import.meta.url))));
    chmodSync(plain, 0o644);
    const notExecutable = await resolve(box, { WHALEKEEPER_BIN: plain });
    expect(notExecutable.exitCode).toBe(126);
    expect(notExecutable.stdout).toBe('');
    expect(notExecutable.stderr).toContain(`WHALEKEEPER_BIN=${plain} is not an executable file`);
    expect(notExecutable.stderr).toContain('chmod +x');
    // and an executable that fails --version
    const liar = join(box.dir, 'liar');
    writeFileSync(liar, '#!/bin/sh\necho "no such option: $1" >&2\nexit 3\n');
    chmodSync(liar, 0o755);
    const silent = await resolve(box, { WHALEKEEPER_BIN: liar });
    expect(silent.exitCode).toBe(127);
    expect(silent.stderr).toContain(`WHALEKEEPER_BIN=${liar} does not run: "${liar}" --version exited with 3:`);
    expect(silent.stderr).toContain('  no such option: --version');
  });
});

describe('the resolver, option WHALEKEEPER_SOURCE=registry (npm, pinned by integrity)', () => {
  /** `npm pack` of this repository, served as a registry serves tarballs, on a random loopback port. */
  async function tarballServer(): Promise<{ url: string; integrity: string; version: string; close: () => Promise<void> }> {
    const box = agent();
    const packed = await execa('npm', ['pack', '--json', '--pack-destination', box.dir], { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdin: 'ignore' });
    const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; integrity: string; version: string }>;
    const bytes = readFileSync(join(box.dir, info!.filename));
    const server = createServer((req, res) => {
      if (req.url === `/whalekeeper/-/whalekeeper-${info!.version}.tgz`) res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes);
      else res.writeHead(404).end();
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}/`, integrity: info!.integrity, version: info!.version, close: () => new Promise((ok) => server.close(() => ok())) };
  }

  it('installs exactly the pinned tarball, once, and refuses one whose integrity differs', async () => {
    const registry = await tarballServer();
    onTestFinished(registry.close);
    const box = agent();
    const env = { WK_NPM_VERSION: registry.version, npm_config_registry: registry.url, npm_config_cache: join(box.dir, 'npm-cache'), npm_config_update_notifier: 'false' };
    // a tampered pin: npm ci refuses the tarball (EINTEGRITY), and the step's message names the way out
    // (an npm install is given 40 s: the bound that matters, 10 s, is for an agent that cannot reach its registry)
    const slow = `${dirname(node)}:/usr/bin:/bin`;
    const tampered = await resolve(box, { ...env, WK_NPM_INTEGRITY: `sha512-${Buffer.alloc(64).toString('base64')}` }, slow, 40_000);
    expect(tampered.exitCode).toBe(1);
    expect(tampered.stderr).toContain('EINTEGRITY');
    expect(tampered.stderr).toContain('set WHALEKEEPER_BIN');
    // the right pin installs, the CLI runs, and the next resolution uses the cache
    const installed = await resolve(box, { ...env, WK_NPM_INTEGRITY: registry.integrity }, slow, 40_000);
    expect(installed.exitCode, installed.stderr).toBe(0);
    expect(installed.stdout).toMatch(/\/npm-[^/]+\/node_modules\/whalekeeper\/dist\/whalekeeper\.js$/);
    expect((await execa(node, [installed.stdout, '--version'])).stdout.trim()).toBe(registry.version);
    await registry.close();
    expect((await resolve(box, { ...env, WK_NPM_INTEGRITY: registry.integrity })).stdout).toBe(installed.stdout);
  }, 60_000);

  it('a registry that refuses connections (a closed port on 127.0.0.1) fails within 10 s, naming WHALEKEEPER_BIN and npm_config_registry', async () => {
    const box = agent();
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const { port } = closed.address() as AddressInfo;
    await new Promise((ok) => closed.close(ok));
    const result = await resolve(box, {
      WK_NPM_VERSION: '0.1.0',
      WK_NPM_INTEGRITY: `sha512-${Buffer.alloc(64).toString('base64')}`,
      npm_config_registry: `http://127.0.0.1:${port}/`,
      npm_config_cache: join(box.dir, 'npm-cache'),
      npm_config_update_notifier: 'false',
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`npm could not install whalekeeper@0.1.0 from http://127.0.0.1:${port}/ (npm_config_registry selects`);
    expect(result.stderr).toContain('set WHALEKEEPER_BIN');
  });
});
