// The exit codes whalekeeper documents. They are part of the interface: --help and README quote this table.

/** Exit codes shared by every command, with the sentence --help prints for each. */
export const EXIT = {
  ok: 0,
  /** A check failed: a threshold breached, a replica on another build, some removals failed. */
  failed: 1,
  usage: 2,
  /** The Docker engine (or, for verify, a replica) could not be reached or read. */
  unreachable: 3,
  /** The engine answered but refuses the Engine API version whalekeeper speaks (too old, too new). */
  apiVersion: 4,
  /** The disk could not be measured (no helper image, no mount) where a decision needed it: `disk --fail`, `clean --target/--high`. */
  notMeasured: 5,
  /** A file whalekeeper writes (metrics, report, shim) could not be written (`audit --fix` reports its files and goes on). */
  ioError: 74,
  /** An unexpected error: a bug in whalekeeper. */
  internal: 70,
  /** `run` and `build` only, as docker's own: docker itself failed or refused the arguments. */
  dockerFailed: 125,
  /** `run` only, as docker's: the container command could not be invoked. */
  cannotInvoke: 126,
  /** `run` only, as docker's: the container command (or the docker client itself) was not found. */
  notFound: 127,
} as const;

/** The exit code of a process ended by a signal, as shells report it: 128 + the signal's number. */
export function signalExitCode(signalNumber: number): number {
  return 128 + signalNumber;
}

/** The lines `whalekeeper --help` and the README show for the exit codes of `run`. */
export const RUN_EXIT_CODES_HELP = [
  'Exit codes (those of `docker run`):',
  '  N    the container exited with N',
  '  125  docker run itself failed, or whalekeeper refused the arguments (--rm=false, --restart) or its own',
  '       options (before run), or the engine could not be reached or did not answer within --engine-timeout',
  '  126  the container command cannot be invoked',
  '  127  the container command, or the docker client, was not found (126: the client cannot be executed)',
  '  130, 143, 129  aborted by SIGINT, SIGTERM or SIGHUP; the container was stopped and removed',
].join('\n');

/** The lines --help shows for the exit codes of every other command. */
export const COMMON_EXIT_CODES_HELP = [
  'Exit codes:',
  '  0   done',
  '  1   a check failed (see the command)',
  '  2   usage error: a flag or value was wrong',
  '  3   the Docker engine could not be reached (no answer), answered with an error, or was lost midway',
  '  4   the engine answered but refuses the Engine API version whalekeeper speaks (see DOCKER_API_VERSION)',
  '  5   disk --fail, clean --target/--high: the disk could not be measured (never read as fine)',
  '  74  a file whalekeeper writes could not be written (a one-line reason names it)',
  '  70  internal error: a bug in whalekeeper, please report it',
].join('\n');
