// Global flags + process environment + the docker client's config files → GlobalSettings.
import { contextToLoad, type ContextEndpoint, type Env } from '../core/engine/target.js';
import { UsageError } from '../core/errors.js';
import type { GlobalFlags } from '../core/global-options.js';
import { globalValue, resolveGlobals, type GlobalSettings } from '../core/settings.js';
import { dockerConfigDir, readContextEndpoint, readCurrentContext } from './docker-config.js';

/** Resolves the global settings, reading docker's config only when no flag or variable names the engine. */
export async function loadGlobalSettings(flags: GlobalFlags, env: Env, home: string): Promise<GlobalSettings> {
  const host = globalValue('host', flags, env);
  const flagHost = typeof host === 'string' ? host : undefined;
  let context: ContextEndpoint | undefined;
  if (!flagHost && !env.WHALEKEEPER_HOST && !env.DOCKER_HOST) {
    const configDir = dockerConfigDir(env, home);
    // config.json is read only when DOCKER_CONTEXT does not already name the context.
    const name = contextToLoad(flagHost, env, env.DOCKER_CONTEXT ? undefined : readCurrentContext(configDir));
    if (name !== undefined) {
      try {
        context = await readContextEndpoint(configDir, name);
      } catch (error) {
        throw new UsageError((error as Error).message, { hint: 'list contexts with `docker context ls`', cause: error });
      }
    }
  }
  return resolveGlobals(flags, env, context, home);
}
