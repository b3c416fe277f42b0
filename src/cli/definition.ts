// The shape of a command as the CLI knows it: help and options for yargs, and a handler loaded only when it runs.
import type { Argv } from 'yargs';
import type { CommandContext } from './context.js';

/** One whalekeeper command. Keep definitions light: handlers import their modules lazily, so start-up stays small. */
export interface CommandDefinition {
  /** The yargs command string, e.g. `verify <urls..>`. */
  readonly command: string;
  readonly describe: string;
  /** True when everything after the command word belongs to docker (`run`, `build`): yargs never parses it. */
  readonly passthrough?: boolean;
  readonly builder: (yargs: Argv) => Argv;
  /** Runs the command; resolves with the exit code. `argv` holds what yargs parsed for non-pass-through commands. */
  readonly handler: (argv: Readonly<Record<string, unknown>>, ctx: CommandContext) => Promise<number>;
}
