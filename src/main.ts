#!/usr/bin/env node
// Entry point: splits argv, takes the fast path for `run` (no yargs), otherwise the full CLI; one catch maps errors to exit codes.
import { isRunHelp } from './core/run-args.js';
import { splitArgv } from './core/argv.js';
import type { Invocation } from './cli/context.js';
import { reportError } from './cli/report-error.js';
import { homedir } from 'node:os';

async function main(argv: readonly string[], invocation: Invocation): Promise<number> {
  try {
    const split = splitArgv(argv, invocation.env);
    if (split.command === 'run' && !split.help && !split.version && !isRunHelp(split.rest)) {
      // The hot path: every container of every build starts here, so it loads neither yargs nor execa.
      const [{ loadGlobalSettings }, { createOutput }, { runCommand }] = await Promise.all([
        import('./edge/load-settings.js'),
        import('./render/output.js'),
        import('./cli/wire/run.js'),
      ]);
      const settings = loadGlobalSettings(split.flags, invocation.env, invocation.home);
      const output = await createOutput({ json: settings.json, streams: invocation.streams, env: invocation.env });
      return await runCommand({ ...invocation, flags: split.flags, settings, output, rest: split.rest });
    }
    const { runCli } = await import('./cli/parser.js');
    return await runCli(split, invocation);
  } catch (error) {
    return reportError(error, invocation, argv);
  }
}

const invocation: Invocation = {
  env: process.env,
  home: homedir(),
  streams: { out: process.stdout, err: process.stderr },
  cwd: process.cwd(),
};
main(process.argv.slice(2), invocation).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`whalekeeper: internal error while reporting an error: ${String(error)}\n`);
    process.exitCode = 70;
  },
);
