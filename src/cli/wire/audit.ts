// Composition root of `audit`: the real file system under the working directory.
import { audit } from '../../commands/audit.js';
import { createAuditFiles } from '../../edge/audit-files.js';
import type { CommandContext } from '../context.js';

/** Runs `whalekeeper audit` over the paths yargs read. */
export function auditCommand(argv: Readonly<Record<string, unknown>>, ctx: CommandContext): Promise<number> {
  const paths = Array.isArray(argv.paths) ? argv.paths.map(String) : [];
  return audit(paths, { fix: argv.fix === true, strict: argv.strict === true }, { output: ctx.output, files: createAuditFiles(ctx.cwd) });
}
