// dist/commands/ls.js: `whalekeeper ls` without yargs (scripts/build.mjs builds one bundle per file here).
import { lsDefinition } from '../commands/ls.js';
import { ALL_RENDERERS } from '../../render/all.js';
import { fastCommand } from '../fast-command.js';

export const main = fastCommand(lsDefinition, { renderers: ALL_RENDERERS });
