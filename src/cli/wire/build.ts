// Composition root of `build`: wires the real docker client, Dockerfile reader, clock and signals into the command.
import { build } from '../../commands/build.js';
import { resolveBuildStamp } from '../../core/build-args.js';
import { globalValue } from '../../core/settings.js';
import { createDockerCli } from '../../edge/docker-cli.js';
import { readDockerfile } from '../../edge/dockerfile.js';
import { createReaperStarter } from '../../edge/reaper.js';
import { onAbort, signalNumber } from '../../edge/signals.js';
import type { CommandContext } from '../context.js';

/** Runs `whalekeeper build` with the real docker client (its environment, DOCKER_BUILDKIT included, untouched). */
export function buildCommand(ctx: CommandContext): Promise<number> {
  const number = globalValue('build-number', ctx.flags, ctx.env);
  const stamp = resolveBuildStamp({
    buildNumberFlag: number === undefined ? undefined : String(number),
    tagBuildNumber: globalValue('tag-build-number', ctx.flags, ctx.env) === true,
    build: ctx.settings.build?.id,
    env: ctx.env,
    nowMs: Date.now(),
  });
  return build(ctx.rest, {
    settings: ctx.settings,
    output: ctx.output,
    docker: createDockerCli(ctx.settings.dockerBinary, ctx.env as NodeJS.ProcessEnv),
    readDockerfile,
    startReaper: createReaperStarter(ctx.env as NodeJS.ProcessEnv),
    stamp,
    cwd: ctx.cwd,
    onAbort,
    signalNumber,
  });
}
