// Every engine command through a Docker Engine 29 stand-in (test/helpers/engine29.ts: API 1.52, minimum 1.44, in
// front of a private 20.10 engine): negotiated, they work unchanged; with DOCKER_API_VERSION=1.41 each one exits 4
// with one line naming both ranges, never "cannot reach".
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, containerIds, docker, whalekeeper } from '../helpers/cli.js';
import { startEngine, TEST_IMAGE, type PrivateEngine } from '../helpers/engine.js';
import { startStandIn, type StandIn } from '../helpers/engine29.js';

let engine: PrivateEngine;
let e29: StandIn;
let env: Record<string, string>;

beforeAll(async () => {
  engine = await startEngine('engine29');
  e29 = await startStandIn(engine.host);
  env = cleanEnv(e29.host);
});

afterAll(async () => {
  await e29?.close();
  if (process.env.WK_ENGINE_KEEP !== '1') await engine?.stop();
});

/** A stopped container of `build` (or of none), made through the stand-in by the docker client. */
async function leftover(build?: string): Promise<string> {
  const id = await docker(e29.host, ['create', ...(build ? ['--label', `whalekeeper.build=${build}`] : []), TEST_IMAGE, 'true']);
  return id;
}

const REFUSED = /^whalekeeper: error: the Docker engine at unix:\/\/\S+ refuses Engine API 1\.41 \(set by DOCKER_API_VERSION\): it accepts Engine API 1\.44 to 1\.52, whalekeeper speaks 1\.41 to 1\.52; unset DOCKER_API_VERSION to negotiate, or set it within 1\.44 to 1\.52$/;

describe('the stand-in answers as Engine 29 does', () => {
  it('the docker client negotiates through it, and a hijacked attach stream passes', async () => {
    const version = JSON.parse(await docker(e29.host, ['version', '--format', '{{json .Server}}'])) as { ApiVersion: string; MinAPIVersion: string; Version: string };
    expect(version).toMatchObject({ ApiVersion: '1.52', MinAPIVersion: '1.44', Version: '29.0.0' });
    // `docker run` without -d attaches (POST …/attach, upgraded to a raw stream) before it starts the container.
    expect(await docker(e29.host, ['run', '--rm', TEST_IMAGE, 'echo', 'through the stand-in'])).toBe('through the stand-in');
  });

  it("refuses a version below 1.44 with Engine 29's message, and serves unversioned paths", async () => {
    const refused = await execa('docker', ['ps'], { env: { DOCKER_HOST: e29.host, DOCKER_API_VERSION: '1.41' }, reject: false, stdin: 'ignore' });
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain('client version 1.41 is too old. Minimum supported API version is 1.44, please upgrade your client to a newer version');
  });
});

