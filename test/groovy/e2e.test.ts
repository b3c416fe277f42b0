// End to end: the stages of Jenkinsfile.example, as the library's steps hand them to `sh` (recorded by the Groovy
// harness: constant script, withEnv overlay, build environment), run in order in a real /bin/sh with the REAL CLI
// (dist/whalekeeper.js as WHALEKEEPER_BIN) against the private engine, in a workspace holding the seed-shaped service.
// Every stage is replayed and must exit 0: a command missing from the CLI (exit 2) fails its stage, never skips it.
import { execa } from 'execa';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BIN, containerIds, docker } from '../helpers/cli.js';
import { freePort } from '../helpers/http-replica.js';
import { argvOf, recordStages, replay, root, type RecordedSh } from './pipeline-replay.js';

const host = inject('dockerHost');

/** Jenkinsfile.example's stages that call the CLI, in pipeline order; each has its test below. */
const STAGES = ['Disk check', 'Build', 'Test', 'Verify staging', 'Verify prod', 'post'];

const buildNumber = String(Date.now() % 1_000_000);
const job = 'e2e-app';
const build = `jenkins-${job}-${buildNumber}`;
const image = `registry.example.com/app:${buildNumber}`;
let work: string;
let workspace: string;
let port: number;
let recorded: RecordedSh[];

/** The recorded calls of a stage (a stage that made none fails). */
function stage(name: string): RecordedSh[] {
  const calls = recorded.filter((c) => c.stage === name);
  expect(calls.length, `stage ${name} made no sh calls`).toBeGreaterThan(0);
  return calls;
}

/** Replays every call of a stage in order, as Jenkins would (the first non-zero exit fails the stage). */
async function runStage(name: string, patch: Record<string, string> = {}) {
  const results = [];
  for (const call of stage(name)) {
    const result = await replay(call, { host, workspace, patch });
    expect(result.exitCode, `${name}: ${call.env.WK_ARGV}\n${result.all}`).toBe(0);
    results.push(result);
  }
  return results;
}

const engineEnv = { DOCKER_HOST: host };

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'wk-e2e-'));
  // The agent's workspace: the checked-out service (Dockerfile at its root, as Jenkinsfile.example builds '.').
  workspace = join(work, 'workspace');
  cpSync(join(root, 'test/fixtures/service'), workspace, { recursive: true });
  // Staging and prod are a container of the built image on this port (started before Verify staging).
  port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  recorded = await recordStages(work, 'Jenkinsfile.example', { BUILD_NUMBER: buildNumber, JOB_NAME: job, WHALEKEEPER_BIN: BIN }, { STAGING_URL: url, PROD_URL: url });
}, 60_000);

