// A command without yargs: the main function of its own bundle (dist/commands/<name>.js, built from cli/bundles/).
// Its options are read by the fast parser from the table its yargs builder declares; help, and anything the fast parser
// cannot read with certainty, go to the full CLI (yargs) instead, so what a user sees stays yargs'.
import type { SplitArgv } from '../core/argv.js';
import type { Renderers } from '../render/base.js';
import type { Invocation } from './context.js';
import type { CommandDefinition } from './definition.js';
import { fastParse } from './fast-parse.js';
import { optionTable } from './option-table.js';
import { reportError } from './report-error.js';
import { runHandler } from './run-handler.js';

/** What a command bundle exports: resolves with the exit code, or undefined when the full CLI must handle the argv. */
export type CommandMain = (split: SplitArgv, argv: readonly string[], invocation: Invocation) => Promise<number | undefined>;

export interface FastCommandOptions {
  /** The renderers of the command's events (render/all.ts, or render/base.ts for `run`). */
  readonly renderers: Renderers;
  /** For a pass-through command: whether its arguments ask for whalekeeper's help (default: a `--help` among them). */
  readonly wantsHelp?: (rest: readonly string[]) => boolean;
}

/** The main function of one command's bundle. */
export function fastCommand(definition: CommandDefinition, options: FastCommandOptions): CommandMain {
  const wantsHelp = options.wantsHelp ?? ((rest: readonly string[]) => rest.includes('--help'));
  return async (split, argv, invocation) => {
    try {
      if (definition.passthrough) {
        if (wantsHelp(split.rest)) return undefined;
        return await runHandler(definition, {}, split.flags, invocation, split.rest, options.renderers);
      }
      const parsed = fastParse(optionTable(definition), split.rest, split.flags);
      if (parsed === undefined) return undefined;
      return await runHandler(definition, parsed.argv, parsed.flags, invocation, split.rest, options.renderers);
    } catch (error) {
      return reportError(error, invocation, argv);
    }
  };
}
