// `whalekeeper run`: docker run with --rm, ownership labels, and removal of the container however the run ends.
import { EngineUnreachableError } from '../core/errors.js';
import type { Output } from '../core/events.js';
import { EXIT, signalExitCode } from '../core/exit-codes.js';
import { runFilter } from '../core/labels.js';
import { planRun } from '../core/run-args.js';
import type { GlobalSettings } from '../core/settings.js';
import type { DockerCli, Exit } from '../edge/docker-cli.js';
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

/** Global options the docker client must be given to reach the same engine as whalekeeper. */
export function clientGlobalArgs(settings: GlobalSettings): string[] {
  return settings.engine.passToClient ? ['--host', settings.engine.host] : [];
}

/** Runs the container; resolves with the exit code whalekeeper must end with. */
export async function run(args: readonly string[], deps: RunDeps): Promise<number> {
  const { settings, output, docker } = deps;
  const plan = planRun(args, { runId: deps.newRunId(), build: settings.build?.id, version: deps.version });
  const unreachable = await deps.probe(settings.engine);
  if (unreachable !== undefined) {
    throw new EngineUnreachableError(settings.engine.host, unreachable, { exitCode: EXIT.dockerFailed });
  }
  const globalArgs = clientGlobalArgs(settings);
  const filter = runFilter(plan.runId);
  // Started before the container: from here on, whatever kills whalekeeper, the container is removed.
  const reaper = deps.startReaper({ docker: settings.dockerBinary, filter, globalArgs });
  const argv = [...globalArgs, ...plan.dockerArgs];
  if (settings.verbose) output.emit({ type: 'docker-command', argv });

  let child;
  try {
    child = await docker.passthrough(argv);
  } catch (error) {
    await reaper.release();
    throw error;
  }

  let aborting: Promise<number> | undefined;
  const unhook = deps.onAbort((signal) => {
    const code = signalExitCode(deps.signalNumber(signal));
    // Whatever the clean-up meets (an engine gone meanwhile), the exit code says the run was aborted; the
    // unreleased reaper retries the removal after whalekeeper exits.
    aborting = abort(signal, child, { docker, output, globalArgs, filter, grace: settings.stopTimeoutSeconds }).then(
      () => code,
      (error: unknown) => {
        output.emit({ type: 'warning', message: `could not remove the container after ${signal}: ${String(error)}` });
        return code;
      },
    );
  });
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

/** The exit code of the docker client, as a shell would report it. */
export function exitCodeOf(exit: Exit, signalNumber: (signal: string) => number): number {
  if (exit.code !== null) return exit.code;
  return exit.signal ? signalExitCode(signalNumber(exit.signal)) : EXIT.dockerFailed;
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
