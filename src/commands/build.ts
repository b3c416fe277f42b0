// `whalekeeper build`: docker build with the build number as a build arg, OCI and ownership labels, and a warning
// when the Dockerfile would not let the number in. Docker's output is streamed untouched; its status is ours.
import { planBuild, type BuildStamp } from '../core/build-args.js';
import { BUILD_NUMBER_LINES, checkBuildNumberArg } from '../core/dockerfile-check.js';
import type { Output } from '../core/events.js';
import { signalExitCode } from '../core/exit-codes.js';
import { clientGlobalArgs, type GlobalSettings } from '../core/settings.js';
import { exitCodeOf, type DockerCli } from '../edge/docker-cli.js';
import type { ReadDockerfile } from '../edge/dockerfile.js';
import type { StartReaper } from '../edge/reaper.js';

/** What `build` needs from the outside world, passed in by its composition root. */
export interface BuildDeps {
  readonly settings: GlobalSettings;
  readonly output: Output;
  readonly docker: DockerCli;
  readonly readDockerfile: ReadDockerfile;
  readonly startReaper: StartReaper;
  readonly stamp: BuildStamp;
  readonly cwd: string;
  readonly onAbort: (handler: (signal: NodeJS.Signals) => void) => () => void;
  readonly signalNumber: (signal: string) => number;
}

/** Runs the build; resolves with docker build's exit code. */
export async function build(args: readonly string[], deps: BuildDeps): Promise<number> {
  const { settings, output, stamp } = deps;
  const plan = planBuild(args, stamp, deps.cwd);
  if (plan.dockerfile.kind === 'file') {
    const text = await deps.readDockerfile(plan.dockerfile.path);
    // An unreadable Dockerfile is docker's to report; the check only ever warns.
    const declaration = text === undefined ? 'declared' : checkBuildNumberArg(text, plan.target);
    if (declaration !== 'declared') {
      output.emit({
        type: 'build-number-undeclared',
        dockerfile: plan.dockerfile.path,
        declaration,
        target: plan.target,
        buildNumber: stamp.buildNumber,
        lines: BUILD_NUMBER_LINES,
      });
    }
  }
  const argv = [...clientGlobalArgs(settings), ...plan.dockerArgs];
  if (settings.verbose) output.emit({ type: 'docker-command', argv });

  // Whatever kills whalekeeper, the build does not go on without it: the reaper ends its docker client, and the engine
  // then cancels the build and removes the intermediate container of the step that was running.
  const reaper = deps.startReaper({ docker: settings.dockerBinary, filter: '', globalArgs: [], mode: 'build' });
  let child;
  try {
    child = await deps.docker.passthrough(argv);
  } catch (error) {
    await reaper.release();
    throw error;
  }
  reaper.watch(child.pid);
  // An abort signal is passed on (the engine cancels the build when its client ends) and docker's ending is ours.
  // A client that does not end within the grace (an engine that stopped answering) is killed: whalekeeper exits within
  // --stop-timeout + 2 s, as `run` does.
  let aborted: NodeJS.Signals | undefined;
  let kill: NodeJS.Timeout | undefined;
  const unhook = deps.onAbort((signal) => {
    aborted = signal;
    child.kill(signal);
    kill = setTimeout(() => child.kill('SIGKILL'), (settings.stopTimeoutSeconds + 1) * 1000);
  });
  const exit = await child.exited;
  clearTimeout(kill);
  unhook();
  await reaper.release();
  // Aborted is aborted, whether docker died of the signal or exited on it: the pipeline must see 128+signal.
  if (aborted !== undefined) return signalExitCode(deps.signalNumber(aborted));
  return exitCodeOf(exit, deps.signalNumber);
}
