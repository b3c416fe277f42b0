// The `shim` command's definition for yargs: help text and a lazy handler.
import type { Argv } from 'yargs';
import type { CommandDefinition } from '../definition.js';

/** `whalekeeper shim install|uninstall|print`. */
export const shimDefinition: CommandDefinition = {
  command: 'shim <action>',
  describe: 'a `docker` for your laptop that sends `docker run` through `whalekeeper run` (install, uninstall, print)',
  builder: (yargs: Argv) =>
    yargs
      .usage(
        [
          'whalekeeper shim install [--dir DIR] | uninstall [--dir DIR] | print',
          '',
          'install writes an executable `docker` (a POSIX sh script) into DIR (default ~/.local/share/whalekeeper/bin)',
          'and prints the PATH line to add. With DIR first on PATH, `docker run …` and `docker container run …` (after',
          'global options such as -H, --context, --log-level too) go through `whalekeeper run`; every other command is',
          'exec\'d on the real client, the first `docker` on PATH that is not a shim, without starting Node.',
          'print writes the same logic as a shell function for a profile instead; uninstall removes the shim.',
        ].join('\n'),
      )
      .positional('action', { choices: ['install', 'uninstall', 'print'] as const, describe: 'What to do' })
      .option('dir', { type: 'string', describe: 'Directory of the shim (default ~/.local/share/whalekeeper/bin)' })
      .example('whalekeeper shim install', 'then add the printed `export PATH=…` line to your profile')
      .example('whalekeeper shim print >> ~/.bashrc', 'a `docker` shell function instead of a file on PATH')
      .epilog(['Exit codes:', '  0   done', '  2   usage error, or DIR/docker exists and is not a whalekeeper shim'].join('\n')),
  handler: async (argv, ctx) => (await import('../wire/shim.js')).shimCommand(argv, ctx),
};
