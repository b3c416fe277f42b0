// The one place errors become exit codes: expected errors print their story, anything else is reported as a bug.
import { WhalekeeperError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import { maskDockerArgv } from '../core/mask-docker.js';
import { createOutput } from '../render/output.js';
import { VERSION } from '../version.js';
import type { Invocation } from './context.js';

/** Prints the error (masked) and returns its exit code: the error's own, 2 for a parser's usage error, 70 for a bug. */
export async function reportError(error: unknown, invocation: Invocation, argv: readonly string[]): Promise<number> {
  const json = /^(1|true|yes)$/i.test(invocation.env.WHALEKEEPER_JSON ?? '') || argv.includes('--json');
  const output = await createOutput({ json, streams: invocation.streams, env: invocation.env });
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
      `  command: whalekeeper ${maskDockerArgv(argv).join(' ')}`,
      `  ${stack.split('\n').join('\n  ')}`,
    ].join('\n'),
  });
  return EXIT.internal;
}
