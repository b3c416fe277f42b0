// dist/commands/disk.js: `whalekeeper disk` without yargs (scripts/build.mjs builds one bundle per file here).
import { diskDefinition } from '../commands/disk.js';
import { ALL_RENDERERS } from '../../render/all.js';
import { fastCommand } from '../fast-command.js';

export const main = fastCommand(diskDefinition, { renderers: ALL_RENDERERS });
