// Masks a docker client argv for display: secret flag values (`-e NAME=VALUE`, `--build-arg`) become `***`.
import { BUILD_FLAG_TABLE } from './docker-build-options.js';
import { SECRET_VALUE_OPTIONS } from './docker-run-options.js';
import { maskFlagValues, maskUrlSecrets, MASK, type MaskNames } from './mask.js';
import { parseFlags, type FlagTable } from './pflag.js';
import { RUN_FLAG_TABLE } from './run-args.js';

/** Flag tables of the docker subcommands whalekeeper wraps, by the argv word that starts them. */
const TABLES: Readonly<Record<string, { table: FlagTable; interspersed: boolean }>> = {
  run: { table: RUN_FLAG_TABLE, interspersed: false },
  create: { table: RUN_FLAG_TABLE, interspersed: false },
  // `docker build` reads options after the context too (`docker build . --build-arg TOKEN=x`).
  build: { table: BUILD_FLAG_TABLE, interspersed: true },
};

/** Secret-carrying flags, for argvs no table reads: their values are masked wherever they appear. */
const SECRET_FLAGS = '-e|--env|--build-arg|--secret|--log-opt';
const SECRET_FLAG = new RegExp(`^(${SECRET_FLAGS})(=|$)`);
const SECRET_FLAG_INLINE = new RegExp(`^(${SECRET_FLAGS})=([^=]*)=.*$`);

/** A group of short flags ending in `e` (`-ie`), whose value is the next token. */
const SHORT_GROUP_ENDING_IN_E = /^-[a-zA-Z]*e$/;

/** The docker client's own options that take a value (`docker --host X run …`). */
const CLIENT_OPTIONS_WITH_VALUE = new Set(['-H', '--host', '-c', '--context', '--config', '-l', '--log-level', '--tlscacert', '--tlscert', '--tlskey']);

/** Index of the subcommand: past the docker client's own options (and `container` in `docker container run`). */
function subcommandIndex(argv: readonly string[]): number {
  let i = 0;
  while (i < argv.length && argv[i]!.startsWith('-')) i += CLIENT_OPTIONS_WITH_VALUE.has(argv[i]!) ? 2 : 1;
  if (argv[i] === 'container' || argv[i] === 'image') i++;
  return i;
}

/** The client's `-H`/`--host` values with credentials and query values masked (`-H tcp://***@h:2375`). */
function maskClientHosts(argv: readonly string[], end: number): string[] {
  return argv.map((token, i) => {
    if (i >= end) return token;
    const glued = /^(--host=|-H=?)(.+)$/.exec(token);
    if (glued) return glued[1]! + maskUrlSecrets(glued[2]!);
    const previous = argv[i - 1];
    return previous === '-H' || previous === '--host' ? maskUrlSecrets(token) : token;
  });
}

/**
 * Masks a docker client argv (`[client options] run …`): engine URLs, and every secret value the subcommand's flag
 * table finds; `names` narrows which `NAME=VALUE` are masked (audit: `looksSecret`), by default all.
 */
export function maskDockerArgv(argv: readonly string[], names: MaskNames = () => true): string[] {
  const at = subcommandIndex(argv);
  return maskSubcommand(maskClientHosts(argv, at), at, names);
}

function maskSubcommand(argv: readonly string[], at: number, names: MaskNames): string[] {
  const sub = argv[at];
  const rest = argv.slice(at + 1);
  const known = sub === undefined ? undefined : TABLES[sub];
  if (known) {
    try {
      const { flags } = parseFlags(rest, known.table, { interspersed: known.interspersed });
      return [...argv.slice(0, at + 1), ...maskFlagValues(rest, flags, SECRET_VALUE_OPTIONS, names)];
    } catch {
      // Unreadable by the table: fall through to masking by flag name.
    }
  }
  return maskByFlagName(argv, names);
}

/** The fallback: masks after the first `=` of any value that follows, or is glued to, a secret-carrying flag. */
function maskByFlagName(argv: readonly string[], names: MaskNames): string[] {
  return argv.map((token, i) => {
    const inline = SECRET_FLAG_INLINE.exec(token);
    if (inline) return names(inline[2]!) ? `${inline[1]}=${inline[2]}=${MASK}` : token;
    // `-eNAME=VALUE`, `-ieNAME=VALUE`: a glued value.
    const glued = /^(-[a-zA-Z]*e)([^=-][^=]*)=.*$/.exec(token);
    if (glued && !token.startsWith('--')) return names(glued[2]!) ? `${glued[1]}${glued[2]}=${MASK}` : token;
    const previous = argv[i - 1];
    const takesSecret = previous !== undefined && ((SECRET_FLAG.test(previous) && !previous.includes('=')) || SHORT_GROUP_ENDING_IN_E.test(previous));
    const name = token.slice(0, token.indexOf('='));
    if (takesSecret && token.includes('=') && names(name)) return `${name}=${MASK}`;
    return token;
  });
}
