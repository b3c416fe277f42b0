// Composition root of `disk`.
import { disk } from '../../commands/disk.js';
import { DISK_LIMIT_ENV, parseThreshold, resolveLimit } from '../../core/units.js';
import { now } from '../../edge/clock.js';
import { createDisk } from '../../edge/disk.js';
import { createEngine } from '../../edge/engine.js';
import { writeTextFile } from '../../edge/text-file.js';
import type { CommandContext } from '../context.js';

/** Runs `whalekeeper disk`. */
export function diskCommand(argv: Readonly<Record<string, unknown>>, ctx: CommandContext): Promise<number> {
  const threshold = (name: string): ReturnType<typeof parseThreshold> | undefined =>
    typeof argv[name] === 'string' ? parseThreshold(argv[name], `--${name}`) : undefined;
  const options = {
    warn: threshold('warn'),
    fail: threshold('fail'),
    prometheus: typeof argv.prometheus === 'string' ? argv.prometheus : undefined,
    breakdown: argv.breakdown !== false,
    measureImage: typeof argv.measureImage === 'string' ? argv.measureImage : undefined,
    limitBytes: resolveLimit(argv.limit, ctx.env[DISK_LIMIT_ENV]),
  };
  return disk(options, { settings: ctx.settings, output: ctx.output, engine: createEngine(ctx.settings.engine, ctx.settings.engineTimeoutSeconds * 1000), disk: createDisk(), now, writeAtomically: writeTextFile });
}
