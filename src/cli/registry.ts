// Every command whalekeeper has, in the order --help lists them.
import { auditDefinition } from './commands/audit.js';
import { buildDefinition } from './commands/build.js';
import { runDefinition } from './commands/run.js';
import { shimDefinition } from './commands/shim.js';
import { verifyDefinition } from './commands/verify.js';
import { cleanDefinition } from './commands/clean.js';
import { diskDefinition } from './commands/disk.js';
import { lsDefinition } from './commands/ls.js';
import type { CommandDefinition } from './definition.js';

/** The commands, in the order --help lists them. Add one by adding its definition here. */
export const COMMANDS: readonly CommandDefinition[] = [
  runDefinition,
  buildDefinition,
  lsDefinition,
  cleanDefinition,
  diskDefinition,
  verifyDefinition,
  auditDefinition,
  shimDefinition,
];
