// The library's steps run live in the Groovy harness (sandboxed env, parallel branches interleaved on threads) with
// the CLI of the library's own revision, against the private engine: scoped clean-ups in parallel branches, a fresh
// agent's CLI resolution counted in sh calls, and dockerInside on the withDockerContainer stand-in.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { containerIds, docker } from '../helpers/cli.js';
import { TEST_IMAGE } from '../helpers/engine.js';
import { runLive, shCalls, type LiveRun, type LiveSetup } from './live.js';

const host = inject('dockerHost');
const RESOLVER = readFileSync(new URL('../../resources/io/whalekeeper/install.sh', import.meta.url), 'utf8');
const CLI = '"$WK_BIN" --argv-env WK_ARGV';
const number = String(Date.now() % 1_000_000);
const job = 'live';
let work: string;

/** One agent (a HOME whose cache survives between its builds) and a build of `job` numbered `n`. */
function setup(n: string, extra: Partial<LiveSetup> = {}): LiveSetup {
  return {
    work: join(work, n),
    base: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: join(work, 'home'), DOCKER_HOST: host },
    env: { BUILD_NUMBER: n, JOB_NAME: job },
    ...extra,
  };
}

function build(n: string): string {
  return `jenkins-${job}-${n}`;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'wk-live-'));
});

afterAll(async () => {
  const left = await containerIds(host, `label=whalekeeper.build`).catch(() => []);
  const ours = [];
  for (const id of left) {
    const label = await docker(host, ['inspect', '-f', '{{index .Config.Labels "whalekeeper.build"}}', id]).catch(() => '');
    if (label.startsWith(`jenkins-${job}-${number}`)) ours.push(id);
  }
  if (ours.length > 0) await docker(host, ['rm', '-f', ...ours]).catch(() => '');
  rmSync(work, { recursive: true, force: true });
});

function expectPassed(run: LiveRun): void {
  expect(run.error, run.log).toBeNull();
}

