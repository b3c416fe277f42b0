// An engine that answers is never "unreachable": error answers, engines too old or too new for whalekeeper, each
// told in one line with its own exit code, by stand-ins on unix sockets (the private engine cannot be made to do it).
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cleanEnv, whalekeeper } from '../helpers/cli.js';
import { startStandIn, type StandIn } from '../helpers/engine29.js';

const host = inject('dockerHost');
let dir: string;
let failing: Server;
let noPing: Server;
const stands: StandIn[] = [];

/** A server on a unix socket answering every request with `status` and moby's error body (`{"message": …}`). */
async function answering(socket: string, status: (url: string) => number, headers: Record<string, string>): Promise<Server> {
  const server = createServer((req, res) => {
    const code = status(req.url ?? '/');
    res.writeHead(code, { 'Content-Type': 'application/json', ...headers });
    res.end(code < 300 ? '"OK"' : JSON.stringify({ message: `stand-in error for ${req.url}` }));
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return server;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wk-answers-'));
  // An engine that answers its _ping but fails the rest (as a daemon whose storage broke): documented error shape.
  failing = await answering(join(dir, 'failing.sock'), (url) => (url === '/_ping' ? 200 : 500), { 'Api-Version': '1.52' });
  // Something that answers 404 to everything without Api-Version: not an engine whalekeeper can speak to.
  noPing = await answering(join(dir, 'noping.sock'), () => 404, {});
});

afterAll(async () => {
  for (const server of [failing, noPing]) await new Promise((resolve) => server?.close(resolve));
  for (const stand of stands) await stand.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('an engine that answers is never reported unreachable', () => {
  it('an error answer: exit 3, "answered … with 500", not "cannot reach"', async () => {
    const result = await whalekeeper(['ls'], cleanEnv(`unix://${join(dir, 'failing.sock')}`));
    expect(result.exitCode).toBe(3);
    expect(result.stderr.trim()).toMatch(/^whalekeeper: error: the Docker engine at unix:\/\/\S+ answered GET \/containers\/json\?all=1 with 500: stand-in error for \/v1\.52\/containers\/json\?all=1$/);
    expect(result.stderr).not.toContain('cannot reach');
  });

  it('no version from _ping nor /version: the _ping answer is reported, exit 3', async () => {
    const result = await whalekeeper(['disk'], cleanEnv(`unix://${join(dir, 'noping.sock')}`));
    expect(result.exitCode).toBe(3);
    expect(result.stderr.trim()).toMatch(/^whalekeeper: error: the Docker engine at \S+ answered GET \/_ping with 404: stand-in error for \/_ping$/);
  });

  it('an engine older than Docker 20.10 (API 1.40): exit 4, upgrade the engine', async () => {
    const old = await startStandIn(host, { engine: '19.03.15', max: '1.40', min: '1.12' });
    stands.push(old);
    const result = await whalekeeper(['clean', '--agent', '--dry-run'], cleanEnv(old.host));
    expect(result.exitCode).toBe(4);
    expect(result.stderr.trim()).toMatch(/^whalekeeper: error: the Docker engine at \S+ shares no Engine API version with whalekeeper: it accepts Engine API up to 1\.40, whalekeeper speaks 1\.41 to 1\.52; upgrade the engine to Docker 20\.10 or later, or set DOCKER_API_VERSION to force an older version \(untested\)$/);
    expect(old.requests.map((r) => r.url)).toEqual(['/_ping']);
  });

  it('an engine whose minimum is above 1.52: exit 4, upgrade whalekeeper', async () => {
    const future = await startStandIn(host, { engine: '31.0.0', max: '1.60', min: '1.53' });
    stands.push(future);
    const result = await whalekeeper(['ls'], cleanEnv(future.host));
    expect(result.exitCode).toBe(4);
    expect(result.stderr.trim()).toMatch(/accepts Engine API 1\.53 to 1\.60, whalekeeper speaks 1\.41 to 1\.52; upgrade whalekeeper, or set DOCKER_API_VERSION/);
    expect(future.requests.map((r) => r.url)).toEqual(['/_ping', '/version']);
  });
});
