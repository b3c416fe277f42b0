// `whalekeeper run`: docker run with --rm, ownership labels, and removal of the container however the run ends.
import { EngineUnreachableError } from '../core/errors.js';
import type { Output } from '../core/events.js';
import { EXIT, signalExitCode } from '../core/exit-codes.js';
import { runFilter } from '../core/labels.js';
import { planRun } from '../core/run-args.js';
import { clientGlobalArgs, type GlobalSettings } from '../core/settings.js';
import { exitCodeOf, type DockerCli, type Exit, type RunningDocker } from '../edge/docker-cli.js';
import type { EngineProbe } from '../edge/engine-probe.js';
import type { StartReaper } from '../edge/reaper.js';

/** What `run` needs from the outside world, passed in by its composition root. */
export interface RunDeps {
  readonly settings: GlobalSettings;
  readonly output: Output;
  readonly docker: DockerCli;
  readonly probe: EngineProbe;
  readonly startReaper: StartReaper;
  readonly onAbort: (handler: (signal: NodeJS.Signals) => void) => () => void;
  readonly signalNumber: (signal: string) => number;
  readonly newRunId: () => string;
  readonly version: string;
}

/** Runs the container; resolves with the exit code whalekeeper must end with. */
export async function run(args: readonly string[], deps: RunDeps): Promise<number> {
  const { settings, output, docker } = deps;
  const plan = planRun(args, { runId: deps.newRunId(), build: settings.build?.id, version: deps.version, scope: settings.scope });
  const globalArgs = clientGlobalArgs(settings);
  const filter = runFilter(plan.runId);
  const grace = settings.stopTimeoutSeconds;

  // Hooked before anything starts, so that no signal finds Node's default action (dying without a clean-up).
  let signalled: NodeJS.Signals | undefined;
  let aborting: Promise<number> | undefined;
  let child: RunningDocker | undefined;
  const startAbort = (signal: NodeJS.Signals, running: RunningDocker): Promise<number> => {
    const code = signalExitCode(deps.signalNumber(signal));
    // Whatever the clean-up meets (an engine gone meanwhile), the exit code says the run was aborted; the
    // unreleased reaper retries the removal after whalekeeper exits.
    return abort(signal, running, { docker, output, globalArgs, filter, grace }).then(
      () => code,
      (error: unknown) => {
        output.emit({ type: 'warning', message: `could not remove the container after ${signal}: ${String(error)}` });
        return code;
      },
    );
  };
  const unhook = deps.onAbort((signal) => {
    signalled = signal;
    if (child) aborting = startAbort(signal, child);
  });

  const unreachable = await deps.probe(settings.engine);
  if (unreachable !== undefined) {
    unhook();
    throw new EngineUnreachableError(settings.engine.host, unreachable, { exitCode: EXIT.dockerFailed });
  }
  if (signalled) {
    // Aborted before anything started: nothing to stop or remove.
    unhook();
    return signalExitCode(deps.signalNumber(signalled));
  }
  // Started before the container: from here on, whatever kills whalekeeper, the container is removed.
  const reaper = deps.startReaper({ docker: settings.dockerBinary, filter, globalArgs });
  const argv = [...globalArgs, ...plan.dockerArgs];
  if (settings.verbose) output.emit({ type: 'docker-command', argv });
  try {
    child = await docker.passthrough(argv);
  } catch (error) {
    unhook();
    await reaper.release();
    throw error;
  }
  if (signalled && !aborting) aborting = startAbort(signalled, child);

  const exit = await child.exited;
  if (aborting) {
    // The reaper is not released: when whalekeeper exits it sweeps once more, for a container still in creation.
    return await aborting;
  }
  unhook();
  // A docker client that exited with a code saw its container end (`--rm` removes it) or detach on purpose (`-d`).
  // One killed by a signal left its container running: the unreleased reaper removes it once whalekeeper exits.
  if (exit.code !== null) await reaper.release();
  return exitCodeOf(exit, deps.signalNumber);
}

/** Stops the run's container within the grace, removes it, and ends the docker client. */
async function abort(
  signal: NodeJS.Signals,
  child: { exited: Promise<Exit>; kill(signal: NodeJS.Signals): void },
  ctx: { docker: DockerCli; output: Output; globalArgs: readonly string[]; filter: string; grace: number },
): Promise<void> {
  const { docker, globalArgs, filter } = ctx;
  const listed = await docker.capture([...globalArgs, 'ps', '-aq', '--filter', filter]);
  const ids = listed.stdout.split('\n').filter((id) => id !== '');
  ctx.output.emit({ type: 'abort', signal, graceSeconds: ctx.grace, containers: ids.length });
  if (ids.length > 0) {
    await docker.capture([...globalArgs, 'stop', '--time', String(ctx.grace), ...ids]);
    // `--rm` removes it once stopped; `rm -f` covers a container that never started (and is harmless otherwise).
    await docker.capture([...globalArgs, 'rm', '-f', '-v', ...ids]);
  }
  const left = await docker.capture([...globalArgs, 'ps', '-aq', '--filter', filter]);
  const remaining = left.stdout.split('\n').filter((id) => id !== '').length;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 1000);
  await child.exited;
  clearTimeout(timer);
  ctx.output.emit({ type: 'abort-done', signal, removed: ids.length - remaining });
}
