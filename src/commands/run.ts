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
  const stopping = new AbortController();
  const startAbort = (signal: NodeJS.Signals, running: RunningDocker): Promise<number> => {
    const code = signalExitCode(deps.signalNumber(signal));
    // Whatever the clean-up meets (an engine gone or hung meanwhile), the exit code says the run was aborted; the
    // unreleased reaper retries the removal after whalekeeper exits.
    return abort(signal, running, { docker, output, globalArgs, filter, grace }).then(
      () => code,
      (error: unknown) => {
        output.emit({ type: 'warning', message: `could not remove the container after ${signal}: ${(error as Error).message ?? String(error)}` });
        return code;
      },
    );
  };
  const unhook = deps.onAbort((signal) => {
    signalled = signal;
    stopping.abort();
    if (child) aborting = startAbort(signal, child);
  });

  // A real request, bounded: an engine that accepts connections and never answers fails here, not in `docker run`.
  const unreachable = await deps.probe(settings.engine, { timeoutSeconds: settings.engineTimeoutSeconds, signal: stopping.signal });
  if (signalled) {
    // Aborted before anything started: nothing to stop or remove.
    unhook();
    return signalExitCode(deps.signalNumber(signalled));
  }
  if (unreachable !== undefined) {
    unhook();
    throw new EngineUnreachableError(settings.engine.host, unreachable, { exitCode: EXIT.dockerFailed });
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
  // The reaper keeps watching while this client lives: it may create the container after whalekeeper died.
  reaper.watch(child.pid);
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

/**
 * Seconds the clean-up may take beyond the grace (`docker stop --time` waits that long, then kills), so that whalekeeper
 * always exits within the grace + 2 s: what is left then (an engine that stopped answering) is the reaper's.
 */
const ABORT_MARGIN_SECONDS = 1;

/** Milliseconds the docker client gets to end after SIGTERM, before SIGKILL. */
const CLIENT_END_MS = 500;

/**
 * Stops the run's container within the grace, removes it, and ends the docker client, all within the grace plus
 * ABORT_MARGIN_SECONDS plus CLIENT_END_MS: past that the docker calls are killed and the error says so.
 */
async function abort(
  signal: NodeJS.Signals,
  child: { exited: Promise<Exit>; kill(signal: NodeJS.Signals): void },
  ctx: { docker: DockerCli; output: Output; globalArgs: readonly string[]; filter: string; grace: number },
): Promise<void> {
  const deadline = new AbortController();
  const bound = ctx.grace + ABORT_MARGIN_SECONDS;
  const timer = setTimeout(() => deadline.abort(), bound * 1000);
  let removed: number | undefined;
  let failure: unknown;
  try {
    removed = await stopAndRemove(signal, { ...ctx, signal: deadline.signal });
  } catch (error) {
    failure = deadline.signal.aborted ? new Error(`the engine did not finish within ${bound} s; the reaper removes what is left`) : error;
  } finally {
    clearTimeout(timer);
  }
  // A client that could not see its container end (a hung engine) is killed at once; otherwise it gets a moment.
  child.kill(failure === undefined ? 'SIGTERM' : 'SIGKILL');
  const kill = setTimeout(() => child.kill('SIGKILL'), CLIENT_END_MS);
  await child.exited;
  clearTimeout(kill);
  if (failure !== undefined) throw failure;
  ctx.output.emit({ type: 'abort-done', signal, removed: removed ?? 0 });
}

/** Lists the run's containers, stops them within the grace and removes them; resolves with how many went. */
async function stopAndRemove(
  signal: NodeJS.Signals,
  ctx: { docker: DockerCli; output: Output; globalArgs: readonly string[]; filter: string; grace: number; signal: AbortSignal },
): Promise<number> {
  const { docker, globalArgs, filter } = ctx;
  const options = { signal: ctx.signal };
  const listed = await docker.capture([...globalArgs, 'ps', '-aq', '--filter', filter], options);
  const ids = listed.stdout.split('\n').filter((id) => id !== '');
  ctx.output.emit({ type: 'abort', signal, graceSeconds: ctx.grace, containers: ids.length });
  if (ids.length > 0) {
    await docker.capture([...globalArgs, 'stop', '--time', String(ctx.grace), ...ids], options);
    // `--rm` removes it once stopped; `rm -f` covers a container that never started (and is harmless otherwise).
    await docker.capture([...globalArgs, 'rm', '-f', '-v', ...ids], options);
  }
  const left = await docker.capture([...globalArgs, 'ps', '-aq', '--filter', filter], options);
  return ids.length - left.stdout.split('\n').filter((id) => id !== '').length;
}