describe('every engine command through the Engine 29 stand-in', () => {
  it('ls', async () => {
    const id = await leftover();
    const result = await whalekeeper(['--json', 'ls', '--images'], env);
    expect(result.exitCode).toBe(0);
    expect((JSON.parse(result.stdout) as { rows: { id: string }[] }).rows.map((r) => r.id)).toContain(id);
    await docker(e29.host, ['rm', id]);
  });

  it('clean (build scope), --dry-run then real', async () => {
    const id = await leftover('B29');
    const dry = await whalekeeper(['--json', '--build', 'B29', 'clean', '--dry-run'], env);
    expect(dry.exitCode).toBe(0);
    expect(await containerIds(e29.host, 'label=whalekeeper.build=B29')).toEqual([id]);
    const real = await whalekeeper(['--build', 'B29', 'clean'], env);
    expect(real.exitCode).toBe(0);
    expect(await containerIds(e29.host, 'label=whalekeeper.build=B29')).toEqual([]);
  });

  it('clean --agent, --dry-run then real', async () => {
    const id = await leftover();
    const dry = await whalekeeper(['clean', '--agent', '--grace', '0', '--dry-run'], env);
    expect(dry.exitCode).toBe(0);
    expect(await containerIds(e29.host)).toContain(id);
    const real = await whalekeeper(['--json', 'clean', '--agent', '--grace', '0', '--build-cache', '1GB'], env);
    expect(real.exitCode).toBe(0);
    expect(await containerIds(e29.host)).toEqual([]);
  });

  it('clean --agent --target takes the lock network (config-only) without CheckDuplicate (deprecated since 1.44)', async () => {
    await leftover();
    const seen = e29.requests.length;
    const result = await whalekeeper(['--json', 'clean', '--agent', '--grace', '0', '--target', '99%'], env);
    expect(result.exitCode).toBe(0);
    const create = e29.requests.slice(seen).find((r) => r.url === '/v1.52/networks/create');
    expect(create?.body).toMatchObject({ Name: 'whalekeeper-clean-lock', ConfigOnly: true });
    expect(create?.body).not.toHaveProperty('CheckDuplicate');
    expect(await containerIds(e29.host)).toEqual([]);
  });

  it('clean --every, two rounds, then SIGTERM: exit 0', async () => {
    const child = execa('node', [BIN, 'clean', '--agent', '--grace', '0', '--every', '1s'], { env, extendEnv: false, reject: false, stdin: 'ignore' });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    for (let i = 0; i < 300 && !/round 2: /.test(stderr); i++) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGTERM');
    const result = await child;
    expect(result.exitCode).toBe(0);
    expect(stderr).toMatch(/^whalekeeper: round 1: removed \d+ containers.*\nwhalekeeper: round 2: removed/);
  });

  it('disk', async () => {
    const result = await whalekeeper(['--json', 'disk'], env);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ engine: { host: e29.host }, status: 'ok' });
  });

  it('run -d, then clean of that build', async () => {
    const result = await whalekeeper(['--build', 'R29', 'run', '-d', TEST_IMAGE, 'sleep', '30'], env);
    expect(result.exitCode).toBe(0);
    expect(await containerIds(e29.host, 'label=whalekeeper.build=R29')).toEqual([result.stdout.trim()]);
    const cleaned = await whalekeeper(['--build', 'R29', 'clean'], env);
    expect(cleaned.exitCode).toBe(0);
    expect(await containerIds(e29.host, 'label=whalekeeper.build=R29')).toEqual([]);
  });
});

describe('DOCKER_API_VERSION=1.41 against the Engine 29 stand-in', () => {
  const old = (): Record<string, string> => ({ ...env, DOCKER_API_VERSION: '1.41' });

  it.each([
    [['ls']],
    [['ls', '--images', '--volumes', '--sizes']],
    [['--build', 'B29', 'clean']],
    [['--build', 'B29', 'clean', '--dry-run']],
    [['clean', '--agent']],
    [['clean', '--agent', '--dry-run']],
    [['clean', '--agent', '--target', '99%']],
    [['disk']],
  ])('whalekeeper %j: exit 4, one line naming both ranges and DOCKER_API_VERSION', async (args) => {
    const result = await whalekeeper(args, old());
    expect(result.exitCode).toBe(4);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(REFUSED);
  });

  it('clean --every: each round fails and says so, the third ends the loop with exit 4', async () => {
    const result = await whalekeeper(['clean', '--agent', '--every', '1s'], old(), { timeout: 30_000 });
    expect(result.exitCode).toBe(4);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^whalekeeper: round 1: failed \(1 in a row; exits at 3\): the Docker engine at \S+ refuses Engine API 1\.41/);
    expect(lines[1]).toMatch(/^whalekeeper: round 2: failed \(2 in a row; exits at 3\): /);
    expect(lines[2]).toMatch(/^whalekeeper: round 3: failed \(3 in a row, giving up\): /);
    expect(lines[3]).toMatch(/^whalekeeper: error: clean --every stops after 3 failed rounds in a row: the Docker engine at \S+ refuses Engine API 1\.41/);
  });

  it('run -d: the docker client itself is refused (docker run keeps its own exit codes)', async () => {
    const result = await whalekeeper(['--build', 'R41', 'run', '-d', TEST_IMAGE, 'sleep', '30'], old());
    expect(result.exitCode).toBe(125);
    expect(result.stderr).toContain('client version 1.41 is too old. Minimum supported API version is 1.44');
    expect(await containerIds(e29.host, 'label=whalekeeper.build=R41')).toEqual([]);
  });
});
