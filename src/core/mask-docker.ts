// Masks a docker client argv for display: secret flag values (`-e NAME=VALUE`, `--build-arg`) become `***`.
import { BUILD_FLAG_TABLE } from './docker-build-options.js';
import { SECRET_VALUE_OPTIONS } from './docker-run-options.js';
import { maskFlagValues, MASK } from './mask.js';
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
const SECRET_FLAG = /^(-e|--env|--build-arg|--secret)(=|$)/;

/** Masks an argv whose first word is a docker subcommand (`run …`); any other argv is masked by flag name alone. */
export function maskDockerArgv(argv: readonly string[]): string[] {
  const [sub, ...rest] = argv;
  const known = sub === undefined ? undefined : TABLES[sub];
  if (known) {
    try {
      const { flags } = parseFlags(rest, known.table, { interspersed: known.interspersed });
      return [sub!, ...maskFlagValues(rest, flags, SECRET_VALUE_OPTIONS)];
    } catch {
      // Unreadable by the table: fall through to masking by flag name.
    }
  }
  return argv.map((token, i) => {
    const inline = /^(-e|--env|--build-arg|--secret)=([^=]*)=.*$/.exec(token);
    if (inline) return `${inline[1]}=${inline[2]}=${MASK}`;
    const previous = argv[i - 1];
    if (previous !== undefined && SECRET_FLAG.test(previous) && !previous.includes('=') && token.includes('=')) {
      return `${token.slice(0, token.indexOf('='))}=${MASK}`;
    }
    return token;
  });
}
