// The dead-man's switch of `whalekeeper run`: a tiny process that outlives whalekeeper and removes the container
// if whalekeeper dies without saying it is done (SIGKILL, OOM, Jenkins' cookie kill of the whole build).
import { spawn } from 'node:child_process';

/**
 * The reaper, a constant script: no value is ever spliced into it; docker, the filter and the global options
 * arrive as positional parameters. It waits for a line on stdin. `done` means whalekeeper finished normally.
 * End of file without it means whalekeeper died: remove every container with the run's label, and keep looking
 * until three rounds in a row find none (a container may still be in creation when its client dies).
 */
export const REAPER_SCRIPT = `trap '' INT HUP TERM
set -f
IFS= read -r word
[ "$word" = done ] && exit 0
docker=$1; filter=$2; shift 2
empty=0
while [ "$empty" -lt 3 ]; do
  ids=$("$docker" "$@" ps -aq --filter "$filter" 2>/dev/null)
  if [ -n "$ids" ]; then
    empty=0
    "$docker" "$@" rm -f -v $ids >/dev/null 2>&1
  else
    empty=$((empty + 1))
  fi
  sleep 1
done`;

/**
 * Variables the reaper keeps: what the docker client needs, nothing else. Above all not Jenkins' process cookies
 * (JENKINS_NODE_COOKIE, JENKINS_SERVER_COOKIE, BUILD_ID): Jenkins kills every process carrying them on abort,
 * and the reaper must survive that kill to do its job.
 */
const REAPER_ENV = ['PATH', 'HOME', 'USER', 'DOCKER_HOST', 'DOCKER_TLS', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_CONTEXT',
  'DOCKER_CONFIG', 'DOCKER_API_VERSION', 'SSH_AUTH_SOCK', 'XDG_RUNTIME_DIR'];

/** The reaper's environment: the allow-listed variables of `env`. */
export function reaperEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const name of REAPER_ENV) if (env[name] !== undefined) out[name] = env[name];
  return out;
}

/** A started reaper. */
export interface Reaper {
  /** Tells the reaper the run ended normally; it exits without touching anything. */
  release(): Promise<void>;
}

/** Starts reapers. */
export type StartReaper = (input: { docker: string; filter: string; globalArgs: readonly string[] }) => Reaper;

/**
 * Starts the reaper detached twice over: in its own session (a signal to whalekeeper's process group misses it) and
 * re-parented to init by a launcher that exits at once. Jenkins' abort kills the cookie carriers *and their
 * children* (ProcessTree.killRecursively, by parent pid): a reaper still parented by whalekeeper would die with it.
 * The pipe is the launcher's fd 3, not its stdin: Node destroys a child's stdin stream when the child exits, which
 * would close the pipe the moment the launcher is done; it leaves other stdio pipes open. The launcher hands fd 3 to
 * the reaper as its stdin (explicitly: a background job's stdin is /dev/null otherwise).
 */
export const LAUNCHER_SCRIPT = `reaper=$1; shift
/bin/sh -c "$reaper" whalekeeper-reaper "$@" <&3 3<&- >/dev/null 2>&1 &`;

/** Starts the reaper with a trimmed env; returns its handle at once. */
export function createReaperStarter(env: NodeJS.ProcessEnv): StartReaper {
  return ({ docker, filter, globalArgs }) => {
    const child = spawn('/bin/sh', ['-c', LAUNCHER_SCRIPT, 'whalekeeper-reaper-launcher', REAPER_SCRIPT, docker, filter, ...globalArgs], {
      detached: true,
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
      env: reaperEnv(env),
    });
    child.on('error', () => {
      // A reaper that cannot start leaves `--rm` and the labels (for `clean`) as the safety net.
    });
    child.unref();
    const pipe = child.stdio[3] as import('node:stream').Writable & { unref?: () => void };
    pipe.on('error', () => {});
    pipe.unref?.();
    return {
      release: () => new Promise<void>((resolve) => pipe.end('done\n', () => resolve())),
    };
  };
}
