// The probe `run` makes before anything starts: an answer to GET /_ping (or, with TLS, a handshake) within the bound.
import { execa } from 'execa';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBE_ABORTED, probeEngine } from '../../src/edge/engine-probe.js';

let dir: string;
const servers: Server[] = [];
const sockets = new Set<Socket>();

/** Listens on a free port of 127.0.0.1 and returns it. */
async function listen(server: Server): Promise<number> {
  servers.push(server);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

beforeAll(async () => {
  dir = await mkdtemp(`${tmpdir()}/wk-probe-`);
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  await rm(dir, { recursive: true, force: true });
});

const tcp = (port: number, tls = false) => ({
  host: `tcp://127.0.0.1:${port}`,
  tls: tls ? { verify: false, certPath: '/nonexistent' } : undefined,
  source: 'DOCKER_HOST',
  passToClient: false,
});

describe('probeEngine', () => {
  it('an engine answering GET /_ping passes; the request is the Engine API\'s ping', async () => {
    let request = '';
    const port = await listen(createServer((socket) => socket.once('data', (chunk) => {
      request = chunk.toString();
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK');
    })));
    expect(await probeEngine(tcp(port), { timeoutSeconds: 5 })).toBeUndefined();
    expect(request.split('\r\n')[0]).toBe('GET /_ping HTTP/1.1');
  });

  it('one that accepts and never answers fails within the bound, saying which', async () => {
    const port = await listen(createServer(() => {}));
    expect(await probeEngine(tcp(port), { timeoutSeconds: 0.3 })).toBe('connected, but no answer within 0.3 s');
  });

  it('one that closes without answering, and one that refuses, say so', async () => {
    const closing = await listen(createServer((socket) => socket.end()));
    expect(await probeEngine(tcp(closing), { timeoutSeconds: 5 })).toBe('the engine closed the connection without answering');
    // A port just freed: nothing listens there any more.
    const freed = createServer();
    await new Promise<void>((resolve) => freed.listen(0, '127.0.0.1', resolve));
    const port = (freed.address() as { port: number }).port;
    await new Promise((resolve) => freed.close(resolve));
    expect(await probeEngine(tcp(port), { timeoutSeconds: 5 })).toBe('ECONNREFUSED');
  });

  it('an abort signal ends the wait at once', async () => {
    const port = await listen(createServer(() => {}));
    const controller = new AbortController();
    const probing = probeEngine(tcp(port), { timeoutSeconds: 60, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect(await probing).toBe(PROBE_ABORTED);
  });

  it('TLS: a handshake counts as an answer; a TCP accept without one does not', async () => {
    await execa('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`,
      '-days', '1', '-subj', '/CN=127.0.0.1']);
    const tlsPort = await listen(createTlsServer({ key: await readFile(`${dir}/key.pem`), cert: await readFile(`${dir}/cert.pem`) }, (socket) => socket.end()));
    expect(await probeEngine(tcp(tlsPort, true), { timeoutSeconds: 5 })).toBeUndefined();
    const silent = await listen(createServer(() => {}));
    expect(await probeEngine(tcp(silent, true), { timeoutSeconds: 0.3 })).toBe('connected, but no answer within 0.3 s');
  });
});
