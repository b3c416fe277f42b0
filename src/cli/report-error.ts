// The one place errors become exit codes: expected errors print their story, anything else is reported as a bug.
import { UsageError, WhalekeeperError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import { commandWord, splitArgv, type SplitArgv } from '../core/argv.js';
import { displayArgv } from '../core/mask.js';
import { maskDockerArgv } from '../core/mask-docker.js';
import { BASE_RENDERERS } from '../render/base.js';
import { createOutput } from '../render/output.js';
import { VERSION } from '../version.js';
import type { Invocation } from './context.js';

/** Prints the error (masked) and returns its exit code: the error's own, 2 for a parser's usage error, 70 for a bug. */
export async function reportError(thrown: unknown, invocation: Invocation, argv: readonly string[]): Promise<number> {
  const error = forRun(thrown, argv, invocation);
  const split = safeSplit(argv, invocation);
  const json = split?.flags.json === true || (split?.flags.json === undefined && /^(1|true|yes)$/i.test(invocation.env.WHALEKEEPER_JSON ?? ''));
  const output = await createOutput({ json, streams: invocation.streams, env: invocation.env, renderers: BASE_RENDERERS });
  if (error instanceof WhalekeeperError) {
    output.emit({ type: 'error', message: error.message, hint: error.hint, exitCode: error.exitCode, detail: undefined });
    return error.exitCode;
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  output.emit({
    type: 'error',
    message: `internal error: this is a bug in whalekeeper, please report it with the lines below`,
    hint: undefined,
    exitCode: EXIT.internal,
    detail: [
      `  whalekeeper ${VERSION}, node ${process.version}, ${process.platform}-${process.arch}`,
      `  command: ${describeCommand(split)}`,
      `  ${stack.split('\n').join('\n  ')}`,
    ].join('\n'),
  });
  return EXIT.internal;
}

/**
 * `run`'s own usage errors (a bad or unknown whalekeeper option, an unknown DOCKER_CONTEXT, an engine address docker
 * cannot parse) exit 125 as docker run's do: a 2 would read as the container's own exit 2. Mapped here, the one place
 * every path (run's bundle, the full CLI, yargs' own errors) reports through.
 */
function forRun(error: unknown, argv: readonly string[], invocation: Invocation): unknown {
  if (!(error instanceof UsageError) || error.exitCode !== EXIT.usage) return error;
  if (commandWord(argv, invocation.env) !== 'run') return error;
  return new UsageError(error.message, { hint: error.hint, cause: error, exitCode: EXIT.dockerFailed });
}

function safeSplit(argv: readonly string[], invocation: Invocation): SplitArgv | undefined {
  try {
    return splitArgv(argv, invocation.env);
  } catch {
    return undefined;
  }
}

/**
 * The command line for a bug report: docker's arguments with secrets masked for `run` and `build`; for any other
 * command only its name, since its arguments (verify's headers, URLs with credentials) may hold secrets no table knows.
 */
function describeCommand(split: SplitArgv | undefined): string {
  if (split?.command === undefined) return 'whalekeeper (arguments not shown)';
  if (split.command === 'run' || split.command === 'build') {
    return `whalekeeper ${displayArgv(maskDockerArgv([split.command, ...split.rest]))}`;
  }
  return `whalekeeper ${split.command} (${split.rest.length} arguments, not shown: they may hold secrets)`;
}
