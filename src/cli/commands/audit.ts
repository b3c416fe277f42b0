// The `audit` command's definition for yargs: help text and a lazy handler.
import type { Argv } from 'yargs';
import type { CommandDefinition } from '../definition.js';

/** `whalekeeper audit [PATH...]`. */
export const auditDefinition: CommandDefinition = {
  command: 'audit [paths..]',
  describe: 'find every `docker run` in pipelines (Jenkinsfile, *.groovy, shell, Makefile, CI YAML) without `--rm`',
  builder: (yargs: Argv) =>
    yargs
      .usage(
        [
          'whalekeeper [options] audit [--fix] [--strict] [PATH...]',
          '',
          'Reads Jenkinsfiles, *.groovy (the strings given to `sh`), shell scripts (*.sh), Makefiles and CI YAML (*.yml)',
          'under each PATH (default: the current directory; .git and node_modules are skipped) and prints',
          '`file:line: message` for each `docker run` / `docker container run` without `--rm`. `--rm=false` is a finding;',
          '`docker-compose run`, `docker runx` and `docker run` inside a quoted message, a comment or here-document data are not.',
          'Strings are followed through the file (a Groovy variable given to `sh`, shell variables and arrays); a',
          '`docker run` whose options come from outside the file (`$OPTS` from the environment) is "cannot tell".',
          'A part a reader cannot parse (a quote never closed, a missing `,` in `sh(...)`) is read the simple way, line by',
          'line as a grep sees it, and named: `file:line: could not be parsed (...)`.',
        ].join('\n'),
      )
      .positional('paths', { type: 'string', array: true, describe: 'Files or directories to read (default: .)' })
      .option('fix', {
        type: 'boolean',
        default: false,
        describe: 'Insert `--rm` right after `run` in place, changing nothing else (`--rm=false` is left to you)',
      })
      .option('strict', {
        type: 'boolean',
        default: false,
        describe: 'Count a `docker run` audit cannot tell about (options from outside the file), and a part it could not parse, as a finding',
      })
      .example('whalekeeper audit', 'audit the repository you are in')
      .example('whalekeeper --json audit Jenkinsfile pipelines/', 'one JSON document: {"version":1,"findings":[...]}')
      .example('whalekeeper audit --fix', 'add --rm where it is missing; a second audit then finds nothing')
      .epilog(
        [
          'Exit codes:',
          '  0   no `docker run` without `--rm` (or --fix fixed every one); "cannot tell" and parts read the simple way',
          '      alone are 0 without --strict',
          '  1   findings were reported (with --fix: findings it could not fix), "cannot tell"s or parts not parsed with',
          '      --strict, or a file could not be read or written',
          '  2   usage error: a PATH does not exist, an option was wrong',
        ].join('\n'),
      ),
  handler: async (argv, ctx) => (await import('../wire/audit.js')).auditCommand(argv, ctx),
};
