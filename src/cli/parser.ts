// The yargs definition: global options from the shared table, every command from the registry, help and version.
import yargs, { type Argv } from 'yargs';
import type { SplitArgv } from '../core/argv.js';
import { UsageError } from '../core/errors.js';
import { COMMON_EXIT_CODES_HELP } from '../core/exit-codes.js';
import { GLOBAL_OPTIONS, type GlobalFlags } from '../core/global-options.js';
import { ALL_RENDERERS } from '../render/all.js';
import { VERSION } from '../version.js';
import type { Invocation } from './context.js';
import type { CommandDefinition } from './definition.js';
import { COMMANDS } from './registry.js';
import { runHandler } from './run-handler.js';

function globalFlagsOf(argv: Readonly<Record<string, unknown>>): GlobalFlags {
  const flags: GlobalFlags = {};
  for (const spec of GLOBAL_OPTIONS) {
    const value = argv[spec.name];
    if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') flags[spec.name] = value;
  }
  return flags;
}

/** The argv yargs sees: for a pass-through command only whalekeeper's own options and the command (and --help). */
function yargsTokens(split: SplitArgv): string[] {
  const definition = COMMANDS.find((c) => c.command.split(' ')[0] === split.command);
  const helpAndVersion = [...(split.help ? ['--help'] : []), ...(split.version ? ['--version'] : [])];
  if (!definition?.passthrough) return glueNegativeValues([...split.flagTokens, ...helpAndVersion, ...(split.command === undefined ? [] : [split.command]), ...split.rest]);
  return [...split.flagTokens, ...helpAndVersion, split.command!, ...(split.rest.includes('--help') ? ['--help'] : [])];
}

/**
 * `--target -1%` as `--target=-1%`: yargs reads a token that starts with `-` and is not a plain number as short flags
 * (`Unknown arguments: 1, %`); glued, the value reaches the option's own check, whose message names the flag.
 * No whalekeeper option is a digit, so a `-` followed by a digit is always a value.
 */
function glueNegativeValues(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const next = tokens[i + 1];
    if (/^--[a-z][\w-]*$/.test(token) && next !== undefined && /^-\.?\d/.test(next)) {
      out.push(`${token}=${next}`);
      i++;
    } else out.push(token);
  }
  return out;
}

/** What the parser does with a parsed command: run its handler (the CLI), or look at what yargs read (a test). */
export type CommandAction = (definition: CommandDefinition, argv: Readonly<Record<string, unknown>>, flags: GlobalFlags) => Promise<void>;

/** The yargs definition of the whole CLI. Exposed for the tests, which compare the fast parser with it. */
export function defineCli(tokens: readonly string[], columns: number, action: CommandAction): Argv {
  let parser = yargs([...tokens])
    .scriptName('whalekeeper')
    .usage('whalekeeper [options] <command> [command options]\n\nKeeps Docker on CI agents clean and checks what got deployed.')
    .parserConfiguration({ 'boolean-negation': true })
    .strict()
    .exitProcess(false)
    .wrap(Math.min(110, columns))
    .version(VERSION)
    .help()
    .alias('help', 'h')
    .epilog(`Every option can also be set by its WHALEKEEPER_* variable (--stop-timeout: WHALEKEEPER_STOP_TIMEOUT).\n\n${COMMON_EXIT_CODES_HELP}`)
    .demandCommand(1, 'give a command: see the list above')
    .fail((message, error) => {
      throw error ?? new UsageError(message);
    });
  for (const spec of GLOBAL_OPTIONS) {
    parser = parser.option(spec.name, {
      type: spec.type,
      describe: `${spec.describe} [${spec.env}]`,
      global: true,
      ...(spec.alias ? { alias: spec.alias } : {}),
    });
  }
  parser = parser.group(
    GLOBAL_OPTIONS.map((spec) => spec.name),
    'Global options (before the command; also WHALEKEEPER_* variables):',
  );
  for (const definition of COMMANDS) {
    parser = parser.command(definition.command, definition.describe, definition.builder, (argv) => action(definition, argv, globalFlagsOf(argv)));
  }
  return parser;
}

/** Builds the parser that runs the command's handler. */
export function buildParser(tokens: readonly string[], invocation: Invocation, rest: readonly string[], done: (code: number) => void): Argv {
  const columns = invocation.streams.out.isTTY ? process.stdout.columns || 110 : 110;
  return defineCli(tokens, columns, async (definition, argv, flags) => {
    done(await runHandler(definition, argv, flags, invocation, rest, ALL_RENDERERS));
  });
}

/** Runs every command but the `run` fast path; resolves with the exit code. */
export async function runCli(split: SplitArgv, invocation: Invocation): Promise<number> {
  let code = 0;
  const parser = buildParser(yargsTokens(split), invocation, split.rest, (c) => (code = c));
  await parser.parseAsync();
  return code;
}
