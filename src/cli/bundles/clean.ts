// dist/commands/clean.js: `whalekeeper clean` without yargs (scripts/build.mjs builds one bundle per file here).
import { cleanDefinition } from '../commands/clean.js';
import { ALL_RENDERERS } from '../../render/all.js';
import { fastCommand } from '../fast-command.js';

export const main = fastCommand(cleanDefinition, { renderers: ALL_RENDERERS });
