// Reads the docker client's configuration (DOCKER_CONFIG or ~/.docker): the current context and a context's endpoint.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContextEndpoint, Env } from '../core/engine/target.js';

/** The docker client's configuration folder. */
export function dockerConfigDir(env: Env, home: string): string {
  return env.DOCKER_CONFIG && env.DOCKER_CONFIG !== '' ? env.DOCKER_CONFIG : join(home, '.docker');
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** `currentContext` from config.json, if set. */
export function readCurrentContext(configDir: string): string | undefined {
  const config = readJson(join(configDir, 'config.json')) as { currentContext?: unknown } | undefined;
  return typeof config?.currentContext === 'string' ? config.currentContext : undefined;
}

/**
 * The docker endpoint of a named context; throws when the context does not exist, as the docker client does.
 * node:crypto (for the folder's name, a SHA-256 of the context's) is loaded only here: it costs `run` ~2.5 ms.
 */
export async function readContextEndpoint(configDir: string, name: string): Promise<ContextEndpoint> {
  const { createHash } = await import('node:crypto');
  const id = createHash('sha256').update(name).digest('hex');
  const meta = readJson(join(configDir, 'contexts', 'meta', id, 'meta.json')) as
    | { Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } } }
    | undefined;
  const host = meta?.Endpoints?.docker?.Host;
  if (typeof host !== 'string') throw new Error(`docker context \`${name}\` not found in ${configDir}`);
  const tlsDir = join(configDir, 'contexts', 'tls', id, 'docker');
  const hasTls = existsSync(join(tlsDir, 'ca.pem'));
  return { name, host, tls: hasTls ? { verify: meta?.Endpoints?.docker?.SkipTLSVerify !== true, certPath: tlsDir } : undefined };
}

