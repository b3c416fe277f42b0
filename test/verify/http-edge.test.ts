// The HTTP edge of `verify` against real servers on 127.0.0.1: pinned addresses, TLS trust, redirects.
import { execa } from 'execa';
import { getEventListeners } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import { connect, type AddressInfo } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { createHttp, type HttpOptions } from '../../src/edge/http.js';
import { answerBuild, startReplica } from '../helpers/http-replica.js';

const options: HttpOptions = { headers: [], ca: undefined, insecure: false, env: {}, userAgent: 'test' };
const never = new AbortController().signal;
const LOOPBACK = { address: '127.0.0.1', family: 4 } as const;

let dir: string;
let cert: string;
let key: string;
let tls: Server;
let tlsPort: number;
const servernames: (string | false | null)[] = [];

beforeAll(async () => {
  // A self-signed certificate for replicas.test and 127.0.0.1, made for this run.
  dir = await mkdtemp(join(tmpdir(), 'wk-verify-tls-'));
  await execa('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=replicas.test',
    '-addext', 'subjectAltName=DNS:replicas.test,IP:127.0.0.1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ]);
  cert = await readFile(join(dir, 'cert.pem'), 'utf8');
  key = await readFile(join(dir, 'key.pem'), 'utf8');
  tls = createServer({ cert, key }, (req, res) => {
    servernames.push((req.socket as TLSSocket).servername);
    answerBuild(res, 209);
  });
  await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
  tlsPort = (tls.address() as AddressInfo).port;
});

afterAll(async () => {
  tls.closeAllConnections();
  await new Promise((resolve) => tls.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('Http.getDiagnostics', () => {
  it('a pinned address is connected to while Host stays the URL\'s (--all-addresses)', async () => {
    const server = await startReplica((_n, _req, res) => answerBuild(res, 209));
    onTestFinished(() => server.close());
    const answer = await createHttp(options).getDiagnostics(`http://replicas.test:${server.port}/diagnostics`, LOOPBACK, 3000, never);
    expect(answer).toMatchObject({ kind: 'response', status: 200 });
    expect(server.requests[0]!.headers.host).toBe(`replicas.test:${server.port}`);
  });

  it('verifies TLS by default: a self-signed certificate is unreachable', async () => {
    const answer = await createHttp(options).getDiagnostics(`https://127.0.0.1:${tlsPort}/diagnostics`, undefined, 3000, never);
    expect(answer).toMatchObject({ kind: 'failure', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });

  it('--ca trusts the given CA; a pinned address keeps the TLS server name', async () => {
    const answer = await createHttp({ ...options, ca: cert }).getDiagnostics(`https://replicas.test:${tlsPort}/diagnostics`, LOOPBACK, 3000, never);
    expect(answer).toMatchObject({ kind: 'response', status: 200 });
    expect(servernames.at(-1)).toBe('replicas.test');
  });

  it('--insecure accepts any certificate, only when asked', async () => {
    const answer = await createHttp({ ...options, insecure: true }).getDiagnostics(`https://127.0.0.1:${tlsPort}/diagnostics`, undefined, 3000, never);
    expect(answer).toMatchObject({ kind: 'response', status: 200 });
  });

  it('one hop only: a redirect comes back with its Location; a hop to another origin goes without the user\'s headers', async () => {
    const other = await startReplica((_n, _req, res) => answerBuild(res, 209));
    const first = await startReplica((_n, _req, res) => {
      res.writeHead(302, { location: `${other.url}/diagnostics` });
      res.end();
    });
    onTestFinished(() => Promise.all([other.close(), first.close()]).then(() => undefined));
    const http = createHttp({ ...options, headers: [{ name: 'X-Token', value: 'secret' }] });
    const answer = await http.getDiagnostics(`${first.url}/diagnostics`, undefined, 3000, never);
    expect(answer).toMatchObject({ kind: 'response', status: 302, location: `${other.url}/diagnostics` });
    expect(first.requests[0]!.headers['x-token']).toBe('secret');
    expect(other.requests).toHaveLength(0);
    const next = await http.getDiagnostics(`${other.url}/diagnostics`, undefined, 3000, never, false);
    expect(next).toMatchObject({ kind: 'response', status: 200 });
    expect(other.requests[0]!.headers['x-token']).toBeUndefined();
  });

  it('lets go of each finished request: no listener stays on the run\'s shared abort signal', async () => {
    // verify's rounds share one AbortSignal; a listener left on it keeps its request (socket, response) alive until exit
    const replica = await startReplica((_n, _req, res) => answerBuild(res, 209));
    onTestFinished(() => replica.close());
    const shared = new AbortController().signal;
    const http = createHttp(options);
    const answers = await Promise.all(Array.from({ length: 5 }, () => http.getDiagnostics(`${replica.url}/diagnostics`, undefined, 3000, shared)));
    expect(answers.map((a) => a.kind)).toEqual(Array(5).fill('response'));
    expect(getEventListeners(shared, 'abort')).toHaveLength(0);
  });

  it('ends every request under way when the shared signal aborts: one listener for all of them, none after', async () => {
    // The replica never answers: only the abort can end these requests before their 30 s budget.
    const replica = await startReplica(() => undefined);
    onTestFinished(() => replica.close());
    const controller = new AbortController();
    const http = createHttp(options);
    const pending = Promise.all(Array.from({ length: 20 }, () => http.getDiagnostics(`${replica.url}/diagnostics`, undefined, 30_000, controller.signal)));
    await vi.waitFor(() => expect(replica.requests).toHaveLength(20));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort();
    const answers = await pending;
    expect(answers).toEqual(Array(20).fill({ kind: 'failure', code: 'ERR_ABORTED', message: 'This operation was aborted' }));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    // A request asked for after the abort is not sent.
    expect(await http.getDiagnostics(`${replica.url}/diagnostics`, undefined, 30_000, controller.signal)).toMatchObject({ kind: 'failure', code: 'ERR_ABORTED' });
    expect(replica.requests).toHaveLength(20);
  });

  it('https through HTTPS_PROXY goes by CONNECT, with --ca still verifying the replica', async () => {
    const tunnels: string[] = [];
    const sockets: { destroy(): void }[] = [];
    const proxy = createHttpServer();
    proxy.on('connect', (req, client, head) => {
      tunnels.push(req.url ?? '');
      // the tunnel leads to the TLS replica whatever name was asked for
      const upstream = connect(tlsPort, '127.0.0.1', () => {
        sockets.push(upstream, client);
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => {
      // tunnelled sockets are detached from the server: closeAllConnections does not see them
      for (const socket of sockets) socket.destroy();
      proxy.closeAllConnections();
      proxy.close(() => resolve());
    }));
    const env = { HTTPS_PROXY: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` };
    const answer = await createHttp({ ...options, ca: cert, env }).getDiagnostics('https://replicas.test/diagnostics', undefined, 3000, never);
    expect(answer).toMatchObject({ kind: 'response', status: 200 });
    expect(tunnels).toEqual(['replicas.test:443']);
    expect(servernames.at(-1)).toBe('replicas.test');
    // without the CA, the tunnel does not lower the bar: the certificate is still refused
    const refused = await createHttp({ ...options, env }).getDiagnostics('https://replicas.test/diagnostics', undefined, 3000, never);
    expect(refused).toMatchObject({ kind: 'failure' });
  });
});
