// Composition root of `ls`.
import { ls } from '../../commands/ls.js';
import { now } from '../../edge/clock.js';
import { createEngine } from '../../edge/engine.js';
import type { CommandContext } from '../context.js';

/** Runs `whalekeeper ls`. */
export function lsCommand(argv: Readonly<Record<string, unknown>>, ctx: CommandContext): Promise<number> {
  return ls(
    { images: argv.images === true, volumes: argv.volumes === true, sizes: argv.sizes === true },
    { settings: ctx.settings, output: ctx.output, engine: createEngine(ctx.settings.engine, ctx.settings.engineTimeoutSeconds * 1000), now },
  );
}
