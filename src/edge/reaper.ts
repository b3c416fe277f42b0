// The dead-man's switch of `whalekeeper run`: a tiny process that outlives whalekeeper and removes the container
// if whalekeeper dies without saying it is done (SIGKILL, OOM, Jenkins' cookie kill of the whole build).
import { spawn } from 'node:child_process';

/**
 * The reaper, a constant script: no value is ever spliced into it; docker, the filter and the global options
 * arrive as positional parameters. It waits for a line on stdin. `done` means whalekeeper finished normally.
 * End of file without it means whalekeeper died: remove every container with the run's label, and keep looking
 * until three rounds in a row find none (a container may still be in creation when its client dies).
 */
export const REAPER_SCRIPT = `trap '' INT HUP
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
const REAPER_ENV = ['PATH', 'HOME', 'USER', 'DOCKER_HOST', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_CONTEXT',
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

/** Starts the reaper in its own session (so a signal to whalekeeper's process group misses it), with a trimmed env. */
export function createReaperStarter(env: NodeJS.ProcessEnv): StartReaper {
  return ({ docker, filter, globalArgs }) => {
    const child = spawn('/bin/sh', ['-c', REAPER_SCRIPT, 'whalekeeper-reaper', docker, filter, ...globalArgs], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
      env: reaperEnv(env),
    });
    child.on('error', () => {
      // A reaper that cannot start leaves `--rm` and the labels (for `clean`) as the safety net.
    });
    child.unref();
    const stdin = child.stdin!;
    stdin.on('error', () => {});
    (stdin as unknown as { unref?: () => void }).unref?.();
    return {
      release: () => new Promise<void>((resolve) => stdin.end('done\n', () => resolve())),
    };
  };
}
