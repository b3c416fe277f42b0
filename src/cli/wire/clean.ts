// Composition root of `clean`: validated settings, the real engine, disk, clock and abort signal.
import { clean } from '../../commands/clean.js';
import { parseCleanArgs, type CleanArgs } from '../../core/clean-settings.js';
import { createSleep, now } from '../../edge/clock.js';
import { createDisk } from '../../edge/disk.js';
import { createEngine } from '../../edge/engine.js';
import { onAbort } from '../../edge/signals.js';
import { lockClaimant } from '../../edge/process-identity.js';
import type { CommandContext } from '../context.js';

/** Runs `whalekeeper clean`. */
export async function cleanCommand(argv: Readonly<Record<string, unknown>>, ctx: CommandContext): Promise<number> {
  const settings = parseCleanArgs(argv as CleanArgs, ctx.settings.build?.id, ctx.settings.scope);
  const aborted = new AbortController();
  const unhook = settings.everyMs === undefined ? () => {} : onAbort(() => aborted.abort());
  try {
    return await clean(settings, {
      settings: ctx.settings,
      output: ctx.output,
      connect: () => createEngine(ctx.settings.engine),
      disk: createDisk(),
      now,
      sleep: createSleep(aborted.signal),
      lockClaimant: lockClaimant(),
    });
  } finally {
    unhook();
  }
}
