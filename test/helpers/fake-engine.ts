// Engines that misbehave, on loopback: one that accepts connections and never answers, and a proxy in front of a
// real private engine that answers slowly or is lost midway (it stops answering and closes every connection).
import { createServer as createHttpServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A stand-in engine on 127.0.0.1, reached as `host` (tcp://127.0.0.1:PORT). */
export interface FakeEngine {
  readonly host: string;
  close(): Promise<void>;
}

/**
 * An engine that accepts every connection and never sends a byte: what a wedged dockerd (or a proxy in front of a
 * dead one) looks like to a client, since the kernel completes the handshake from the listen backlog.
 */
export async function startHungEngine(): Promise<FakeEngine & { connections(): number }> {
  const sockets = new Set<Socket>();
  let seen = 0;
  const server = createServer((socket) => {
    seen += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `tcp://127.0.0.1:${port}`,
    connections: () => seen,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What the proxy does with each request to the real engine. */
export interface ProxyBehaviour {
  /** Milliseconds to hold the engine's answer back before sending it on (0: at once). */
  readonly delayMs?: (method: string, path: string) => number;
  /** Requests never answered once this is true (the engine hangs): decided when each request arrives. */
  readonly hung?: (method: string, path: string) => boolean;
  /**
   * After this many successful container removals (DELETE /containers/… answered 2xx) have been passed on, the
   * engine is "lost": no later answer reaches the client, every connection is closed and no new one is accepted.
   */
  readonly loseAfterRemovals?: number;
}

/** A proxy (tcp://127.0.0.1:PORT) in front of the real engine at `socketPath`, and what it passed on. */
export interface EngineProxy extends FakeEngine {
  /** Successful container removals whose answer reached the client. */
  removalsPassed(): number;
  /** Connections the proxy accepted. */
  connections(): number;
}

/** Starts a proxy to the engine listening on the unix socket `socketPath`. */
export async function startEngineProxy(socketPath: string, behaviour: ProxyBehaviour = {}): Promise<EngineProxy> {
  let passed = 0;
  let accepted = 0;
  let lost = false;
  const sockets = new Set<Socket>();
  const server = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    if (behaviour.hung?.(req.method ?? 'GET', req.url ?? '/')) return;
    const upstream = request(
      { socketPath, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const send = (): void => {
            if (lost) return void res.socket?.destroy();
            const removal = req.method === 'DELETE' && /^(\/v[\d.]+)?\/containers\//.test(req.url ?? '') && (answer.statusCode ?? 0) < 300;
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(chunks));
            if (!removal) return;
            passed += 1;
            if (behaviour.loseAfterRemovals !== undefined && passed >= behaviour.loseAfterRemovals) lose();
          };
          const delay = behaviour.delayMs?.(req.method ?? 'GET', req.url ?? '/') ?? 0;
          if (delay > 0) setTimeout(send, delay);
          else send();
        });
      },
    );
    upstream.on('error', () => res.socket?.destroy());
    req.pipe(upstream);
  });
  server.on('connection', (socket: Socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // The last answer is written in full (a graceful end), then every other connection is cut: the engine is gone.
  const lose = (): void => {
    lost = true;
    server.close();
    for (const socket of sockets) socket.end();
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `tcp://127.0.0.1:${port}`,
    removalsPassed: () => passed,
    connections: () => accepted,
    close: async () => {
      lost = true;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A plain byte pipe from tcp://127.0.0.1:PORT to the engine at `socketPath` (attach streams included). */
export async function startTcpForward(socketPath: string): Promise<FakeEngine> {
  const sockets = new Set<Socket>();
  // Half-open: the docker client closes its side of an attach stream and then reads the container's output.
  const server = createServer({ allowHalfOpen: true }, (client) => {
    const upstream = connect({ path: socketPath, allowHalfOpen: true });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `tcp://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