afterAll(async () => {
  const left = await containerIds(host, `label=whalekeeper.build=${build}`).catch(() => []);
  if (left.length > 0) await execa('docker', ['rm', '-f', ...left], { env: engineEnv, reject: false, stdin: 'ignore' });
  await execa('docker', ['rmi', '-f', image], { env: engineEnv, reject: false, stdin: 'ignore' });
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('Jenkinsfile.example end to end against the private engine', () => {
  it('every stage hands sh the one constant script, and every stage that calls the CLI is replayed here', () => {
    expect(new Set(recorded.map((c) => c.script))).toEqual(new Set(['"$WK_BIN" --argv-env WK_ARGV']));
    expect([...new Set(recorded.map((c) => c.stage))]).toEqual(STAGES);
    expect(recorded.every((c) => c.returnStatus && c.env.WK_BIN === BIN)).toBe(true);
  });

  it('Disk check: clean --agent then disk, both exit 0 on this engine', async () => {
    expect(stage('Disk check').map(argvOf)).toEqual([
      ['clean', '--agent', '--target', '70%', '--grace', '1h'],
      ['disk', '--warn', '80%', '--fail', '90%'],
    ]);
    const [clean, disk] = await runStage('Disk check');
    expect(clean!.all).toContain('Target 70%: reached');
    expect(disk!.all).toContain('Status: ok');
  });

  it('Build: whalekeeper build tags IMAGE:BUILD_NUMBER with the build number inside (classic builder)', async () => {
    expect(stage('Build').map(argvOf)).toEqual([['build', '--tag', image, '--file', 'Dockerfile', '.']]);
    expect(stage('Test')[0]!.buildEnv.APP_IMAGE).toBe(image);
    await runStage('Build', { DOCKER_BUILDKIT: '0' });
    const inspected = JSON.parse(await docker(host, ['image', 'inspect', image, '--format', '{{json .Config}}'])) as { Env: string[]; Labels: Record<string, string> };
    expect(inspected.Env).toContain(`Meta__BuildNumber=${buildNumber}`);
    expect(inspected.Labels).toMatchObject({ 'org.opencontainers.image.version': buildNumber, 'whalekeeper.build': build });
  });

  it('Test: the container ran the image with this build number, exited, and nothing of the build is left', async () => {
    // given the Test stage as recorded, when it runs (the container checks $Meta__BuildNumber against BUILD_NUMBER)
    const [call] = stage('Test');
    expect(argvOf(call!)).toEqual(['run', '-e', 'BUILD_NUMBER', image, 'sh', '-c', 'test "$Meta__BuildNumber" = "$BUILD_NUMBER"']);
    await runStage('Test');
    // then it passed and no container of this build remains on the engine
    expect(await containerIds(host, `label=whalekeeper.build=${build}`)).toEqual([]);
  });

  it('Test: a failing test container fails the sh (exit 1) and is removed too', async () => {
    // given another build number in the environment than the one in the image, under another build identity
    const other = `${buildNumber}9`;
    const result = await replay(stage('Test')[0]!, { host, workspace, patch: { BUILD_NUMBER: other } });
    // then the container's `test` failed, its status came through, and nothing of that build is left
    expect(result.exitCode, result.all).toBe(1);
    expect(await containerIds(host, `label=whalekeeper.build=jenkins-${job}-${other}`)).toEqual([]);
  });

  it.each([
    ['Verify staging', 'verify-staging.xml'],
    ['Verify prod', 'verify-prod.xml'],
  ])('%s: every replica answers this build; exit 0 and the JUnit report written', async (name, report) => {
    // given the service deployed (first time: started from the built image through the real CLI, as this build)
    if ((await containerIds(host, `label=whalekeeper.build=${build}`)).length === 0) {
      const started = await execa('node', [BIN, 'run', '-d', '--network', 'host', '-e', `PORT=${port}`, image], {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: workspace, DOCKER_HOST: host, BUILD_NUMBER: buildNumber, JOB_NAME: job },
        extendEnv: false,
        stdin: 'ignore',
      });
      expect(started.stdout.trim()).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(stage(name).map(argvOf)).toEqual([['verify', `http://127.0.0.1:${port}`, '--timeout', '10m', '--junit', report]]);
    // when the stage runs, then verified, and the report the junit step records holds this replica, passed
    const [result] = await runStage(name);
    expect(result!.all).toContain(`all 1 replica(s) run build ${buildNumber}`);
    const xml = readFileSync(join(workspace, report), 'utf8');
    expect(xml).toContain(`http://127.0.0.1:${port}/diagnostics`);
    expect(xml).not.toContain('<failure');
  });

  it('post: clean removes what the build left (the detached service container); nothing of the build remains', async () => {
    // given the service container of this build still running
    expect(existsSync(join(workspace, 'verify-prod.xml'))).toBe(true);
    expect(await containerIds(host, `label=whalekeeper.build=${build}`)).toHaveLength(1);
    expect(stage('post').map(argvOf)).toEqual([['clean']]);
    // when post runs, then nothing labelled with this build is left on the engine
    await runStage('post');
    expect(await containerIds(host, `label=whalekeeper.build=${build}`)).toEqual([]);
    expect(await docker(host, ['network', 'ls', '-q', '--filter', `label=whalekeeper.build=${build}`])).toBe('');
    expect(await docker(host, ['volume', 'ls', '-q', '--filter', `label=whalekeeper.build=${build}`])).toBe('');
  });
});
