// The `build` command's definition for yargs: help text and a lazy handler.
import type { Argv } from 'yargs';
import type { CommandDefinition } from '../definition.js';

/** The exit codes `build --help` lists: docker build's own. */
const BUILD_EXIT_CODES_HELP = [
  'Exit codes (those of `docker build`):',
  '  0    the image was built',
  '  N    the build failed with docker build\'s status (1, or a failing RUN step\'s code with the classic builder)',
  '  2    a whalekeeper option was wrong (--tag-build-number without a build number or a -t name)',
  '  125  docker build refused the arguments (unknown flag, no context)',
  '  127  the docker client was not found',
  '  130, 143, 129  aborted by SIGINT, SIGTERM or SIGHUP (passed on to docker build)',
].join('\n');

/** `whalekeeper build`. Its options are docker's, so yargs only renders its help. */
export const buildDefinition: CommandDefinition = {
  command: 'build',
  describe: '`docker build` that puts the build number into the image (build arg BUILD_NUMBER, OCI labels, optional tag)',
  passthrough: true,
  builder: (yargs: Argv) =>
    yargs
      .usage(
        [
          'whalekeeper [options] build [docker build options] PATH | URL | -',
          '',
          '`docker build` with the build number in the image:',
          '  - `--build-arg BUILD_NUMBER=<n>` when the number is known (--build-number, BUILD_NUMBER, GITHUB_RUN_NUMBER,',
          '    CI_PIPELINE_IID) and not already given;',
          '  - labels org.opencontainers.image.version (the number), .revision (GIT_COMMIT), .created, .source (GIT_URL,',
          '    without credentials), whalekeeper.managed and whalekeeper.build, each where known and not already given;',
          '  - with --tag-build-number, every `-t NAME[:TAG]` is also tagged NAME:<n>;',
          '  - `--force-rm` (unless given): a failed step\'s container is removed too, not left on the agent;',
          '  - a warning (never a failure) when the Dockerfile in use (-f included) has no `ARG BUILD_NUMBER`.',
          'Docker\'s output is streamed unchanged and its exit status is whalekeeper\'s; DOCKER_BUILDKIT and the rest of the',
          'environment reach docker untouched. whalekeeper\'s own options go before `build`.',
        ].join('\n'),
      )
      .example('BUILD_NUMBER=77 whalekeeper build -t base .', 'base:latest, built with --build-arg BUILD_NUMBER=77')
      .example('whalekeeper --build-number 77 --tag-build-number build -t base -f docker/Dockerfile .', 'tags base:latest and base:77')
      .epilog(BUILD_EXIT_CODES_HELP),
  handler: async (_argv, ctx) => (await import('../wire/build.js')).buildCommand(ctx),
};
