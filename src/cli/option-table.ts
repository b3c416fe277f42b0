// A command's options as its yargs builder declares them, read without yargs: the builder runs against a recorder that
// notes `.option()`, `.options()` and `.positional()` and ignores help text. The fast parser (fast-parse.ts) reads
// this table, so yargs stays the one definition of every option while start-up does not pay for yargs.
import type { Argv } from 'yargs';
import type { CommandDefinition } from './definition.js';

/** One option or positional as declared to yargs, restricted to what the fast parser reproduces. */
export interface OptionSpec {
  readonly name: string;
  readonly type: 'string' | 'boolean' | 'number';
  readonly alias: readonly string[];
  readonly array: boolean;
  readonly choices: readonly unknown[] | undefined;
  readonly default: unknown;
}

/** A positional from the command string: `<urls..>` is required and variadic, `[paths..]` optional. */
export interface PositionalSpec extends OptionSpec {
  readonly required: boolean;
  readonly variadic: boolean;
}

/** What the fast parser needs of one command; `exact` is false when the builder uses anything it cannot reproduce. */
export interface OptionTable {
  readonly options: readonly OptionSpec[];
  readonly positionals: readonly PositionalSpec[];
  readonly exact: boolean;
}

/** Builder calls that only shape help: the recorder ignores them. Any other call makes the table inexact. */
const HELP_ONLY = new Set(['usage', 'example', 'epilog', 'epilogue', 'group', 'describe', 'wrap', 'hide']);
/** Option keys the fast parser reproduces; any other key (coerce, conflicts, nargs, ...) leaves the option to yargs. */
const KNOWN_KEYS = new Set(['type', 'describe', 'description', 'desc', 'alias', 'default', 'choices', 'array', 'hidden']);

type RawSpec = Readonly<Record<string, unknown>>;

/** Reads a command's option table by running its builder against a recorder instead of yargs. */
export function optionTable(definition: CommandDefinition): OptionTable {
  const declared = new Map<string, RawSpec>();
  const positionalSpecs = new Map<string, RawSpec>();
  let exact = true;
  const recorder: Argv = new Proxy({} as Argv, {
    get(_target, method: string) {
      return (...args: unknown[]) => {
        if (method === 'option') declared.set(String(args[0]), (args[1] ?? {}) as RawSpec);
        else if (method === 'options') for (const [name, spec] of Object.entries(args[0] as Record<string, RawSpec>)) declared.set(name, spec);
        else if (method === 'positional') positionalSpecs.set(String(args[0]), (args[1] ?? {}) as RawSpec);
        else if (!HELP_ONLY.has(method)) exact = false;
        return recorder;
      };
    },
  });
  if (!definition.passthrough) definition.builder(recorder);

  const options: OptionSpec[] = [];
  for (const [name, raw] of declared) {
    const spec = toSpec(name, raw);
    if (spec === undefined) exact = false;
    else options.push(spec);
  }
  const positionals: PositionalSpec[] = [];
  for (const word of definition.command.split(' ').slice(1)) {
    const match = /^([<[])([\w-]+)(\.\.)?[>\]]$/.exec(word);
    if (match === null) {
      exact = false;
      continue;
    }
    const spec = toSpec(match[2]!, positionalSpecs.get(match[2]!) ?? {}, 'string');
    if (spec === undefined) exact = false;
    else positionals.push({ ...spec, required: match[1] === '<', variadic: match[3] !== undefined });
  }
  return { options, positionals, exact };
}

function toSpec(name: string, raw: RawSpec, fallbackType?: 'string'): OptionSpec | undefined {
  if (Object.keys(raw).some((key) => !KNOWN_KEYS.has(key))) return undefined;
  const type = raw.type ?? (raw.choices !== undefined ? fallbackType : undefined);
  if (type !== 'string' && type !== 'boolean' && type !== 'number') return undefined;
  const alias = raw.alias === undefined ? [] : Array.isArray(raw.alias) ? raw.alias.map(String) : [String(raw.alias)];
  const choices = Array.isArray(raw.choices) ? (raw.choices as unknown[]) : undefined;
  return { name, type, alias, array: raw.array === true, choices, default: raw.default };
}
