// dist/commands/shim.js: `whalekeeper shim` without yargs (scripts/build.mjs builds one bundle per file here).
import { shimDefinition } from '../commands/shim.js';
import { ALL_RENDERERS } from '../../render/all.js';
import { fastCommand } from '../fast-command.js';

export const main = fastCommand(shimDefinition, { renderers: ALL_RENDERERS });
