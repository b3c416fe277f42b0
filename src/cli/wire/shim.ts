// Composition root of `shim`: the real file system, and where this whalekeeper is (the shim execs it for `run`).
import { realpathSync } from 'node:fs';
import { shim } from '../../commands/shim.js';
import { createShimFiles } from '../../edge/shim-files.js';
import type { CommandContext } from '../context.js';

/** Runs `whalekeeper shim ACTION`. The shim calls this Node and this entry script by absolute path. */
export function shimCommand(argv: Readonly<Record<string, unknown>>, ctx: CommandContext): Promise<number> {
  const entry = realpathSync(process.argv[1] ?? 'whalekeeper');
  return shim(String(argv.action), { dir: typeof argv.dir === 'string' ? argv.dir : undefined }, {
    output: ctx.output,
    files: createShimFiles(),
    target: { node: process.execPath, entry },
    env: ctx.env,
    home: ctx.home,
    cwd: ctx.cwd,
  });
}
