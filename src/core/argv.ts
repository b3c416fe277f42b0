// Splits whalekeeper's argv into its own options, the command, and the rest (which belongs to docker for `run`).
import { UsageError } from './errors.js';
import { parseBoolWord } from './values.js';
import { GLOBAL_OPTIONS, type GlobalFlags, type GlobalOptionSpec } from './global-options.js';

/** The parts of an argv: whalekeeper's options before the command, the command, and what follows it untouched. */
export interface SplitArgv {
  readonly flags: GlobalFlags;
  /** The tokens that made up `flags`, to hand to yargs when a command needs the full parser. */
  readonly flagTokens: readonly string[];
  readonly help: boolean;
  readonly version: boolean;
  readonly command: string | undefined;
  readonly rest: readonly string[];
}

function findSpec(token: string): GlobalOptionSpec | undefined {
  if (token.startsWith('--')) return GLOBAL_OPTIONS.find((o) => o.name === token.slice(2));
  return GLOBAL_OPTIONS.find((o) => o.alias !== undefined && token === `-${o.alias}`);
}

function convert(spec: GlobalOptionSpec, raw: string): string | number | boolean {
  if (spec.type === 'string') return raw;
  if (spec.type === 'boolean') {
    const value = parseBoolWord(raw);
    if (value === undefined) throw new UsageError(`--${spec.name} takes true or false, not \`${raw}\``);
    return value;
  }
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${spec.name} takes a number, not \`${raw}\``);
  return n;
}

/** Reads the JSON array of strings `--argv-env NAME` points at. */
export function argvFromEnv(name: string, env: Readonly<Record<string, string | undefined>>): string[] {
  const raw = env[name];
  if (raw === undefined) throw new UsageError(`--argv-env: the variable ${name} is not set`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new UsageError(`--argv-env: ${name} is not JSON (it must be an array of strings)`);
  }
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
    throw new UsageError(`--argv-env: ${name} must be a JSON array of strings`);
  }
  return parsed;
}

/**
 * Reads global options up to the first word that is not one: that word is the command, and the rest is left as is.
 * `--argv-env NAME` splices in the JSON array held by $NAME at its place (so callers never build command lines).
 */
export function splitArgv(input: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): SplitArgv {
  const argv = [...input];
  const flags: GlobalFlags = {};
  const flagTokens: string[] = [];
  let help = false;
  let version = false;
  let expanded = false;
  let i = 0;
  for (; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      i++;
      break;
    }
    if (!token.startsWith('-') || token === '-') break;
    if (token === '--help' || token === '-h') {
      help = true;
      continue;
    }
    if (token === '--version') {
      version = true;
      continue;
    }
    const eq = token.indexOf('=');
    const name = eq === -1 ? token : token.slice(0, eq);
    const negated = name.startsWith('--no-') ? findSpec(`--${name.slice(5)}`) : undefined;
    if (negated?.type === 'boolean' && eq === -1) {
      flags[negated.name] = false;
      flagTokens.push(token);
      continue;
    }
    const spec = findSpec(name);
    if (spec?.name === 'argv-env') {
      // One expansion only: a variable that named itself (or another --argv-env) would never end.
      if (expanded) throw new UsageError('--argv-env may be given once, and not inside the variable it reads');
      expanded = true;
      const variable = eq !== -1 ? token.slice(eq + 1) : argv[i + 1];
      if (variable === undefined || variable === '') throw new UsageError('--argv-env needs the name of a variable');
      argv.splice(i, eq !== -1 ? 1 : 2, ...argvFromEnv(variable, env));
      i--;
      continue;
    }
    if (spec === undefined) {
      throw new UsageError(`unknown option \`${name}\` before the command`, {
        hint: 'whalekeeper\'s own options come before the command; docker\'s come after it (see `whalekeeper --help`)',
      });
    }
    flagTokens.push(token);
    if (eq !== -1) {
      flags[spec.name] = convert(spec, token.slice(eq + 1));
    } else if (spec.type === 'boolean') {
      flags[spec.name] = true;
    } else {
      const value = argv[i + 1];
      if (value === undefined) throw new UsageError(`--${spec.name} needs a value`);
      flagTokens.push(value);
      flags[spec.name] = convert(spec, value);
      i++;
    }
  }
  return { flags, flagTokens, help, version, command: argv[i], rest: argv.slice(i + 1) };
}

/**
 * The command word of an argv that splitArgv may have refused (an unknown option, a bad value), for choosing the
 * exit-code convention of the error: options are skipped, the values of known ones too, `--argv-env` expanded when it
 * can be. Best effort: an unknown option's value would be taken for the command.
 */
export function commandWord(input: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): string | undefined {
  const argv = [...input];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') return argv[i + 1];
    if (!token.startsWith('-') || token === '-') return token;
    if (token.includes('=')) continue;
    const spec = findSpec(token);
    if (spec?.name === 'argv-env') {
      let expanded: string[] = [];
      try {
        expanded = argvFromEnv(argv[i + 1] ?? '', env);
      } catch {
        // Not expandable: the words after it decide.
      }
      argv.splice(i, 2, ...expanded);
      i--;
    } else if (spec !== undefined && spec.type !== 'boolean') {
      i++;
    }
  }
  return undefined;
}
