// Composition root of `clean`: validated settings, the real engine, disk, clock and abort signal.
import { clean } from '../../commands/clean.js';
import { parseCleanArgs, type CleanArgs } from '../../core/clean/settings.js';
import { DISK_LIMIT_ENV } from '../../core/units.js';
import { createSleep, now } from '../../edge/clock.js';
import { createDisk } from '../../edge/disk.js';
import { createEngine } from '../../edge/engine.js';
import { onAbort } from '../../edge/signals.js';
import { lockClaimant } from '../../edge/process-identity.js';
import { writeTextFile } from '../../edge/text-file.js';
import type { CommandContext } from '../context.js';

/** Runs `whalekeeper clean`. */
export async function cleanCommand(argv: Readonly<Record<string, unknown>>, ctx: CommandContext): Promise<number> {
  const settings = parseCleanArgs(argv as CleanArgs, ctx.settings.build?.id, ctx.settings.scope, ctx.env[DISK_LIMIT_ENV]);
  const aborted = new AbortController();
  const unhook = settings.everyMs === undefined ? () => {} : onAbort(() => aborted.abort());
  try {
    return await clean(settings, {
      settings: ctx.settings,
      output: ctx.output,
      connect: () => createEngine(ctx.settings.engine, ctx.settings.engineTimeoutSeconds * 1000),
      disk: createDisk(),
      now,
      sleep: createSleep(aborted.signal),
      lockClaimant: lockClaimant(),
      writeAtomically: writeTextFile,
    });
  } finally {
    unhook();
  }
}
