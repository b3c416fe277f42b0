// Real HTTP servers on 127.0.0.1 that play replicas for `verify` tests; each counts the connections it was given.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A replica server: its URL, what it saw, and how to stop it. */
export interface ReplicaServer {
  readonly port: number;
  readonly url: string;
  /** Requests in order, with the id of the connection each came on. */
  readonly requests: { connection: number; headers: IncomingMessage['headers']; url: string }[];
  connections(): number;
  close(): Promise<void>;
}

/** A handler gets the request number (1-based) and answers. */
export type ReplicaHandler = (n: number, req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** Answers `{"buildNumber": build}` as application/json. */
export function answerBuild(res: ServerResponse, build: number | string, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ buildNumber: build }));
}

/** Starts a replica on 127.0.0.1 (a given port, or any free one). */
export async function startReplica(handler: ReplicaHandler, port = 0): Promise<ReplicaServer> {
  const requests: ReplicaServer['requests'] = [];
  const sockets = new Map<Socket, number>();
  let n = 0;
  const server: Server = createServer((req, res) => {
    requests.push({ connection: sockets.get(req.socket) ?? -1, headers: req.headers, url: req.url ?? '' });
    void handler(++n, req, res);
  });
  server.on('connection', (socket) => sockets.set(socket, sockets.size + 1));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    port: actual,
    url: `http://127.0.0.1:${actual}`,
    requests,
    connections: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (bound then released). */
export async function freePort(): Promise<number> {
  const s = await startReplica(() => {});
  await s.close();
  return s.port;
}
