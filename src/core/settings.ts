// Raw global flags + environment → validated GlobalSettings, before any work is done.
import { resolveBuildIdentity, type BuildIdentity } from './build-identity.js';
import { engineAddress, resolveEngine, type ContextEndpoint, type EngineTarget, type Env } from './engine/target.js';
import { EngineHostError, UsageError } from './errors.js';
import { parseBoolWord } from './values.js';
import { GLOBAL_OPTIONS, type GlobalFlags, type GlobalOptionName } from './global-options.js';

/** What every command knows before it starts: engine, build, output mode, docker client. */
export interface GlobalSettings {
  readonly engine: EngineTarget;
  readonly build: BuildIdentity | undefined;
  /** A part of the build (--scope, WHALEKEEPER_SCOPE): labels `run`'s container and narrows a build-scoped `clean`. */
  readonly scope: string | undefined;
  readonly verbose: boolean;
  readonly json: boolean;
  readonly dockerBinary: string;
  readonly stopTimeoutSeconds: number;
  /** Seconds to wait for the engine to accept a connection and begin an answer (not for a whole long operation). */
  readonly engineTimeoutSeconds: number;
}

/** Default seconds a container gets after an abort signal: Jenkins sends SIGKILL about 5 s after SIGTERM. */
export const DEFAULT_STOP_TIMEOUT_SECONDS = 3;

/** Default seconds an engine gets to accept a connection and begin answering: a healthy one answers in milliseconds. */
export const DEFAULT_ENGINE_TIMEOUT_SECONDS = 10;

function fromEnv(name: GlobalOptionName, env: Env): string | boolean | number | undefined {
  const spec = GLOBAL_OPTIONS.find((o) => o.name === name)!;
  const raw = env[spec.env];
  if (raw === undefined || raw === '') return undefined;
  if (spec.type === 'string') return raw;
  if (spec.type === 'boolean') {
    const value = parseBoolWord(raw);
    if (value === undefined) throw new UsageError(`${spec.env} takes true or false, not \`${raw}\``);
    return value;
  }
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new UsageError(`${spec.env} takes a number, not \`${raw}\``);
  return n;
}

/** A global option's value: the flag if given, else its WHALEKEEPER_* variable. */
export function globalValue(name: GlobalOptionName, flags: GlobalFlags, env: Env): string | boolean | number | undefined {
  return flags[name] ?? fromEnv(name, env);
}

/** Resolves every global option by precedence (flag, WHALEKEEPER_*, CI variables, default) and validates it. */
export function resolveGlobals(flags: GlobalFlags, env: Env, context: ContextEndpoint | undefined, home: string): GlobalSettings {
  const stop = globalValue('stop-timeout', flags, env) ?? DEFAULT_STOP_TIMEOUT_SECONDS;
  if (typeof stop !== 'number' || stop < 0 || !Number.isInteger(stop)) {
    throw new UsageError(`--stop-timeout takes whole seconds (0 or more), not \`${String(stop)}\``);
  }
  const engineTimeout = globalValue('engine-timeout', flags, env) ?? DEFAULT_ENGINE_TIMEOUT_SECONDS;
  if (typeof engineTimeout !== 'number' || !(engineTimeout > 0) || !Number.isFinite(engineTimeout)) {
    throw new UsageError(`--engine-timeout takes seconds (more than 0), not \`${String(engineTimeout)}\``);
  }
  const build = globalValue('build', flags, env);
  const scope = globalValue('scope', flags, env);
  const docker = globalValue('docker', flags, env);
  // resolveEngine reads WHALEKEEPER_HOST itself, so that messages name where the host came from.
  const engine = resolveEngine(typeof flags.host === 'string' ? flags.host : undefined, env, context, home);
  try {
    engineAddress(engine.host, engine.tls !== undefined);
  } catch (error) {
    throw new EngineHostError(engine.source, engine.host, (error as Error).message);
  }
  return {
    engine,
    build: resolveBuildIdentity(typeof build === 'string' ? build : undefined, env),
    scope: typeof scope === 'string' && scope !== '' ? scope : undefined,
    verbose: globalValue('verbose', flags, env) === true,
    json: globalValue('json', flags, env) === true,
    dockerBinary: typeof docker === 'string' ? docker : 'docker',
    stopTimeoutSeconds: stop,
    engineTimeoutSeconds: engineTimeout,
  };
}

/** Global options the docker client must be given to reach the same engine as whalekeeper. */
export function clientGlobalArgs(settings: GlobalSettings): string[] {
  return settings.engine.passToClient ? ['--host', settings.engine.host] : [];
}
