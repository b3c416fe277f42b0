// Runs a pipeline in the Groovy harness in live mode (test/groovy/run-live.groovy): its steps' `sh` scripts really run,
// with the real CLI, against the private engine. Returns what the harness recorded.
import { execa } from 'execa';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './pipeline-replay.js';

/** One recorded call of the harness. */
export interface LiveCall {
  step: string;
  args: unknown;
  stage: string | null;
  branch: string | null;
}

/** A recorded `sh`. */
export interface LiveSh {
  script: string;
  returnStatus: boolean;
  returnStdout: boolean;
  env: Record<string, string>;
  buildEnv: Record<string, string>;
  credentials: string[];
  container: string | null;
}

/** What a live run left: the calls, the console log, and the error the pipeline ended with (null when it passed). */
export interface LiveRun {
  calls: LiveCall[];
  log: string;
  error: string | null;
}

/** What a live run needs: a work directory (its workspace is `work/workspace`), the agent's and the build's env. */
export interface LiveSetup {
  work: string;
  base: Record<string, string>;
  env: Record<string, string>;
  credentials?: Record<string, Record<string, string>>;
  /** The withDockerContainer stand-in leaves its containers behind, as when the agent was lost. */
  loseContainers?: boolean;
}

/** Runs `pipeline` (Groovy text) in the harness, live; resolves when the pipeline ended, passed or not. */
export async function runLive(pipeline: string, setup: LiveSetup): Promise<LiveRun> {
  const workspace = join(setup.work, 'workspace');
  mkdirSync(workspace, { recursive: true });
  const file = join(setup.work, `pipeline-${Math.random().toString(36).slice(2)}.groovy`);
  const out = `${file}.json`;
  const setupFile = `${file}.setup.json`;
  writeFileSync(file, pipeline);
  writeFileSync(setupFile, JSON.stringify({ workspace, base: setup.base, env: setup.env, credentials: setup.credentials ?? {}, loseContainers: setup.loseContainers ?? false }));
  const result = await execa('groovy', ['-cp', 'src:test/groovy/stubs:test/groovy/sandbox:test/groovy/harness', 'test/groovy/run-live.groovy', file, out, setupFile], {
    cwd: root,
    stdin: 'ignore',
    reject: false,
    all: true,
  });
  if (result.exitCode !== 0) throw new Error(`run-live.groovy failed:\n${result.all}`);
  return JSON.parse(readFileSync(out, 'utf8')) as LiveRun;
}

/** The recorded `sh` calls of a run. */
export function shCalls(run: LiveRun): LiveSh[] {
  return run.calls.filter((c) => c.step === 'sh').map((c) => c.args as LiveSh);
}
