// dist/commands/verify.js: `whalekeeper verify` without yargs (scripts/build.mjs builds one bundle per file here).
import { verifyDefinition } from '../commands/verify.js';
import { ALL_RENDERERS } from '../../render/all.js';
import { fastCommand } from '../fast-command.js';

export const main = fastCommand(verifyDefinition, { renderers: ALL_RENDERERS });
