// The `run` command's definition for yargs: help text and a lazy handler.
import type { Argv } from 'yargs';
import { RUN_EXIT_CODES_HELP } from '../../core/exit-codes.js';
import type { CommandDefinition } from '../definition.js';

/** `whalekeeper run`. Its options are docker's, so yargs only renders its help; main.ts runs it without yargs. */
export const runDefinition: CommandDefinition = {
  command: 'run',
  describe: '`docker run` with --rm, build labels, and removal of the container even when aborted or killed',
  passthrough: true,
  builder: runBuilder,
  handler: async (_argv, ctx) => (await import('../wire/run.js')).runCommand(ctx),
};

/** The help of `run` (its options are docker's). */
function runBuilder(yargs: Argv): Argv {
  return yargs
    .usage(
      [
        'whalekeeper [options] run [docker run options] IMAGE [COMMAND] [ARG...]',
        '',
        '`docker run` that never leaves a container behind:',
        '  - `--rm` is always added; `--rm=false` and `--restart` (other than `no`) are refused (exit 125);',
        '  - the container is labelled whalekeeper.managed, whalekeeper.build=<build> and whalekeeper.run=<id>;',
        '  - on SIGINT, SIGTERM or SIGHUP it is stopped (--stop-timeout seconds, default 3) and removed;',
        '  - if whalekeeper is killed outright (SIGKILL, Jenkins\' abort), a detached reaper removes it within seconds.',
        'Every `docker run` option is accepted as is (see `docker run --help`); stdin, stdout, stderr, -it and -d pass through.',
        'whalekeeper\'s own options (--host, --build, --verbose, ...) go before `run`.',
      ].join('\n'),
    )
    .example('whalekeeper run --network host -e TOKEN base:42 ash -c ./test.sh', 'run tests; TOKEN is taken from the environment')
    .example('whalekeeper --build jenkins-app-42 run -d base:42 sleep 60', 'detached: prints the id, removed when it stops')
    .epilog(RUN_EXIT_CODES_HELP);
}
