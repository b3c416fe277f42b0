// Checks that the engine's address accepts a connection, so an unreachable engine gives one clear line.
import { connect } from 'node:net';
import { engineAddress, type EngineTarget } from '../core/engine-target.js';

/** Resolves undefined when the engine accepts a connection, or the reason it does not. */
export type EngineProbe = (engine: EngineTarget) => Promise<string | undefined>;

/** Probes a unix socket or tcp address with a connect (no request: it costs well under a millisecond locally). */
export const probeEngine: EngineProbe = (engine) => {
  let address;
  try {
    address = engineAddress(engine.host, engine.tls !== undefined);
  } catch (error) {
    return Promise.resolve((error as Error).message);
  }
  // ssh:// and other transports are the docker client's business; it reports its own failures.
  if (address.kind === 'other') return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const socket =
      address.kind === 'unix' ? connect({ path: address.path }) : connect({ host: address.host, port: address.port });
    const done = (reason: string | undefined): void => {
      socket.destroy();
      resolve(reason);
    };
    socket.setTimeout(5000, () => done('no answer within 5 s'));
    socket.once('connect', () => done(undefined));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
};
