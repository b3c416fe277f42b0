// The full CLI (every command but `run`'s fast path), built as its own bundle and loaded only when needed.
import { splitArgv } from '../core/argv.js';
import type { Invocation } from './context.js';
import { runCli } from './parser.js';
import { reportError } from './report-error.js';

/** Runs any command through yargs; errors are mapped to exit codes here, by this bundle's own error classes. */
export async function runFullCli(argv: readonly string[], invocation: Invocation): Promise<number> {
  try {
    return await runCli(splitArgv(argv, invocation.env), invocation);
  } catch (error) {
    return reportError(error, invocation, argv);
  }
}
