// dist/commands/audit.js: `whalekeeper audit` without yargs (scripts/build.mjs builds one bundle per file here).
import { auditDefinition } from '../commands/audit.js';
import { ALL_RENDERERS } from '../../render/all.js';
import { fastCommand } from '../fast-command.js';

export const main = fastCommand(auditDefinition, { renderers: ALL_RENDERERS });
