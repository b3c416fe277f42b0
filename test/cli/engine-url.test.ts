// Engine URLs: credentials and query values never printed (errors, JSON, `run --verbose`), and an address docker
// cannot parse is a usage error naming where it came from.
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cleanEnv, whalekeeper } from '../helpers/cli.js';
import { TEST_IMAGE } from '../helpers/engine.js';
import { startTcpForward, type FakeEngine } from '../helpers/fake-engine.js';

const USER = 'deploy-user';
const PASSWORD = 's3cret-pw';
const TOKEN = 't0ken-value';
const secrets = [USER, PASSWORD, TOKEN];

let proxy: FakeEngine;
let refusedPort: number;

beforeAll(async () => {
  proxy = await startTcpForward(inject('dockerHost').replace(/^unix:\/\//, ''));
  // A port nothing listens on: connections are refused.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  refusedPort = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

afterAll(async () => {
  await proxy?.close();
});

/** `tcp://USER:PASSWORD@127.0.0.1:PORT/?token=TOKEN` and how it must be shown. */
function withSecrets(port: number): { url: string; shown: string } {
  return { url: `tcp://${USER}:${PASSWORD}@127.0.0.1:${port}/?token=${TOKEN}`, shown: `tcp://***@127.0.0.1:${port}/?token=***` };
}

describe('engine URLs with credentials', () => {
  it.each([[['ls']], [['disk']], [['clean', '--agent']], [['--json', 'ls']]])('%j: the unreachable engine is named without its secrets', async (args) => {
    const { url, shown } = withSecrets(refusedPort);
    const result = await whalekeeper(args, cleanEnv(url));
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(`cannot reach the Docker engine at ${shown} (ECONNREFUSED)`);
    for (const secret of secrets) expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it('disk --json names the engine it measured without its secrets', async () => {
    const port = Number(new URL(proxy.host.replace(/^tcp:/, 'http:')).port);
    const { url, shown } = withSecrets(port);
    const result = await whalekeeper(['--json', 'disk', '--no-breakdown'], cleanEnv(url));
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout).engine.host).toBe(shown);
    for (const secret of secrets) expect(result.stdout).not.toContain(secret);
  });

  it('run --verbose shows the docker command with the --host URL masked', async () => {
    const port = Number(new URL(proxy.host.replace(/^tcp:/, 'http:')).port);
    const { url, shown } = withSecrets(port);
    const result = await whalekeeper(['--verbose', '--host', url, 'run', TEST_IMAGE, 'echo', 'hello'], cleanEnv('unix:///tmp/wk-no-such-engine.sock'));
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('hello');
    expect(result.stderr).toContain(`$ docker --host '${shown}' run`);
    for (const secret of secrets) expect(result.stderr).not.toContain(secret);
  });
});

describe('engine addresses docker cannot parse', () => {
  it.each([
    [['ls'], { DOCKER_HOST: 'foo://x' }, 'DOCKER_HOST `foo://x` is not an engine address docker can use (docker knows no `foo://` scheme)'],
    [['--host', 'http://127.0.0.1:2375', 'disk'], {}, '--host `http://127.0.0.1:2375` is not an engine address docker can use'],
    [['clean', '--agent'], { DOCKER_HOST: `tcp://u:${PASSWORD}@127.0.0.1:notaport` }, 'DOCKER_HOST `tcp://***@127.0.0.1:notaport` is not an engine address docker can use (`notaport` is not a port)'],
    [['audit', '.'], { WHALEKEEPER_HOST: 'tcp://h o' }, 'WHALEKEEPER_HOST `tcp://h o` is not an engine address docker can use'],
  ])('%j with %j: exit 2, one message naming where the address came from', async (args, env, message) => {
    const result = await whalekeeper(args, { ...cleanEnv('unix:///tmp/wk-no-such-engine.sock'), ...env });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('use unix:///path/to/docker.sock, tcp://HOST:PORT or ssh://USER@HOST');
    expect(result.stderr).not.toContain(PASSWORD);
  });

  it('ls over ssh:// (which docker parses, but ls does not speak) says so as a usage error', async () => {
    const result = await whalekeeper(['ls'], cleanEnv('ssh://me@127.0.0.1'));
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('ls, clean and disk speak the Engine API over unix:// or tcp:// only, not ssh://');
    expect(result.stderr).not.toMatch(/tcp:\/\/ is not supported/);
  });
});
