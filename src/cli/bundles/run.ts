// dist/commands/run.js: `whalekeeper run`, in front of every container: run's code and renderers only, no yargs.
import { isRunHelp } from '../../core/run-args.js';
import { BASE_RENDERERS } from '../../render/base.js';
import { runDefinition } from '../commands/run.js';
import { fastCommand } from '../fast-command.js';

export const main = fastCommand(runDefinition, { renderers: BASE_RENDERERS, wantsHelp: isRunHelp });
