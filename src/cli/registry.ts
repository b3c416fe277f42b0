// Every command whalekeeper has, in the order --help lists them.
import { runDefinition } from './commands/run.js';
import { cleanDefinition } from './commands/clean.js';
import { diskDefinition } from './commands/disk.js';
import { lsDefinition } from './commands/ls.js';
import type { CommandDefinition } from './definition.js';

/** The commands. Add one by adding its definition here. */
export const COMMANDS: readonly CommandDefinition[] = [runDefinition, lsDefinition, cleanDefinition, diskDefinition];
