// The `ls` command's definition for yargs: help text and a lazy handler.
import type { Argv } from 'yargs';
import { COMMON_EXIT_CODES_HELP } from '../../core/exit-codes.js';
import type { CommandDefinition } from '../definition.js';

/** `whalekeeper ls`. */
export const lsDefinition: CommandDefinition = {
  command: 'ls',
  describe: 'list containers (and images, volumes) with their owner: this build, another build, kubelet, unmanaged',
  builder: (yargs: Argv) =>
    yargs
      .usage(
        [
          'whalekeeper ls [--images] [--volumes] [--sizes]',
          '',
          'Lists every container with its owner, judged by labels: `this build` (whalekeeper.build = --build or the CI build),',
          '`build ID` (another build), `kubelet` (io.kubernetes.* labels), `whalekeeper`, or `unmanaged` (made straight',
          'through the docker client: the leftovers Kubernetes cannot see). Then counts and bytes per owner.',
        ].join('\n'),
      )
      .option('images', { type: 'boolean', describe: 'Also list images (in use, unused or dangling)' })
      .option('volumes', { type: 'boolean', describe: 'Also list volumes (in use or unused)' })
      .option('sizes', { type: 'boolean', describe: 'Ask the engine for container and volume sizes (slow on big engines)' })
      .example('whalekeeper ls --images', 'containers and images with their owners')
      .example('whalekeeper --json ls --volumes', 'one JSON document: {"version":1,"rows":[...],"summary":[...]}')
      .epilog(COMMON_EXIT_CODES_HELP),
  handler: async (argv, ctx) => (await import('../wire/ls.js')).lsCommand(argv, ctx),
};
