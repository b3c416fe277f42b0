// The dead-man's switch of `whalekeeper run`: a tiny process that outlives whalekeeper and removes the container
// if whalekeeper dies without saying it is done (SIGKILL, OOM, Jenkins' cookie kill of the whole build).
import { spawn } from 'node:child_process';

/**
 * The reaper, a constant script: no value is ever spliced into it; docker, the filter, the mode and the global options
 * arrive as positional parameters. It reads lines on stdin: `pid N` names a docker client of the run, `done` means
 * whalekeeper finished normally (the reaper exits without touching anything). End of file without `done` means
 * whalekeeper died, or gave up a clean-up it could not finish in time. Then:
 * - `run` mode: it removes every container with the run's label, for as long as a client of the run is alive (a slow
 *   pull may still end in a `create`) and until three rounds in a row after the last client ended find none. An engine
 *   that stays unreadable for 60 rounds after the clients ended is given up on (`clean` finds what the labels mark).
 * - `build` mode: it ends the build's clients (SIGTERM, SIGKILL 10 s later): the engine cancels a build whose client
 *   is gone and removes its intermediate container (moby's classic builder, builder/dockerfile/containerbackend.go;
 *   BuildKit ends the solve with its session). No filter: those containers carry no label of ours.
 * A client is alive while `kill -0` reaches it and /proc (where there is one) does not show it a zombie.
 */
export const REAPER_SCRIPT = `trap '' INT HUP TERM
set -f
docker=$1; filter=$2; mode=$3; shift 3
pids=
while IFS= read -r line; do
  case $line in
    done) exit 0 ;;
    "pid "*) pids="$pids \${line#pid }" ;;
  esac
done
alive=
check_clients() {
  alive=
  for pid in $pids; do
    kill -0 "$pid" 2>/dev/null || continue
    stat=
    { IFS= read -r stat < "/proc/$pid/stat"; } 2>/dev/null
    case \${stat##*) } in Z*) continue ;; esac
    alive="$alive $pid"
  done
  pids=$alive
}
check_clients
if [ "$mode" = build ]; then
  [ -n "$alive" ] && kill -TERM $alive 2>/dev/null
  rounds=0
  while check_clients; [ -n "$alive" ]; do
    rounds=$((rounds + 1))
    [ "$rounds" -eq 10 ] && kill -KILL $alive 2>/dev/null
    sleep 1
  done
  exit 0
fi
empty=0; failed=0
while :; do
  check_clients
  if ids=$("$docker" "$@" ps -aq --filter "$filter" 2>/dev/null); then
    if [ -n "$ids" ]; then
      empty=0
      "$docker" "$@" rm -f -v $ids >/dev/null 2>&1
    else
      empty=$((empty + 1))
    fi
    failed=0
  else
    failed=$((failed + 1))
  fi
  if [ -n "$alive" ]; then
    empty=0; failed=0
  else
    [ "$empty" -ge 3 ] && exit 0
    [ "$failed" -ge 60 ] && exit 0
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
  /** Names a docker client of the run: the reaper watches for as long as it lives. */
  watch(pid: number): void;
  /** Tells the reaper the run ended normally; it exits without touching anything. */
  release(): Promise<void>;
}

/** Starts reapers. */
export type StartReaper = (input: { docker: string; filter: string; globalArgs: readonly string[]; mode?: 'run' | 'build' }) => Reaper;

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
  return ({ docker, filter, globalArgs, mode = 'run' }) => {
    const child = spawn('/bin/sh', ['-c', LAUNCHER_SCRIPT, 'whalekeeper-reaper-launcher', REAPER_SCRIPT, docker, filter, mode, ...globalArgs], {
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
      watch: (pid) => void pipe.write(`pid ${pid}\n`),
      release: () => new Promise<void>((resolve) => pipe.end('done\n', () => resolve())),
    };
  };
}