describe('the steps live, on the private engine', () => {
  it('parallel branches with their own withDockerCleanup keep each other\'s containers; the first steps of a fresh agent resolve the CLI once', async () => {
    // given a fresh agent (empty cache, no WHALEKEEPER_BIN: the library's own CLI), a detached service started
    // before the blocks, and two branches that each start a detached container in their own block; b's block ends
    // (its clean-up runs) while a's container runs
    const n = `${number}1`;
    const run = await runLive(`
      node('agent-1') {
        String svc = dockerRun(image: '${TEST_IMAGE}', args: ['-d'], command: ['sleep', '300'], returnStdout: true).trim()
        parallel(
          a: {
            withDockerCleanup {
              String id = dockerRun(image: '${TEST_IMAGE}', args: ['-d'], command: ['sleep', '300'], returnStdout: true).trim()
              writeFile(file: 'a.id', text: id)
              sh 'until [ -e b-done ]; do sleep 0.1; done'
              withEnv(['ID=' + id]) { sh 'test "$(docker inspect -f "{{.State.Running}}" "$ID")" = true' }
            }
          },
          b: {
            withDockerCleanup {
              String id = dockerRun(image: '${TEST_IMAGE}', args: ['-d'], command: ['sleep', '300'], returnStdout: true).trim()
              writeFile(file: 'b.id', text: id)
              sh 'until [ -e a.id ]; do sleep 0.1; done'
            }
            sh 'touch b-done'
          })
        // the service outside the blocks survived both clean-ups
        withEnv(['SVC=' + svc]) { sh 'test "$(docker inspect -f "{{.State.Running}}" "$SVC")" = true' }
        writeFile(file: 'svc.id', text: svc)
      }`, setup(n));
    // then the pipeline passed: a's container was running after b's clean-up, the service after both
    expectPassed(run);
    const ws = join(work, n, 'workspace');
    const [a, b, svc] = ['a.id', 'b.id', 'svc.id'].map((f) => readFileSync(join(ws, f), 'utf8'));
    // each block removed its own container, and only it; the service is still there, labelled with the build only
    const left = await containerIds(host, `label=whalekeeper.build=${build(n)}`);
    expect(left).toEqual([svc]);
    expect(left).not.toContain(a);
    expect(left).not.toContain(b);
    expect(await docker(host, ['inspect', '-f', '{{index .Config.Labels "whalekeeper.scope"}}', svc!])).toBe('');
    // each block's clean named its own scope, the one its container was labelled with
    const sh = shCalls(run);
    const cleans = sh.filter((c) => c.script === CLI && c.env.WK_ARGV!.includes('"clean"')).map((c) => JSON.parse(c.env.WK_ARGV!) as string[]);
    expect(cleans).toHaveLength(2);
    const runs = sh.filter((c) => c.env.WK_ARGV?.startsWith('["run"') && c.env.WHALEKEEPER_SCOPE);
    expect(new Set(runs.map((c) => c.env.WHALEKEEPER_SCOPE))).toEqual(new Set(cleans.map((argv) => argv[1])));
    // and the CLI was resolved once for this agent: asked, then unpacked from the bundle written once; every later
    // step called the CLI directly (5 CLI calls, 2 resolver calls)
    const resolver = sh.filter((c) => c.script === RESOLVER);
    expect(resolver.map((c) => Object.keys(c.env).filter((k) => k.startsWith('WK_CLI_')).sort())).toEqual([['WK_CLI_ID'], ['WK_CLI_ID', 'WK_CLI_TARBALL']]);
    expect(run.calls.filter((c) => c.step === 'writeFile' && String((c.args as { file: string }).file).endsWith('.tgz'))).toHaveLength(1);
    expect(sh.filter((c) => c.script === CLI || c.script.includes('"$WK_BIN" --argv-env WK_ARGV'))).toHaveLength(5);
    expect(new Set(sh.filter((c) => c.env.WK_BIN).map((c) => c.env.WK_BIN))).toEqual(new Set([join(work, 'home', '.cache', 'whalekeeper', `cli-${readFileSync(new URL('../../resources/io/whalekeeper/whalekeeper-cli.sha256', import.meta.url), 'utf8').trim()}`, 'whalekeeper.js')]));
    // the post-style clean removes the rest of the build
    const post = await runLive(`node('agent-1') { cleanDockerBuild() }`, setup(n));
    expectPassed(post);
    expect(await containerIds(host, `label=whalekeeper.build=${build(n)}`)).toEqual([]);
    // a later build on the same agent resolves with one sh and writes no bundle
    expect(shCalls(post).filter((c) => c.script === RESOLVER)).toHaveLength(1);
    expect(post.calls.filter((c) => c.step === 'writeFile')).toEqual([]);
  }, 120_000);

  it('dockerInside: the body sees the workspace; after success, failure and abort no container of the block remains', async () => {
    const n = `${number}2`;
    const run = await runLive(`
      node('agent-1') {
        writeFile(file: 'marker.txt', text: 'from the workspace')
        dockerInside(image: '${TEST_IMAGE}', args: ['-e', 'GREETING=hello there']) {
          sh 'test "$(cat marker.txt)" = "from the workspace" && echo "$GREETING from $(hostname)" > from-container.txt'
        }
        try {
          dockerInside(image: '${TEST_IMAGE}') { sh 'exit 3' }
        } catch (e) {
          echo 'failed: ' + e.message
        }
        try {
          dockerInside(image: '${TEST_IMAGE}') { throw new org.jenkinsci.plugins.workflow.steps.FlowInterruptedException() }
        } catch (org.jenkinsci.plugins.workflow.steps.FlowInterruptedException e) {
          echo 'aborted'
        }
      }`, setup(n));
    expectPassed(run);
    // the body ran in the container (its hostname is the container's), in the mounted workspace
    const written = readFileSync(join(work, n, 'workspace', 'from-container.txt'), 'utf8');
    expect(written).toMatch(/^hello there from [0-9a-f]{12}\n$/);
    expect(run.log).toContain('failed: script returned exit code 3');
    expect(run.log).toContain('aborted');
    expect(shCalls(run).filter((c) => c.container).map((c) => c.script)).toHaveLength(2);
    expect(await containerIds(host, `label=whalekeeper.build=${build(n)}`)).toEqual([]);
  }, 120_000);

  it('dockerInside { dockerRun(...) }: the CLI is found in the container (Node and docker there), runs there, and nothing is left', async () => {
    // given an image whose container gets Node and the docker client from the machine (its /usr mounted read-only)
    // and the private engine's socket
    const n = `${number}4`;
    const socket = host.replace(/^unix:\/\//, '');
    // (at the same path: the docker client that runs `docker exec` sees the withEnv DOCKER_HOST too, as Jenkins' does)
    const mounts = ['-v', '/usr:/usr:ro', '-v', '/usr/lib:/lib:ro', '-v', '/usr/lib64:/lib64:ro', '-v', `${socket}:${socket}`];
    // when a fresh agent (no WHALEKEEPER_BIN, empty cache) runs dockerRun inside the block
    const run = await runLive(`
      node('agent-1') {
        dockerInside(image: '${TEST_IMAGE}', args: ${JSON.stringify(mounts).replace(/"/g, "'")}) {
          withEnv(['DOCKER_HOST=${host}', 'PATH=/usr/local/bin:/usr/bin:/bin']) {
            String out = dockerRun(image: '${TEST_IMAGE}', command: ['echo', 'hello from inside'], returnStdout: true)
            writeFile(file: 'inside.txt', text: out)
          }
        }
        dockerRun(image: '${TEST_IMAGE}', command: ['true'])
      }`, setup(n));
    expectPassed(run);
    // then the container's run printed its output, and the CLI was resolved in the container (its sh went through
    // docker exec), the bundle unpacked into the workspace's @tmp; the block's clean-up and the later step on the
    // agent resolved the agent's CLI (once)
    expect(readFileSync(join(work, n, 'workspace', 'inside.txt'), 'utf8')).toBe('hello from inside\n');
    const resolver = shCalls(run).filter((c) => c.script === RESOLVER);
    // (in the container: asked for the bundle, then unpacked it; on the agent: once, or twice when its cache is new)
    expect(resolver.slice(0, 2).map((c) => Boolean(c.container))).toEqual([true, true]);
    expect(resolver.slice(2).length).toBeGreaterThanOrEqual(1);
    expect(resolver.slice(2).length).toBeLessThanOrEqual(2);
    expect(resolver.slice(2).some((c) => c.container)).toBe(false);
    expect(resolver[0]!.env.WHALEKEEPER_CACHE).toBe(`${join(work, n, 'workspace')}@tmp/whalekeeper-cache`);
    const cli = shCalls(run).filter((c) => c.script.includes('--argv-env WK_ARGV'));
    expect(cli.map((c) => Boolean(c.container))).toEqual([true, false, false]);
    expect(await containerIds(host, `label=whalekeeper.build=${build(n)}`)).toEqual([]);
  }, 120_000);

  it('dockerInside { dockerRun(...) } in an image without Node: the step fails naming the image and what is missing; the block still cleans up', async () => {
    const n = `${number}5`;
    const run = await runLive(`
      node('agent-1') {
        dockerInside(image: '${TEST_IMAGE}') {
          dockerRun(image: '${TEST_IMAGE}', command: ['true'])
        }
      }`, setup(n));
    expect(run.error).toContain(`dockerRun: could not find the whalekeeper CLI inside the dockerInside container of ${TEST_IMAGE}`);
    expect(run.error).toContain('the image needs Node.js 20.19 or later on PATH, or mount an installed whalekeeper and set WHALEKEEPER_BIN');
    // the resolver's own line says which node is missing, from inside the container
    expect(run.log).toContain('Node.js 20.19 or later is needed on this agent, and there is no node on PATH');
    // and the block's clean-up ran on the agent: no container of the build remains
    expect(shCalls(run).filter((c) => c.script.includes('--argv-env WK_ARGV') && !c.container)).toHaveLength(1);
    expect(await containerIds(host, `label=whalekeeper.build=${build(n)}`)).toEqual([]);
  }, 120_000);

  it('dockerInside: when the plugin leaves its container (a lost agent), the labels find it and the block removes it', async () => {
    // given the withDockerContainer stand-in leaving its container behind
    const n = `${number}3`;
    const run = await runLive(`
      node('agent-1') {
        dockerInside(image: '${TEST_IMAGE}') { sh 'hostname > inside.id' }
      }`, setup(n, { loseContainers: true }));
    expectPassed(run);
    // then the container carried the build and the block's scope, and the block's scoped clean removed it
    const cleans = shCalls(run).filter((c) => c.script === CLI).map((c) => JSON.parse(c.env.WK_ARGV!) as string[]);
    expect(cleans).toHaveLength(1);
    expect(cleans[0]!.slice(0, 1).concat(cleans[0]!.slice(2))).toEqual(['--scope', 'clean']);
    expect(await containerIds(host, `label=whalekeeper.build=${build(n)}`)).toEqual([]);
  }, 120_000);
});
