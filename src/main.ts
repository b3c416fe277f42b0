#!/usr/bin/env node
// Entry point (dist/whalekeeper.js): a small dispatcher. It splits off the global options, answers `--version`, and
// loads only the bundle of the command given (dist/commands/<name>.js), which parses its options without yargs. Help,
// and any argv a command's fast parser leaves to yargs, load the full CLI (dist/whalekeeper-cli.js) instead.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { splitArgv, type SplitArgv } from './core/argv.js';
import type { Invocation } from './cli/context.js';
import type { CommandMain } from './cli/fast-command.js';
import { loadBundle } from './cli/load-bundle.js';
import { VERSION } from './version.js';

/** The commands that have a bundle of their own (scripts/build.mjs: one per src/cli/bundles/*.ts). */
declare const __WHALEKEEPER_BUNDLED_COMMANDS__: readonly string[];

async function main(argv: readonly string[], invocation: Invocation): Promise<number> {
  const load = (file: string): unknown => loadBundle(join(__dirname, file), invocation.env, invocation.home, VERSION);
  let split: SplitArgv | undefined;
  try {
    split = splitArgv(argv, invocation.env);
  } catch {
    // A usage error in the global options: the full CLI reports it.
  }
  if (split !== undefined && !split.help) {
    if (split.version && split.command === undefined) {
      invocation.streams.out.write(`${VERSION}\n`);
      return 0;
    }
    if (split.command !== undefined && !split.version && __WHALEKEEPER_BUNDLED_COMMANDS__.includes(split.command)) {
      const { main: command } = load(`commands/${split.command}.js`) as { main: CommandMain };
      const code = await command(split, argv, invocation);
      if (code !== undefined) return code;
    }
  }
  const cli = load('whalekeeper-cli.js') as typeof import('./cli/entry.js');
  return cli.runFullCli(argv, invocation);
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
