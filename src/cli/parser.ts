// The yargs definition: global options from the shared table, every command from the registry, help and version.
import yargs, { type Argv } from 'yargs';
import type { SplitArgv } from '../core/argv.js';
import { UsageError } from '../core/errors.js';
import { COMMON_EXIT_CODES_HELP } from '../core/exit-codes.js';
import { GLOBAL_OPTIONS, type GlobalFlags } from '../core/global-options.js';
import { ALL_RENDERERS } from '../render/all.js';
import { createOutput } from '../render/output.js';
import { urlSecrets } from '../core/mask.js';
import { loadGlobalSettings } from '../edge/load-settings.js';
import { VERSION } from '../version.js';
import type { Invocation } from './context.js';
import { COMMANDS } from './registry.js';

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

/** Builds the parser. Exposed for the help test, which checks every command's --help. */
export function buildParser(tokens: readonly string[], invocation: Invocation, rest: readonly string[], done: (code: number) => void): Argv {
  let parser = yargs([...tokens])
    .scriptName('whalekeeper')
    .usage('whalekeeper [options] <command> [command options]\n\nKeeps Docker on CI agents clean and checks what got deployed.')
    .parserConfiguration({ 'boolean-negation': true })
    .strict()
    .exitProcess(false)
    .wrap(Math.min(110, invocation.streams.out.isTTY ? process.stdout.columns || 110 : 110))
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
    parser = parser.command(definition.command, definition.describe, definition.builder, async (argv) => {
      const flags = globalFlagsOf(argv);
      const settings = await loadGlobalSettings(flags, invocation.env, invocation.home);
      const output = await createOutput({ json: settings.json, streams: invocation.streams, env: invocation.env, renderers: ALL_RENDERERS });
      // The engine URL's credentials and query values, wherever a message quotes it.
      for (const secret of urlSecrets(settings.engine.host)) output.addSecret(secret);
      done(await definition.handler(argv, { ...invocation, flags, settings, output, rest }));
    });
  }
  return parser;
}

/** Runs every command but the `run` fast path; resolves with the exit code. */
export async function runCli(split: SplitArgv, invocation: Invocation): Promise<number> {
  let code = 0;
  const parser = buildParser(yargsTokens(split), invocation, split.rest, (c) => (code = c));
  await parser.parseAsync();
  return code;
}
