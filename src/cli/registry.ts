// Every command whalekeeper has, in the order --help lists them.
import { auditDefinition } from './commands/audit.js';
import { buildDefinition } from './commands/build.js';
import { runDefinition } from './commands/run.js';
import { shimDefinition } from './commands/shim.js';
import { verifyDefinition } from './commands/verify.js';
import type { CommandDefinition } from './definition.js';

/** The commands. Add one by adding its definition here. */
export const COMMANDS: readonly CommandDefinition[] = [runDefinition, buildDefinition, verifyDefinition, auditDefinition, shimDefinition];
