// dist/commands/build.js: `whalekeeper build` without yargs (scripts/build.mjs builds one bundle per file here).
import { buildDefinition } from '../commands/build.js';
import { ALL_RENDERERS } from '../../render/all.js';
import { fastCommand } from '../fast-command.js';

export const main = fastCommand(buildDefinition, { renderers: ALL_RENDERERS });
