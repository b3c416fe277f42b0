#!/usr/bin/env node
// Entry point. `whalekeeper run` stands in front of every container, so its path is one small CommonJS bundle (no yargs,
// no execa, no other command's code); every other command loads the full CLI bundle (ES modules) lazily.
import { homedir } from 'node:os';
import { commandWord, splitArgv } from './core/argv.js';
import { UsageError } from './core/errors.js';
import { EXIT } from './core/exit-codes.js';
import { isRunHelp } from './core/run-args.js';
import type { Invocation } from './cli/context.js';
import { reportError } from './cli/report-error.js';
import { runCommand } from './cli/wire/run.js';
import { loadGlobalSettings } from './edge/load-settings.js';
import { BASE_RENDERERS } from './render/base.js';
import { createOutput } from './render/output.js';

/**
 * The full CLI's bundle, next to this file in dist/ (scripts/build.mjs builds src/cli/entry.ts there). A variable, so
 * that the bundler leaves this import alone and the two bundles stay apart.
 */
const FULL_CLI = './whalekeeper-cli.mjs';

async function main(argv: readonly string[], invocation: Invocation): Promise<number> {
  try {
    const split = splitArgv(argv, invocation.env);
    if (split.command === 'run' && !split.help && !split.version && !isRunHelp(split.rest)) {
      const settings = await loadGlobalSettings(split.flags, invocation.env, invocation.home);
      const output = await createOutput({ json: settings.json, streams: invocation.streams, env: invocation.env, renderers: BASE_RENDERERS });
      return await runCommand({ ...invocation, flags: split.flags, settings, output, rest: split.rest });
    }
  } catch (error) {
    return reportError(forRun(error, argv, invocation), invocation, argv);
  }
  const cli = (await import(FULL_CLI)) as typeof import('./cli/entry.js');
  return cli.runFullCli(argv, invocation);
}

/**
 * `run`'s own usage errors (a bad or unknown whalekeeper option, an unknown DOCKER_CONTEXT) exit 125 as docker run's
 * do: a 2 would read as the container's own exit 2.
 */
function forRun(error: unknown, argv: readonly string[], invocation: Invocation): unknown {
  if (!(error instanceof UsageError) || error.exitCode !== EXIT.usage) return error;
  if (commandWord(argv, invocation.env) !== 'run') return error;
  return new UsageError(error.message, { hint: error.hint, cause: error, exitCode: EXIT.dockerFailed });
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
