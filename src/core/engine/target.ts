// Which Docker engine to talk to, decided as the docker client decides it, plus WHALEKEEPER_HOST and --host on top.
import { nonEmpty } from '../values.js';

/** Environment variables, as a plain record (the process environment in production, a literal in tests). */
export type Env = Readonly<Record<string, string | undefined>>;

/** TLS settings for a tcp:// engine: DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, or a context's. */
export interface EngineTls {
  readonly verify: boolean;
  /** Folder holding ca.pem, cert.pem and key.pem. */
  readonly certPath: string;
}

/** The engine whalekeeper will use, and where that choice came from (for messages: "the host it tried"). */
export interface EngineTarget {
  readonly host: string;
  readonly tls: EngineTls | undefined;
  /** `--host`, `WHALEKEEPER_HOST`, `DOCKER_HOST`, `context NAME` or `default`. */
  readonly source: string;
  /** True when the docker client must be told the host with -H (it would not find it by itself). */
  readonly passToClient: boolean;
  /** `DOCKER_API_VERSION`, as the docker client reads it: the Engine API version to speak without negotiating. */
  readonly apiVersion?: string | undefined;
}

/** A docker context's endpoint, as read from ~/.docker/contexts by the edge. */
export interface ContextEndpoint {
  readonly name: string;
  readonly host: string;
  readonly tls: EngineTls | undefined;
}

/** The docker client's default engine on Linux. */
export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';


/** The context whose endpoint must be read, or undefined when a flag, a variable or the default decides. */
export function contextToLoad(flagHost: string | undefined, env: Env, currentContext: string | undefined): string | undefined {
  if (nonEmpty(flagHost) ?? nonEmpty(env.WHALEKEEPER_HOST) ?? nonEmpty(env.DOCKER_HOST)) return undefined;
  const name = nonEmpty(env.DOCKER_CONTEXT) ?? nonEmpty(currentContext);
  return name === 'default' ? undefined : name;
}

/** TLS as the docker client reads it: DOCKER_TLS_VERIFY (verified), else DOCKER_TLS (encrypted, not verified). */
function tlsFromEnv(env: Env, home: string): EngineTls | undefined {
  const certPath = nonEmpty(env.DOCKER_CERT_PATH) ?? `${home}/.docker`;
  if (nonEmpty(env.DOCKER_TLS_VERIFY)) return { verify: true, certPath };
  if (nonEmpty(env.DOCKER_TLS)) return { verify: false, certPath };
  return undefined;
}

/** Decides the engine: --host, WHALEKEEPER_HOST, DOCKER_HOST, the context (already loaded), then the default socket. */
export function resolveEngine(flagHost: string | undefined, env: Env, context: ContextEndpoint | undefined, home: string): EngineTarget {
  const target = engineOnly(flagHost, env, context, home);
  const apiVersion = nonEmpty(env.DOCKER_API_VERSION);
  return apiVersion === undefined ? target : { ...target, apiVersion };
}

function engineOnly(flagHost: string | undefined, env: Env, context: ContextEndpoint | undefined, home: string): EngineTarget {
  const tls = tlsFromEnv(env, home);
  const flag = nonEmpty(flagHost);
  if (flag) return { host: flag, tls, source: '--host', passToClient: true };
  const wk = nonEmpty(env.WHALEKEEPER_HOST);
  if (wk) return { host: wk, tls, source: 'WHALEKEEPER_HOST', passToClient: true };
  const dockerHost = nonEmpty(env.DOCKER_HOST);
  if (dockerHost) return { host: dockerHost, tls, source: 'DOCKER_HOST', passToClient: false };
  if (context) return { host: context.host, tls: context.tls, source: `context ${context.name}`, passToClient: false };
  return { host: DEFAULT_DOCKER_HOST, tls: undefined, source: 'default', passToClient: false };
}

/** Where a host string points, for a connection check: a unix socket path, a tcp address, or neither (ssh, npipe, fd). */
export type EngineAddress =
  | { readonly kind: 'unix'; readonly path: string }
  /** `path`: a base path before the API's (`tcp://proxy:2375/docker`), '' or '/' when none. */
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number; readonly path: string }
  | { readonly kind: 'other'; readonly scheme: string };

/**
 * Parses an engine address as the docker client does (ParseHost in docker/cli's opts/hosts.go): no scheme means
 * tcp://; unix, tcp, ssh, npipe and fd are the schemes it knows (http:// and https:// are not); a tcp address has an
 * optional numeric port (2375, 2376 with TLS) and may carry credentials, a path and a query, which it ignores.
 * A bare absolute path is taken as a unix socket. Throws an Error saying why the address cannot be used.
 */
export function engineAddress(host: string, tls: boolean): EngineAddress {
  const value = host.trim();
  if (value.startsWith('/')) return { kind: 'unix', path: value };
  const cut = value.indexOf('://');
  const scheme = cut === -1 ? 'tcp' : value.slice(0, cut);
  const rest = cut === -1 ? value : value.slice(cut + 3);
  switch (scheme) {
    case 'unix':
      return { kind: 'unix', path: rest === '' ? DEFAULT_DOCKER_HOST.slice('unix://'.length) : rest };
    case 'tcp':
      return tcpAddress(rest, tls);
    case 'ssh':
      if (!/^(?:[^/?#]*@)?[^/?#:@]+/.test(rest)) throw new Error('an ssh:// address needs a host name');
      return { kind: 'other', scheme };
    case 'npipe':
    case 'fd':
      return { kind: 'other', scheme };
    default:
      throw new Error(`docker knows no \`${scheme}://\` scheme`);
  }
}

function tcpAddress(rest: string, tls: boolean): EngineAddress {
  const match = /^(?:[^/?#]*@)?(\[[^\]/]*\]|[^:/?#]*)(?::([^/?#]*))?([/?#].*)?$/.exec(rest);
  const [, name = '', port = '', tail = ''] = match ?? [];
  if (!match || !/^(\[[0-9a-fA-F:.]+(%\w+)?\]|[\w.~-]*)$/.test(name)) throw new Error(`\`${name}\` is not a host name`);
  if (port !== '' && !(/^\d{1,5}$/.test(port) && Number(port) <= 65535)) throw new Error(`\`${port}\` is not a port`);
  return {
    kind: 'tcp',
    host: name === '' ? 'localhost' : name.replace(/^\[|\]$/g, ''),
    port: port === '' ? (tls ? 2376 : 2375) : Number(port),
    path: tail.replace(/[?#].*$/, ''),
  };
}

/**
 * True when the engine runs on this machine (or in this pod): a unix socket, or tcp to a loopback address (a DinD
 * sidecar shares the pod's network namespace). Only then can its data root be mounted here at the same path.
 */
export function isSameMachine(host: string): boolean {
  if (host.startsWith('unix://') || host.startsWith('/')) return true;
  const m = /^tcp:\/\/(\[[^\]]+\]|[^:/]+)/.exec(host);
  if (!m) return false;
  const name = m[1]!.toLowerCase();
  return name === 'localhost' || name === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(name);
}
