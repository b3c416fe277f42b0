// `whalekeeper run` argv → the `docker run` argv: `--rm` always, ownership labels, refusals for what leaves a container behind.
import { RUN_OPTIONS, longOfShort } from './docker-run-options.js';
import { RunRefusedError, UsageError } from './errors.js';
import { EXIT } from './exit-codes.js';
import { runLabels } from './labels.js';
import { FlagSyntaxError, parseBool, parseFlags, type FlagTable, type ParsedArgs } from './pflag.js';

/** The `docker run` options table in the form the flag reader takes. */
export const RUN_FLAG_TABLE: FlagTable = {
  byLong: (name) => RUN_OPTIONS.get(name),
  byShort: (letter) => {
    const long = longOfShort(letter);
    return long === undefined ? undefined : RUN_OPTIONS.get(long);
  },
};

/** What whalekeeper will run, decided before anything runs. */
export interface RunPlan {
  /** The docker client argv, starting with `run`. */
  readonly dockerArgs: readonly string[];
  readonly runId: string;
  readonly image: string;
  /** `-d`: docker prints the id and returns while the container keeps running (removed by `--rm` when it stops). */
  readonly detached: boolean;
}

/** Reads `docker run` options; a flag docker would reject is a usage error with docker's exit code. */
export function parseRunArgs(args: readonly string[]): ParsedArgs {
  try {
    return parseFlags(args, RUN_FLAG_TABLE);
  } catch (error) {
    if (error instanceof FlagSyntaxError) {
      throw new UsageError(`docker run: ${error.message}`, { exitCode: EXIT.dockerFailed, hint: 'see `docker run --help`' });
    }
    throw error;
  }
}

/** True when `args` ask `run` for its own help rather than to run something. */
export function isRunHelp(args: readonly string[]): boolean {
  try {
    return parseFlags(args, RUN_FLAG_TABLE).flags.some((f) => f.long === 'help' && parseBool(f.value) === true);
  } catch {
    return false;
  }
}

/** Plans a `docker run`: refuses `--rm=false` and `--restart` policies, adds `--rm` and the labels after the user's options. */
export function planRun(args: readonly string[], context: { runId: string; build: string | undefined; version: string; scope?: string | undefined }): RunPlan {
  const parsed = parseRunArgs(args);
  for (const flag of parsed.flags) {
    if (flag.long === 'rm') {
      const value = parseBool(flag.value);
      if (value === false) {
        throw new RunRefusedError(`refused \`--rm=${flag.value}\`: whalekeeper run always removes the container`, {
          hint: 'drop the flag; to keep a container for debugging, use plain `docker run`',
        });
      }
      if (value === undefined) throw new UsageError(`invalid value \`${flag.value}\` for --rm`, { exitCode: EXIT.dockerFailed });
    }
    if (flag.long === 'restart' && flag.value !== 'no') {
      throw new RunRefusedError(`refused \`--restart ${flag.value}\`: a restarting container is never removed`, {
        hint: 'run long-lived services outside whalekeeper run, or use `--restart no`',
      });
    }
  }
  const image = args[parsed.positionalIndex];
  if (image === undefined) {
    throw new UsageError('docker run: requires at least 1 argument (the image)', {
      exitCode: EXIT.dockerFailed,
      hint: 'usage: whalekeeper run [docker run options] IMAGE [COMMAND] [ARG...]',
    });
  }
  const detached = parsed.flags.some((f) => f.long === 'detach' && parseBool(f.value) === true);
  const added = ['--rm', ...runLabels(context).flatMap((label) => ['--label', label])];
  // Ours go last among the options, right before the image (and its `--`, if any): a later --label wins over an
  // earlier one and over --label-file, so a user's `--label whalekeeper.run=…` can never hide the container from
  // the reaper and the abort handler.
  const at = args[parsed.positionalIndex - 1] === '--' ? parsed.positionalIndex - 1 : parsed.positionalIndex;
  return {
    dockerArgs: ['run', ...args.slice(0, at), ...added, ...args.slice(at)],
    runId: context.runId,
    image,
    detached,
  };
}
