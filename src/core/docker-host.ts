// Whether the docker client can use an engine address at all, decided as its own parser does (docker/cli
// opts/hosts.go ParseHost, and connhelper for ssh://), so that `run` and `build` refuse one before docker says
// "Failed to initialize" with an exit 1 that reads like the container's.
import type { EngineTarget } from './engine-target.js';
import { UsageError } from './errors.js';
import { EXIT } from './exit-codes.js';

/** The schemes the docker client connects to; a word without one is taken as a tcp host, as the client does. */
const CLIENT_SCHEMES = ['unix', 'tcp', 'ssh', 'npipe'];

/** Why the docker client cannot use `host`, or undefined when it can (reaching it is another matter). */
export function dockerHostProblem(host: string): string | undefined {
  const trimmed = host.trim();
  if (trimmed === '') return undefined;
  const separator = trimmed.indexOf('://');
  const scheme = separator === -1 ? 'tcp' : trimmed.slice(0, separator).toLowerCase();
  const rest = separator === -1 ? trimmed : trimmed.slice(separator + 3);
  if (!CLIENT_SCHEMES.includes(scheme)) {
    return `the docker client takes unix://, tcp://, ssh:// or npipe:// addresses, not ${scheme}://`;
  }
  if (scheme === 'ssh') {
    const authority = rest.split('/', 1)[0]!;
    const hostname = authority.slice(authority.lastIndexOf('@') + 1).replace(/:\d*$/, '');
    return hostname === '' ? 'an ssh:// address needs a host name' : undefined;
  }
  if (scheme !== 'tcp') return undefined;
  const authority = rest.split(/[/?#]/, 1)[0]!;
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const bracket = /^\[([^\]]*)\](.*)$/.exec(hostPort);
  if (hostPort.startsWith('[') && !bracket) return 'an IPv6 address needs its closing `]`';
  const port = bracket ? bracket[2]! : hostPort.includes(':') ? hostPort.slice(hostPort.lastIndexOf(':')) : '';
  if (port !== '' && !/^:\d{0,5}$/.test(port)) return `the port \`${port.slice(1)}\` is not a number`;
  if (port.length > 1 && Number(port.slice(1)) > 65535) return `the port \`${port.slice(1)}\` is out of range`;
  return undefined;
}

/** `host` as a message may quote it: user information and query values masked (they can hold credentials). */
export function displayHost(host: string): string {
  return host.replace(/^([a-z]+:\/\/)[^/@?#]*@/i, '$1***@').replace(/([?&][^=&#]+=)[^&#]*/g, '$1***');
}

/** Throws the usage error `run` and `build` end with (exit 125, docker's convention) when docker cannot use the engine's address. */
export function assertDockerCanUse(engine: EngineTarget): void {
  const problem = dockerHostProblem(engine.host);
  if (problem === undefined) return;
  throw new UsageError(`${engine.source} \`${displayHost(engine.host)}\` is not an address docker can use: ${problem}`, {
    exitCode: EXIT.dockerFailed,
    hint: 'set DOCKER_HOST (or --host) to unix:///path/to/docker.sock, tcp://host:port or ssh://user@host',
  });
}
