// Checks that the engine answers, so an engine that is down, or up but hung, gives one clear line within a bound.
import { connect, isIP, type Socket } from 'node:net';
import { engineAddress, type EngineTarget } from '../core/engine/target.js';

/** Resolves undefined when the engine answers, or the reason it does not; `aborted` when `signal` fired first. */
export type EngineProbe = (engine: EngineTarget, options: { timeoutSeconds: number; signal?: AbortSignal }) => Promise<string | undefined>;

/** The reason a probe gives when its caller stopped waiting (an abort signal): not the engine's fault. */
export const PROBE_ABORTED = 'aborted';

/**
 * The Engine API's health check (`GET /_ping`, https://docs.docker.com/reference/api/engine/version/v1.44/#tag/System/operation/SystemPing):
 * any status counts as an answer; the docker client reports errors of its own. Unversioned, as the client's own
 * negotiation sends it.
 */
const PING = 'GET /_ping HTTP/1.1\r\nHost: docker\r\nUser-Agent: whalekeeper\r\nConnection: close\r\n\r\n';

/**
 * Connects to a unix socket or tcp address and waits for the first bytes of the answer to `GET /_ping` (well under a
 * millisecond locally), within `timeoutSeconds`. With TLS, a finished handshake (or the engine's refusal of it)
 * counts as an answer, since the client certificate is the docker client's business.
 */
export const probeEngine: EngineProbe = async (engine, { timeoutSeconds, signal }) => {
  let address;
  try {
    address = engineAddress(engine.host, engine.tls !== undefined);
  } catch (error) {
    return (error as Error).message;
  }
  // ssh:// and other transports are the docker client's business; it reports its own failures.
  if (address.kind === 'other') return undefined;
  if (signal?.aborted) return PROBE_ABORTED;
  const tls = address.kind === 'tcp' && engine.tls !== undefined ? await import('node:tls') : undefined;
  return new Promise((resolve) => {
    let connected = false;
    let socket: Socket;
    if (address.kind === 'unix') socket = connect({ path: address.path });
    else if (tls) socket = tls.connect({ host: address.host, port: address.port, rejectUnauthorized: false, servername: isIP(address.host) ? '' : address.host });
    else socket = connect({ host: address.host, port: address.port });
    const timer = setTimeout(
      () => done(connected ? `connected, but no answer within ${timeoutSeconds} s` : `no connection within ${timeoutSeconds} s`),
      timeoutSeconds * 1000,
    );
    const onAbort = (): void => done(PROBE_ABORTED);
    signal?.addEventListener('abort', onAbort, { once: true });
    function done(reason: string | undefined): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(reason);
    }
    socket.once('connect', () => {
      connected = true;
      if (!tls) socket.write(PING);
    });
    socket.once('secureConnect', () => done(undefined));
    socket.once('data', () => done(undefined));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      // Past the TCP connection, a TLS error is the engine answering (refusing our missing client certificate).
      done(tls && connected ? undefined : (error.code ?? error.message));
    });
    socket.once('end', () => done(connected && !tls ? 'the engine closed the connection without answering' : undefined));
  });
};
