// Engines that stopped answering, as a unix socket: one that accepts connections and never answers anything, and one
// that answers only the health check (`GET`/`HEAD /_ping`, 200 `OK` with an `API-Version` header, as the Engine API
// documents it: https://docs.docker.com/reference/api/engine/version/v1.41/#tag/System/operation/SystemPing) and
// then never answers the request that follows (the create of `docker run`): an engine hung midway.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';

/** A fake engine on a unix socket: its DOCKER_HOST, the requests it was sent (first lines), and its stop. */
export interface HungEngine {
  readonly host: string;
  readonly socketPath: string;
  readonly requests: string[];
  close(): Promise<void>;
}

/** Starts a fake engine; `answersPing` makes it answer /_ping (only). */
export async function startHungEngine(options: { answersPing: boolean }): Promise<HungEngine> {
  const dir = await mkdtemp(`${tmpdir()}/wk-hung-engine-`);
  const socketPath = `${dir}/docker.sock`;
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      // One request per blank line; bodies (the create's JSON) are read and ignored.
      for (let end = buffered.indexOf('\r\n\r\n'); end !== -1; end = buffered.indexOf('\r\n\r\n')) {
        const head = buffered.slice(0, end);
        buffered = buffered.slice(end + 4);
        const first = head.split('\r\n', 1)[0]!;
        if (!/^[A-Z]+ \//.test(first)) continue;
        requests.push(first);
        if (options.answersPing && /^(GET|HEAD) \/(v[\d.]+\/)?_ping /.test(first)) {
          const body = first.startsWith('HEAD') ? '' : 'OK';
          socket.write(`HTTP/1.1 200 OK\r\nAPI-Version: 1.41\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n\r\n${body}`);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    host: `unix://${socketPath}`,
    socketPath,
    requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
