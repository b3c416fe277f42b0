// Records what the library's steps hand to `sh` for a Jenkinsfile (test/groovy/record-stages.groovy, the Groovy
// harness) and replays each call in a real /bin/sh, as Jenkins runs it, with the REAL CLI against the private engine.
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));

/** One recorded `sh` call: its stage, the script, the withEnv overlay and the build environment in force. */
export interface RecordedSh {
  stage: string;
  script: string;
  returnStatus: boolean;
  returnStdout: boolean;
  env: Record<string, string>;
  buildEnv: Record<string, string>;
}

/**
 * Runs `jenkinsfile` (a path from the repository root) in the harness with `env` as the build's environment and
 * `overrides` imposed over its environment { } block; returns its `sh` calls in order.
 */
export async function recordStages(work: string, jenkinsfile: string, env: Record<string, string>, overrides: Record<string, string> = {}): Promise<RecordedSh[]> {
  const envFile = join(work, 'record-env.json');
  const overridesFile = join(work, 'record-overrides.json');
  const out = join(work, 'recorded.json');
  writeFileSync(envFile, JSON.stringify(env));
  writeFileSync(overridesFile, JSON.stringify(overrides));
  await execa('groovy', ['-cp', 'src:test/groovy/stubs:test/groovy/sandbox:test/groovy/harness', 'test/groovy/record-stages.groovy', jenkinsfile, out, envFile, overridesFile], {
    cwd: root,
    stdin: 'ignore',
  });
  return JSON.parse(readFileSync(out, 'utf8')) as RecordedSh[];
}

/** Where and how a replay runs. */
export interface ReplayOptions {
  /** The private engine (DOCKER_HOST). */
  host: string;
  /** The workspace: the script's working directory, and HOME. */
  workspace: string;
  /** Variables over the build environment (the withEnv overlay still wins, as in Jenkins). */
  patch?: Record<string, string>;
  /** Kills the shell after this long (a stage that would wait for minutes fails the test instead). */
  timeoutMs?: number;
}

/** Runs one recorded sh as Jenkins does (`sh -xe` on the script file), with the build env plus the withEnv overlay. */
export async function replay(call: RecordedSh, options: ReplayOptions) {
  const file = join(options.workspace, `.script-${Math.random().toString(36).slice(2)}.sh`);
  writeFileSync(file, call.script);
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: options.workspace, DOCKER_HOST: options.host, ...call.buildEnv, ...options.patch, ...call.env };
  return execa('/bin/sh', ['-xe', file], {
    env,
    extendEnv: false,
    cwd: options.workspace,
    reject: false,
    stdin: 'ignore',
    all: true,
    timeout: options.timeoutMs ?? 45_000,
  });
}

/** The decoded WK_ARGV of a recorded call. */
export function argvOf(call: RecordedSh): string[] {
  return JSON.parse(call.env.WK_ARGV!) as string[];
}
