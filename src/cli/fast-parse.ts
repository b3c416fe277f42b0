// The fast parser: a command's argv read from the option table its yargs builder declares (option-table.ts), giving
// what yargs would give. It knows only the plain forms (`--name value`, `--name=value`, `--no-flag`, `-a value`,
// repeats, arrays, positionals); for anything else (help, a mistake, an unusual form) it returns undefined and
// the caller hands the whole argv to yargs, which prints the help or the error. test/cli/fast-parse.test.ts checks
// that it agrees with yargs.
import { GLOBAL_OPTIONS, type GlobalFlags } from '../core/global-options.js';
import type { OptionSpec, OptionTable } from './option-table.js';

/** What yargs would have given the handler: the command's argv, and the global flags given before or after it. */
export interface FastParse {
  readonly argv: Readonly<Record<string, unknown>>;
  readonly flags: GlobalFlags;
}

type Value = string | number | boolean;

const GLOBAL_SPECS: readonly OptionSpec[] = GLOBAL_OPTIONS.map((o) => ({
  name: o.name,
  type: o.type,
  alias: o.alias === undefined ? [] : [o.alias],
  array: false,
  choices: undefined,
  default: undefined,
}));

/** Parses `rest` (the tokens after the command word) or returns undefined when only yargs can say what they mean. */
export function fastParse(table: OptionTable, rest: readonly string[], before: GlobalFlags): FastParse | undefined {
  if (!table.exact) return undefined;
  const values = new Map<OptionSpec, Value[]>();
  const flags: GlobalFlags = { ...before };
  const words: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i]!;
    if (token === '-' || !token.startsWith('-')) {
      words.push(token);
      continue;
    }
    const long = token.startsWith('--');
    const eq = long ? token.indexOf('=') : -1;
    const name = long ? token.slice(2, eq === -1 ? undefined : eq) : token.slice(1);
    const inline = eq === -1 ? undefined : token.slice(eq + 1);
    if (name === '' || name === 'help' || name === 'version' || (!long && name.length !== 1)) return undefined;
    let spec = find(table.options, name, long) ?? find(GLOBAL_SPECS, name, long);
    let value: Value[];
    if (spec === undefined && long && name.startsWith('no-') && inline === undefined) {
      spec = find(table.options, name.slice(3), true) ?? find(GLOBAL_SPECS, name.slice(3), true);
      if (spec?.type !== 'boolean') return undefined;
      value = [false];
    } else if (spec === undefined) {
      return undefined;
    } else if (spec.type === 'boolean') {
      if (inline !== undefined && inline !== 'true' && inline !== 'false') return undefined;
      // `--flag true` (a separate word) is read by yargs as the flag's value: left to yargs.
      if (inline === undefined && (rest[i + 1] === 'true' || rest[i + 1] === 'false')) return undefined;
      value = [inline === undefined ? true : inline === 'true'];
    } else {
      const raw: string[] = [];
      if (inline !== undefined) raw.push(inline);
      else if (i + 1 < rest.length && !rest[i + 1]!.startsWith('-')) raw.push(rest[++i]!);
      else return undefined;
      // An array option takes every following word up to the next option, as yargs does.
      while (spec.array && inline === undefined && i + 1 < rest.length && !rest[i + 1]!.startsWith('-')) raw.push(rest[++i]!);
      const converted = raw.map((r) => convert(spec!, r));
      if (converted.some((v) => v === undefined)) return undefined;
      value = converted as Value[];
    }
    if (GLOBAL_SPECS.includes(spec)) {
      const key = spec.name as keyof GlobalFlags;
      if (flags[key] !== undefined || value.length !== 1) return undefined;
      flags[key] = value[0];
      continue;
    }
    const seen = values.get(spec);
    if (seen !== undefined && spec.type === 'boolean') return undefined;
    values.set(spec, [...(seen ?? []), ...value]);
  }

  const argv: Record<string, unknown> = {};
  const set = (spec: OptionSpec, value: unknown): void => {
    for (const key of [spec.name, ...spec.alias]) {
      argv[key] = value;
      argv[camel(key)] = value;
    }
  };
  for (const spec of table.options) {
    const given = values.get(spec);
    if (given !== undefined) set(spec, spec.array || given.length > 1 ? given : given[0]);
    else if (spec.default !== undefined) set(spec, spec.default);
  }
  for (const spec of table.positionals) {
    if (spec.variadic) {
      if (spec.required && words.length === 0) return undefined;
      const converted = words.splice(0).map((w) => convert(spec, w));
      if (converted.some((v) => v === undefined)) return undefined;
      // yargs gives an optional variadic positional that got no word an empty list.
      set(spec, converted.length > 0 || spec.default === undefined ? converted : spec.default);
      continue;
    }
    const word = words.shift();
    if (word === undefined) {
      if (spec.required) return undefined;
      if (spec.default !== undefined) set(spec, spec.default);
      continue;
    }
    const value = convert(spec, word);
    if (value === undefined) return undefined;
    set(spec, value);
  }
  // A word no positional takes is an error under yargs' strict mode: yargs reports it.
  if (words.length > 0) return undefined;
  for (const spec of GLOBAL_SPECS) {
    const value = flags[spec.name as keyof GlobalFlags];
    if (value !== undefined) set(spec, value);
  }
  return { argv, flags };
}

function find(specs: readonly OptionSpec[], name: string, long: boolean): OptionSpec | undefined {
  return specs.find((s) => (long && s.name === name) || s.alias.includes(name));
}

/** A word as the option's type, or undefined when yargs would reject it or read it otherwise. */
function convert(spec: OptionSpec, raw: string): Value | undefined {
  let value: Value = raw;
  if (spec.type === 'number') {
    value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value)) return undefined;
  } else if (spec.type === 'boolean') {
    return undefined;
  }
  if (spec.choices !== undefined && !spec.choices.includes(value)) return undefined;
  return value;
}

function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
