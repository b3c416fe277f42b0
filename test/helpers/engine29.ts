// A Docker Engine 29 stand-in: a unix-socket server in front of a private engine (Debian's dockerd 20.10, API 1.41;
// a newer dockerd cannot be installed here) that answers as Engine 29.0 does where a client can tell, and forwards
// the rest to the real engine at the real engine's own version, hijacked attach streams included.
//
// Engine 29.0's behaviour, as documented in moby (tag docker-v29.0.0):
// - daemon/config/config.go: MaxAPIVersion "1.52", defaultMinAPIVersion "1.44" (29.3 lowered it to 1.40 again; main
//   today serves up to 1.56);
// - daemon/server/middleware/version.go: every answer carries `Api-Version` (the newest), `Server` and `Ostype`; a path
//   without a version is served at the newest; a versioned path below the minimum or above the newest answers 400
//   `{"message":"client version X is too old. Minimum supported API version is Y, please upgrade your client to a
//   newer version"}` or `… is too new. Maximum supported API version is Z`;
// - daemon/server/router/system/system_routes.go: GET and HEAD /_ping answer `OK` with Cache-Control, Pragma,
//   Builder-Version and Swarm; GET /version carries ApiVersion and MinAPIVersion;
// - api/docs/CHANGELOG.md: where the 20.10 engine behind would act differently on a request Engine 29 accepts, the
//   stand-in does what Engine 29 does: POST /build/prune reads `reserved-space` (falling back to `keep-storage`) from
//   API 1.48 on and only `keep-storage` before (build_routes.go); POST /networks/create refuses a duplicate name
//   whatever `CheckDuplicate` says (unversioned since 1.44).
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';

/** The versions a stand-in serves: Engine 29.0's by default. */
export interface StandInVersions {
  readonly engine: string;
  readonly max: string;
  readonly min: string;
}

/** Docker Engine 29.0. */
export const ENGINE_29: StandInVersions = { engine: '29.0.0', max: '1.52', min: '1.44' };

/** One request the stand-in saw: method and path as sent; the body of the two it reads. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  /** POST /networks/create's body as whalekeeper sent it. */
  body?: unknown;
}

/** A running stand-in: its DOCKER_HOST, the requests it saw (oldest first), and how to stop it. */
export interface StandIn {
  readonly host: string;
  readonly requests: SeenRequest[];
  close(): Promise<void>;
}

const BACKEND_API = '1.41';

function compare(a: string, b: string): number {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  return x[0]! - y[0]! || x[1]! - y[1]!;
}

/** The middleware's check: undefined when `version` is served, else the 400 message. */
function refusal(version: string, v: StandInVersions): string | undefined {
  if (compare(version, v.min) < 0) return `client version ${version} is too old. Minimum supported API version is ${v.min}, please upgrade your client to a newer version`;
  if (compare(version, v.max) > 0) return `client version ${version} is too new. Maximum supported API version is ${v.max}`;
  return undefined;
}

/** Splits `/v1.44/containers/json?all=1` into the version asked (the newest when none) and the rest. */
function route(url: string, v: StandInVersions): { version: string; rest: string } {
  const match = /^\/v([0-9.]+)(\/.*)$/.exec(url);
  return match ? { version: match[1]!, rest: match[2]! } : { version: v.max, rest: url };
}

function middlewareHeaders(v: StandInVersions): Record<string, string> {
  return { 'Api-Version': v.max, Server: `Docker/${v.engine} (linux)`, Ostype: 'linux' };
}

function json(res: ServerResponse, status: number, body: unknown, v: StandInVersions): void {
  res.writeHead(status, { ...middlewareHeaders(v), 'Content-Type': 'application/json' });
  res.end(`${JSON.stringify(body)}\n`);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Request headers for the real engine: hop-by-hop ones dropped, a rewritten body's length set. */
function forwardHeaders(headers: IncomingHttpHeaders, length?: number): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = { ...headers };
  if (length !== undefined) {
    delete out['transfer-encoding'];
    out['content-length'] = String(length);
  }
  return out;
}

