// `build` through BuildKit: the docker client with Debian unstable's buildx plugin (scripts/fetch-engine28.sh unpacks
// it; the client finds it through `cliPluginsExtraDirs` in its config, as the docker CLI documents for plugin folders).
// With buildx present, `docker build` is `docker buildx build` on the engine's own BuildKit (the "docker" driver; its
// RUN steps on the host's network, as the private engines have no bridge): the
// build number goes in either way, a build killed midway leaves nothing running, and its cache is counted by `disk`
// and removed by `clean`. On each engine: 20.10 (BuildKit beside the graph driver) and 28 (the containerd store).
import { execa } from 'execa';
import { randomInt } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { BIN, cleanEnv, docker, whalekeeper } from '../helpers/cli.js';
import { startEngine, TEST_IMAGE, type PrivateEngine } from '../helpers/engine.js';
import { childrenOf, eventually, isAlive, processesMentioning } from '../helpers/processes.js';

let engine: PrivateEngine;
let env: Record<string, string>;
let configDir: string;

/** The build cache as `disk --json` reports it (the engine's `/system/df`). */
async function buildCache(): Promise<{ count: number; bytes: number; reclaimableBytes: number }> {
  const result = await whalekeeper(['--json', 'disk'], env);
  expect([result.exitCode, result.stderr]).toEqual([0, '']);
  return (JSON.parse(result.stdout) as { usage: { buildCache: { count: number; bytes: number; reclaimableBytes: number } } }).usage.buildCache;
}

/**
 * Cleans the build cache and checks what is left: nothing reclaimable. BuildKit keeps the FROM image's layers as
 * cache records shared with that image (`docker buildx du` marks them shared): they free nothing while the image is
 * kept, and the engine counts them as not reclaimable.
 */
async function cleanBuildCache(): Promise<void> {
  const before = await buildCache();
  expect(before.reclaimableBytes).toBeGreaterThan(0);
  const cleaned = await whalekeeper(['--json', 'clean', '--agent', '--grace', '0', '--build-cache'], env);
  expect([cleaned.exitCode, cleaned.stderr]).toEqual([0, '']);
  const after = await buildCache();
  expect(after.reclaimableBytes).toBe(0);
  expect(after.count).toBeLessThan(before.count);
  // Again, with nothing reclaimable left: the engine prunes nothing, and clean counts no removal.
  const again = await whalekeeper(['--json', 'clean', '--agent', '--grace', '0', '--build-cache'], env);
  expect([again.exitCode, again.stderr]).toEqual([0, '']);
  expect((JSON.parse(again.stdout) as { report: { counts: Record<string, { removed: number }> } }).report.counts['build-cache']!.removed).toBe(0);
}

beforeAll(async () => {
  engine = await startEngine('buildkit', '1G');
  const plugins = (await execa('bash', ['scripts/fetch-engine28.sh', '--path'])).stdout.trim();
  configDir = await mkdtemp(`${tmpdir()}/wk-buildx-config-`);
  await writeFile(`${configDir}/config.json`, JSON.stringify({ cliPluginsExtraDirs: [`${plugins}/usr/libexec/docker/cli-plugins`] }));
  env = cleanEnv(engine.host, { DOCKER_CONFIG: configDir });
  // The client uses BuildKit for `docker build` only when buildx answers; a missing plugin fails here, not later.
  await execa('docker', ['buildx', 'version'], { env, extendEnv: false });
}, 180_000);

afterAll(async () => {
  if (configDir) await rm(configDir, { recursive: true, force: true });
  if (process.env.WK_ENGINE_KEEP !== '1') await engine?.stop();
});

describe('whalekeeper build through BuildKit (buildx)', () => {
  it('puts the build number in as a build arg and labels, and leaves a build cache that disk counts and clean removes', async () => {
    const dir = await mkdtemp(`${tmpdir()}/wk-buildkit-`);
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await writeFile(`${dir}/Dockerfile`, `FROM ${TEST_IMAGE}\nARG BUILD_NUMBER\nRUN echo "$BUILD_NUMBER" > /build-number\n`);
    const result = await whalekeeper(['--build-number', '41', 'build', '--progress', 'plain', '--network', 'host', '-t', 'wk-buildkit:1', dir], env);
    expect(result.exitCode, result.stderr).toBe(0);
    // BuildKit's plain progress numbers its steps, the build arg expanded (`#5 [2/2] RUN echo "41" …`); the classic
    // builder prints `Step 3/3 : RUN …`.
    expect(result.stderr).toMatch(/^#\d+ \[2\/2\] RUN echo "41" > \/build-number$/m);
    expect(await docker(engine.host, ['run', '--rm', 'wk-buildkit:1', 'cat', '/build-number'])).toBe('41');
    expect(await docker(engine.host, ['image', 'inspect', '--format', '{{index .Config.Labels "org.opencontainers.image.version"}}', 'wk-buildkit:1'])).toBe('41');

    await cleanBuildCache();
  });

  it('killed (SIGKILL) during a slow RUN step: the client ends, and nothing of the step is left running', async () => {
    const dir = await mkdtemp(`${tmpdir()}/wk-buildkit-kill-`);
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    // busybox sh runs the last command of `-c` in its own place (exec): the step's process is `sleep N`, N its mark.
    const step = `sleep ${300_000 + randomInt(600_000)}`;
    await writeFile(`${dir}/Dockerfile`, `FROM ${TEST_IMAGE}\nARG BUILD_NUMBER\nRUN echo started && ${step}\n`);
    const child = execa('node', [BIN, '--build-number', '2', 'build', '--progress', 'plain', '--network', 'host', '-t', 'wk-buildkit-kill:1', dir], { env, extendEnv: false, reject: false, stdin: 'ignore' });
    // BuildKit runs a step as a runc process of the engine's, not as a container: it is found by its command line.
    expect(await eventually(() => processesMentioning(step).length > 0, 150), 'the RUN step started').toBe(true);
    const clients = childrenOf(child.pid!);
    expect(clients.length, 'the docker client runs as a child of whalekeeper').toBeGreaterThan(0);

    child.kill('SIGKILL');
    await child;
    expect(await eventually(() => clients.every((pid) => !isAlive(pid)), 75), 'the docker client ended').toBe(true);
    // The client runs buildx as a plugin process of its own: nothing naming the build's context is left either.
    expect(await eventually(() => processesMentioning(dir).length === 0, 75), 'no docker or buildx process is left').toBe(true);
    expect(await eventually(() => processesMentioning(step).length === 0, 75), "the step's process is gone").toBe(true);
    expect(await docker(engine.host, ['ps', '-q'])).toBe('');
    // What the aborted build cached (its context, its Dockerfile) is the engine's to count, and clean's to remove.
    await cleanBuildCache();
  });
});
