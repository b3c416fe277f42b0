// End to end: the stages of Jenkinsfile.example, as the library's steps hand them to `sh` (recorded by the Groovy
// harness: constant script, withEnv overlay, build environment), run in a real /bin/sh with the REAL CLI
// (dist/whalekeeper.js as WHALEKEEPER_BIN) against the private engine.
import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BIN, containerIds } from '../helpers/cli.js';

const host = inject('dockerHost');
const root = fileURLToPath(new URL('../../', import.meta.url));
const service = join(root, 'test/fixtures/service');

/**
 * The stages replayed: those whose commands exist on main. A stage listed here whose command is missing FAILS (the
 * CLI exits 2 on an unknown command), it is never skipped. To add as their commands land: 'Disk check' (disk, clean),
 * 'Build' (build; then drop the docker build below), 'Verify staging' and 'Verify prod' (verify; with the service
 * started from the built image and STAGING_URL/PROD_URL overridden to it), 'post' (clean).
 */
const STAGES = ['Test'];

/** One recorded `sh` call. */
interface RecordedSh {
  stage: string;
  script: string;
  returnStatus: boolean;
  returnStdout: boolean;
  env: Record<string, string>;
  buildEnv: Record<string, string>;
}

const buildNumber = String(Date.now() % 1_000_000);
const job = 'e2e-app';
let work: string;
let recorded: RecordedSh[];

/** Runs one recorded sh as Jenkins does (`sh -xe` on the script file), with the build env plus the withEnv overlay. */
async function replay(call: RecordedSh, patch: Record<string, string> = {}) {
  const file = join(work, `script-${Math.random().toString(36).slice(2)}.sh`);
  writeFileSync(file, call.script);
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work, DOCKER_HOST: host, ...call.buildEnv, ...patch, ...call.env };
  return execa('/bin/sh', ['-xe', file], { env, extendEnv: false, cwd: service, reject: false, stdin: 'ignore', all: true });
}

function stage(name: string): RecordedSh[] {
  const calls = recorded.filter((c) => c.stage === name);
  expect(calls.length, `stage ${name} made no sh calls`).toBeGreaterThan(0);
  return calls;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'wk-e2e-'));
  // Record Jenkinsfile.example under a Jenkins-like environment whose CLI is the built one.
  const envFile = join(work, 'env.json');
  writeFileSync(envFile, JSON.stringify({ BUILD_NUMBER: buildNumber, JOB_NAME: job, WHALEKEEPER_BIN: BIN }));
  const out = join(work, 'recorded.json');
  await execa('groovy', ['-cp', 'src:test/groovy/stubs:test/groovy/harness', 'test/groovy/record-stages.groovy', 'Jenkinsfile.example', out, envFile], {
    cwd: root,
    stdin: 'ignore',
  });
  recorded = JSON.parse(readFileSync(out, 'utf8')) as RecordedSh[];
  // The Build stage's command is not on main yet: build the image it would have built, the plain docker way.
  const image = stage('Test')[0]!.buildEnv.APP_IMAGE!;
  await execa('docker', ['build', '-q', '--build-arg', `BUILD_NUMBER=${buildNumber}`, '-t', image, '.'], {
    cwd: service,
    env: { DOCKER_HOST: host, DOCKER_BUILDKIT: '0' },
    stdin: 'ignore',
  });
}, 180_000);

afterAll(async () => {
  const image = recorded?.find((c) => c.stage === 'Test')?.buildEnv.APP_IMAGE;
  if (image) await execa('docker', ['rmi', '-f', image], { env: { DOCKER_HOST: host }, reject: false, stdin: 'ignore' });
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('Jenkinsfile.example end to end against the private engine', () => {
  it('every stage the steps hand to sh through the one constant script', () => {
    expect(new Set(recorded.map((c) => c.script))).toEqual(new Set(['"$WK_BIN" --argv-env WK_ARGV']));
    expect([...new Set(recorded.map((c) => c.stage))]).toEqual(['Disk check', 'Build', 'Test', 'Verify staging', 'Verify prod', 'post']);
  });

  it.each(STAGES)('stage %s runs with the real CLI and exits 0', async (name) => {
    for (const call of stage(name)) {
      const result = await replay(call);
      expect(result.exitCode, result.all).toBe(0);
    }
  });

  it('Test: the container ran the image with this build number, exited, and nothing of the build is left', async () => {
    // given the Test stage as recorded, when it runs (the container checks $Meta__BuildNumber against BUILD_NUMBER)
    const [call] = stage('Test');
    const result = await replay(call!);
    // then it passed and no container of this build remains on the engine
    expect(result.exitCode, result.all).toBe(0);
    expect(JSON.parse(call!.env.WK_ARGV!)).toEqual(['run', '-e', 'BUILD_NUMBER', call!.buildEnv.APP_IMAGE, 'sh', '-c', 'test "$Meta__BuildNumber" = "$BUILD_NUMBER"']);
    expect(await containerIds(host, `label=whalekeeper.build=jenkins-${job}-${buildNumber}`)).toEqual([]);
  });

  it('Test: a failing test container fails the sh (exit 1) and is removed too', async () => {
    // given another build number in the environment than the one in the image, under another build identity
    const other = `${buildNumber}9`;
    const result = await replay(stage('Test')[0]!, { BUILD_NUMBER: other });
    // then the container's `test` failed, its status came through, and nothing of that build is left
    expect(result.exitCode, result.all).toBe(1);
    expect(await containerIds(host, `label=whalekeeper.build=jenkins-${job}-${other}`)).toEqual([]);
  });
});
