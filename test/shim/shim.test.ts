import { execa } from 'execa';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import { beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { cleanEnv, containerIds, docker, whalekeeper } from '../helpers/cli.js';
import { TEST_IMAGE } from '../helpers/engine.js';

const host = inject('dockerHost');
let root: string;
let shimDir: string;
let realDir: string;

/** Runs `docker ARGS` as a shell would find it on `path`; never throws on a non-zero exit. */
async function shell(path: string, args: string[], extra: Record<string, string> = {}) {
  const result = await execa('docker', args, {
    env: { PATH: path, HOME: root, DOCKER_HOST: host, ...extra },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    timeout: 30_000,
  });
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr), timedOut: result.timedOut };
}

/** Lines the recording Node wrapper wrote: one per time the shim started whalekeeper. */
async function nodeCalls(): Promise<string[]> {
  const text = await readFile(`${root}/node-calls`, 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l !== '');
}

beforeAll(async () => {
  root = await mkdtemp(`${tmpdir()}/wk-shim-`);
  shimDir = `${root}/shim`;
  realDir = dirname((await execa('sh', ['-c', 'command -v docker'])).stdout.trim());
  const installed = await whalekeeper(['shim', 'install', '--dir', shimDir], cleanEnv(host, { HOME: root }));
  expect(installed.exitCode).toBe(0);
  expect(installed.stdout).toBe(`export PATH="$HOME/shim:$PATH"`);
  // The test swaps the Node the shim starts for a wrapper that records each start, then runs the real Node.
  await writeFile(`${root}/node`, `#!/bin/sh\necho "$*" >> '${root}/node-calls'\nexec '${process.execPath}' "$@"\n`);
  await chmod(`${root}/node`, 0o755);
  const script = await readFile(`${shimDir}/docker`, 'utf8');
  expect(script).toContain(`'${process.execPath}'`);
  await writeFile(`${shimDir}/docker`, script.replaceAll(`'${process.execPath}'`, `'${root}/node'`));
  return () => rm(root, { recursive: true, force: true });
});

