// Composition root of `run`: wires the real edge into the command. main.ts takes this path without loading yargs.
import { run } from '../../commands/run.js';
import { createDockerCli } from '../../edge/docker-cli.js';
import { probeEngine } from '../../edge/engine-probe.js';
import { createReaperStarter } from '../../edge/reaper.js';
import { onAbort, signalNumber } from '../../edge/signals.js';
import { VERSION } from '../../version.js';
import type { CommandContext } from '../context.js';

/** Runs `whalekeeper run` with the real docker client, probe, reaper and signals. */
export function runCommand(ctx: CommandContext): Promise<number> {
  const env = ctx.env as NodeJS.ProcessEnv;
  return run(ctx.rest, {
    settings: ctx.settings,
    output: ctx.output,
    // WHALEKEEPER_IN_RUN tells a `whalekeeper shim` found first on PATH that this is whalekeeper's own call.
    docker: createDockerCli(ctx.settings.dockerBinary, { ...env, WHALEKEEPER_IN_RUN: '1' }),
    probe: probeEngine,
    startReaper: createReaperStarter(env),
    onAbort,
    signalNumber,
    newRunId,
    version: VERSION,
  });
}


/**
 * A run's id, unique on an engine: process id, time and randomness. Not node:crypto's UUID, whose module costs every
 * `whalekeeper run` ~2.5 ms of start-up for uniqueness a label filter does not need.
 */
function newRunId(): string {
  const random = Math.random().toString(36).slice(2, 12).padEnd(10, '0');
  return `${process.pid.toString(36)}-${Date.now().toString(36)}-${random}`;
}
