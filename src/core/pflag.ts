// A reader of the docker client's option syntax (Go's pflag, non-interspersed): long and short flags,
// `--flag=value`, grouped short flags (`-itd`), a short flag's value glued on (`-eNAME=x`), and `--`.

/** What the reader needs to know about an option: is it boolean, and its long name. */
export interface FlagSpec {
  readonly long: string;
  readonly boolean: boolean;
}

/** Finds a flag by long name or short letter; undefined when the command does not know it. */
export interface FlagTable {
  byLong(name: string): FlagSpec | undefined;
  byShort(letter: string): FlagSpec | undefined;
}

/** One option as written: its long name, its value, and where the value sits so that it can be masked or edited. */
export interface ParsedFlag {
  readonly long: string;
  /** The value; `true` for a bare boolean flag. */
  readonly value: string;
  /** Index of the token where the flag starts. */
  readonly index: number;
  /** Index of the token holding the value, and the offset of the value in it; undefined for a bare boolean. */
  readonly valueAt: { readonly token: number; readonly offset: number } | undefined;
}

/** The options before the first positional argument, and the positional arguments (the image, then the command). */
export interface ParsedArgs {
  readonly flags: readonly ParsedFlag[];
  /** Index of the first positional (the image for `run`, the context for `build`); args.length when there is none. */
  readonly positionalIndex: number;
  /** Indexes of every positional argument (with `interspersed`, those between and after options too). */
  readonly positionals: readonly number[];
}

/** A flag the table does not know, or a flag missing its value. */
export class FlagSyntaxError extends Error {}

/**
 * Reads options until the first positional argument (or `--`), as `docker run` does; with `interspersed`, reads
 * options after positionals too, as `docker build` does (`docker build . -t app`).
 */
export function parseFlags(args: readonly string[], table: FlagTable, options: { interspersed?: boolean } = {}): ParsedArgs {
  const flags: ParsedFlag[] = [];
  const positionals: number[] = [];
  const rest = (from: number): number[] => Array.from({ length: Math.max(0, args.length - from) }, (_, k) => from + k);
  let i = 0;
  for (; i < args.length; i++) {
    const token = args[i]!;
    if (token === '--') {
      positionals.push(...rest(i + 1));
      return { flags, positionalIndex: positionals[0] ?? args.length, positionals };
    }
    if (!token.startsWith('-') || token === '-') {
      if (!options.interspersed) break;
      positionals.push(i);
      continue;
    }
    if (token.startsWith('--')) {
      const eq = token.indexOf('=');
      const name = token.slice(2, eq === -1 ? undefined : eq);
      const spec = table.byLong(name);
      if (!spec) throw new FlagSyntaxError(`unknown flag: --${name}`);
      if (eq !== -1) flags.push({ long: spec.long, value: token.slice(eq + 1), index: i, valueAt: { token: i, offset: eq + 1 } });
      else if (spec.boolean) flags.push({ long: spec.long, value: 'true', index: i, valueAt: undefined });
      else {
        if (i + 1 >= args.length) throw new FlagSyntaxError(`flag needs an argument: --${name}`);
        flags.push({ long: spec.long, value: args[i + 1]!, index: i, valueAt: { token: i + 1, offset: 0 } });
        i++;
      }
      continue;
    }
    // A group of short flags: booleans until one takes a value, which is the rest of the token or the next one.
    for (let j = 1; j < token.length; j++) {
      const letter = token[j]!;
      const spec = table.byShort(letter);
      if (!spec) throw new FlagSyntaxError(`unknown shorthand flag: '${letter}'`);
      const glued = token[j + 1] === '=' ? j + 2 : j + 1;
      if (spec.boolean) {
        if (token[j + 1] === '=') {
          flags.push({ long: spec.long, value: token.slice(glued), index: i, valueAt: { token: i, offset: glued } });
          break;
        }
        flags.push({ long: spec.long, value: 'true', index: i, valueAt: undefined });
        continue;
      }
      if (glued < token.length || token[j + 1] === '=') {
        flags.push({ long: spec.long, value: token.slice(glued), index: i, valueAt: { token: i, offset: glued } });
      } else {
        if (i + 1 >= args.length) throw new FlagSyntaxError(`flag needs an argument: '${letter}'`);
        flags.push({ long: spec.long, value: args[i + 1]!, index: i, valueAt: { token: i + 1, offset: 0 } });
        i++;
      }
      break;
    }
  }
  positionals.push(...rest(i));
  return { flags, positionalIndex: positionals[0] ?? args.length, positionals };
}

/** pflag's boolean syntax: true for 1/t/true, false for 0/f/false (any case of those words), undefined otherwise. */
export function parseBool(value: string): boolean | undefined {
  if (/^(1|t|T|true|TRUE|True)$/.test(value)) return true;
  if (/^(0|f|F|false|FALSE|False)$/.test(value)) return false;
  return undefined;
}
