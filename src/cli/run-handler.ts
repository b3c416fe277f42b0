// The one way into a command's handler, for yargs (parser.ts) and for the fast path (fast-command.ts) alike.
import type { GlobalFlags } from '../core/global-options.js';
import { urlSecrets } from '../core/mask.js';
import { loadGlobalSettings } from '../edge/load-settings.js';
import type { Renderers } from '../render/base.js';
import { createOutput } from '../render/output.js';
import type { Invocation } from './context.js';
import type { CommandDefinition } from './definition.js';

/** Resolves the global settings and the output, then runs the command's handler; resolves with its exit code. */
export async function runHandler(
  definition: CommandDefinition,
  argv: Readonly<Record<string, unknown>>,
  flags: GlobalFlags,
  invocation: Invocation,
  rest: readonly string[],
  renderers: Renderers,
): Promise<number> {
  const settings = await loadGlobalSettings(flags, invocation.env, invocation.home);
  const output = await createOutput({ json: settings.json, streams: invocation.streams, env: invocation.env, renderers });
  // The engine URL's credentials and query values, wherever a message quotes it.
  for (const secret of urlSecrets(settings.engine.host)) output.addSecret(secret);
  return definition.handler(argv, { ...invocation, flags, settings, output, rest });
}