/** Starts a stand-in for `versions` in front of the engine at `backendHost` (unix://). */
export async function startStandIn(backendHost: string, versions: StandInVersions = ENGINE_29): Promise<StandIn> {
  const backend = backendHost.replace(/^unix:\/\//, '');
  const dir = mkdtempSync(join(tmpdir(), 'wk-e29-'));
  const socketPath = join(dir, 'docker.sock');
  const requests: SeenRequest[] = [];
  const hijacked = new Set<Duplex>();

  const forward = async (req: IncomingMessage, res: ServerResponse, seen: SeenRequest, version: string, rest: string): Promise<void> => {
    let path = `/v${BACKEND_API}${rest}`;
    let body: Buffer | undefined;
    const [pathname, query = ''] = rest.split('?') as [string, string?];
    if (req.method === 'POST' && pathname === '/build/prune') {
      const params = new URLSearchParams(query);
      const reserved = compare(version, '1.48') >= 0 ? params.get('reserved-space') || params.get('keep-storage') : params.get('keep-storage');
      params.delete('reserved-space');
      params.delete('keep-storage');
      if (reserved) params.set('keep-storage', reserved);
      path = `/v${BACKEND_API}/build/prune?${params.toString()}`;
    }
    if (req.method === 'POST' && pathname === '/networks/create') {
      const parsed = JSON.parse((await readBody(req)).toString('utf8') || '{}') as Record<string, unknown>;
      seen.body = parsed;
      body = Buffer.from(JSON.stringify({ ...parsed, CheckDuplicate: true }));
    }
    const upstream = request({ socketPath: backend, method: req.method, path, headers: forwardHeaders(req.headers, body?.length) }, (answer) => {
      const headers: IncomingHttpHeaders = { ...answer.headers, ...middlewareHeaders(versions) };
      delete headers['api-version'];
      delete headers.server;
      delete headers.ostype;
      delete headers.connection;
      delete headers['keep-alive'];
      res.writeHead(answer.statusCode ?? 502, { ...headers, ...middlewareHeaders(versions) });
      // Headers at once, as the engine flushes them: the docker client waits for POST …/wait's before it starts.
      res.flushHeaders();
      answer.pipe(res);
    });
    upstream.on('error', (error) => (res.headersSent ? res.destroy(error) : json(res, 502, { message: `stand-in: ${error.message}` }, versions)));
    if (body !== undefined) upstream.end(body);
    else req.pipe(upstream);
  };

  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const seen: SeenRequest = { method: req.method ?? 'GET', url };
    requests.push(seen);
    const { version, rest } = route(url, versions);
    const refused = refusal(version, versions);
    if (refused) return json(res, 400, { message: refused }, versions);
    const pathname = rest.split('?')[0];
    if (pathname === '/_ping') {
      res.writeHead(200, {
        ...middlewareHeaders(versions),
        'Cache-Control': 'no-cache, no-store, must-revalidate',
        Pragma: 'no-cache',
        'Builder-Version': '2',
        Swarm: 'inactive',
        'Content-Type': 'text/plain; charset=utf-8',
      });
      return res.end(req.method === 'HEAD' ? undefined : 'OK');
    }
    if (pathname === '/version' && req.method === 'GET') {
      return json(
        res,
        200,
        {
          Platform: { Name: 'Docker Engine - Community' },
          Components: [{ Name: 'Engine', Version: versions.engine, Details: { ApiVersion: versions.max, MinAPIVersion: versions.min, Os: 'linux' } }],
          Version: versions.engine,
          ApiVersion: versions.max,
          MinAPIVersion: versions.min,
          Os: 'linux',
          Arch: 'amd64',
          KernelVersion: '',
        },
        versions,
      );
    }
    forward(req, res, seen, version, rest).catch((error: Error) => res.destroy(error));
  });

  // Hijacked streams (attach, exec start: `Connection: Upgrade`): checked like any request, then spliced byte for byte.
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = req.url ?? '/';
    requests.push({ method: req.method ?? 'POST', url });
    const { version, rest } = route(url, versions);
    const refused = refusal(version, versions);
    if (refused) {
      const body = `${JSON.stringify({ message: refused })}\n`;
      socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nApi-Version: ${versions.max}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    hijacked.add(socket);
    socket.on('close', () => hijacked.delete(socket));
    const upstream = connect({ path: backend }, () => {
      const lines = [`${req.method} /v${BACKEND_API}${rest} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    const end = (): void => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on('error', end);
    socket.on('error', end);
  });

  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    host: `unix://${socketPath}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      for (const socket of hijacked) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
