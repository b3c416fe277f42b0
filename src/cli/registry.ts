// Every command whalekeeper has, in the order --help lists them.
import { runDefinition } from './commands/run.js';
import { verifyDefinition } from './commands/verify.js';
import type { CommandDefinition } from './definition.js';

/** The commands. Add one by adding its definition here. */
export const COMMANDS: readonly CommandDefinition[] = [runDefinition, verifyDefinition];