describe('the docker shim', () => {
  it('sends docker version and docker ps straight to the real client: same output, same status, no Node', async () => {
    const path = `${shimDir}:${realDir}:/usr/bin:/bin`;
    // `ps` lists by a label nothing carries: other test files start and remove containers on this engine meanwhile.
    const none = `label=wk-shim-none-${Date.now()}`;
    for (const args of [['version', '--format', '{{.Client.Version}} {{.Server.Version}}'], ['ps', '-a', '--filter', none, '--format', '{{.ID}}'], ['--log-level', 'error', 'ps', '-q', '--filter', none], ['no-such-command']]) {
      const shimmed = await shell(path, args);
      const real = await shell(`${realDir}:/usr/bin:/bin`, args);
      expect({ args, ...shimmed }).toEqual({ args, ...real });
    }
    expect(await nodeCalls()).toEqual([]);
  });

  it('sends docker run through whalekeeper: its exit code, its streams, labels, and the container removed', async () => {
    const path = `${shimDir}:${realDir}:/usr/bin:/bin`;
    const build = `shim-${Date.now()}`;
    const ran = await shell(path, ['run', TEST_IMAGE, 'sh', '-c', 'echo out; echo err >&2; exit 7'], { WHALEKEEPER_BUILD: build });
    expect(ran).toMatchObject({ exitCode: 7, stdout: 'out', stderr: 'err' });
    expect(await nodeCalls()).toHaveLength(1);
    expect(await containerIds(host, `label=whalekeeper.build=${build}`)).toEqual([]);

    // `docker container run` after a global option, detached: the container carries whalekeeper's labels and --rm
    const detached = await shell(path, ['--log-level', 'warn', 'container', 'run', '-d', TEST_IMAGE, 'sleep', '30'], { WHALEKEEPER_BUILD: build });
    expect(detached.exitCode).toBe(0);
    const id = detached.stdout.trim();
    onTestFinished(async () => void (await docker(host, ['rm', '-f', id]).catch(() => undefined)));
    const inspected = JSON.parse(await docker(host, ['inspect', id]))[0];
    expect(inspected.Config.Labels).toMatchObject({ 'whalekeeper.managed': 'true', 'whalekeeper.build': build });
    expect(inspected.HostConfig.AutoRemove).toBe(true);
    expect(await nodeCalls()).toHaveLength(2);
  });

  it('maps `docker -H HOST run` to whalekeeper --host HOST', async () => {
    const path = `${shimDir}:${realDir}:/usr/bin:/bin`;
    const result = await execa('docker', ['-H', host, 'run', '-d', TEST_IMAGE, 'sleep', '30'], {
      env: { PATH: path, HOME: root },
      extendEnv: false,
      stdin: 'ignore',
    });
    const id = result.stdout.trim();
    onTestFinished(async () => void (await docker(host, ['rm', '-f', id]).catch(() => undefined)));
    const labels = JSON.parse(await docker(host, ['inspect', id, '--format', '{{json .Config.Labels}}']));
    expect(labels['whalekeeper.managed']).toBe('true');
  });

  it('never loops: its directory twice on PATH, a second shim, and whalekeeper run itself with the shim first', async () => {
    const second = `${root}/second`;
    const installed = await whalekeeper(['shim', 'install', '--dir', second], cleanEnv(host, { HOME: root }));
    expect(installed.exitCode).toBe(0);
    const path = `${shimDir}:${second}:${shimDir}:${realDir}:/usr/bin:/bin`;
    const version = await shell(path, ['version', '--format', '{{.Server.Version}}']);
    expect(version.timedOut).toBe(false);
    expect(version.exitCode).toBe(0);
    const ran = await shell(path, ['run', TEST_IMAGE, 'true']);
    expect(ran.exitCode).toBe(0);
    // whalekeeper started by hand spawns `docker` from PATH, which is the shim: its run label sends it to the real client
    const direct = await whalekeeper(['run', TEST_IMAGE, 'echo', 'direct'], cleanEnv(host, { PATH: path }));
    expect(direct).toMatchObject({ exitCode: 0, stdout: 'direct' });
  });

  it('exits 127 when the only docker on PATH is the shim', async () => {
    const result = await shell(`${shimDir}:${shimDir}`, ['version']);
    expect(result.exitCode).toBe(127);
    expect(result.stderr).toContain('no docker client on PATH besides the shim');
  });

  it('says how to reinstall when its whalekeeper is gone (exit 127, not `node: not found`); the rest still passes', async () => {
    const gone = `${root}/gone`;
    await mkdir(gone);
    const script = await readFile(`${shimDir}/docker`, 'utf8');
    await writeFile(`${gone}/docker`, script.replaceAll(`'${root}/node'`, `'${root}/uninstalled/node'`));
    await chmod(`${gone}/docker`, 0o755);
    const path = `${gone}:${realDir}:/usr/bin:/bin`;
    const result = await shell(path, ['run', TEST_IMAGE, 'true']);
    expect(result.exitCode).toBe(127);
    expect(result.stderr).toContain(`whalekeeper shim: whalekeeper is gone (`);
    expect(result.stderr).toContain(`run by ${root}/uninstalled/node)`);
    expect(result.stderr).toContain(
      `whalekeeper shim: reinstall whalekeeper, then run \`whalekeeper shim install --dir ${gone}\`; or remove the shim: rm ${gone}/docker ${gone}/.whalekeeper-shim`,
    );
    expect(result.stderr).not.toContain('not found');
    expect((await shell(path, ['version', '--format', '{{.Client.Version}}'])).exitCode).toBe(0);
  });

  it('never overwrites or removes a docker that is not a shim; uninstall removes the shim', async () => {
    const other = `${root}/other`;
    await mkdir(other);
    await writeFile(`${other}/docker`, '#!/bin/sh\necho real\n', { mode: 0o755 });
    const refused = await whalekeeper(['shim', 'install', '--dir', other], cleanEnv(host, { HOME: root }));
    expect(refused.exitCode).toBe(2);
    expect(await readFile(`${other}/docker`, 'utf8')).toBe('#!/bin/sh\necho real\n');
    expect((await whalekeeper(['shim', 'uninstall', '--dir', other], cleanEnv(host, { HOME: root }))).exitCode).toBe(2);

    const third = `${root}/third`;
    expect((await whalekeeper(['shim', 'install', '--dir', third], cleanEnv(host, { HOME: root }))).exitCode).toBe(0);
    expect((await stat(`${third}/docker`)).mode & 0o777).toBe(0o755);
    const removed = await whalekeeper(['shim', 'uninstall', '--dir', third], cleanEnv(host, { HOME: root }));
    expect(removed.exitCode).toBe(0);
    await expect(stat(`${third}/docker`)).rejects.toThrow();
  });

  it('shim print gives a shell function doing the same', async () => {
    const printed = await whalekeeper(['shim', 'print'], cleanEnv(host));
    expect(printed.exitCode).toBe(0);
    const build = `shim-fn-${Date.now()}`;
    const script = `${printed.stdout}\ndocker version --format '{{.Server.Version}}' && docker run ${TEST_IMAGE} sh -c 'exit 4'`;
    const result = await execa('bash', ['-c', script], {
      env: { PATH: `${realDir}:/usr/bin:/bin`, DOCKER_HOST: host, WHALEKEEPER_BUILD: build, HOME: root },
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
    });
    expect(result.exitCode).toBe(4);
    expect(String(result.stdout)).toMatch(/^\d+\.\d+/);
    expect(await containerIds(host, `label=whalekeeper.build=${build}`)).toEqual([]);
  });
});
